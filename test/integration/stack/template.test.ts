/**
 * Assertions on the CloudFormation that `serverless package` generates (offline, no AWS
 * credentials): least privilege, encryption, retention, dead-letter queues, and the EventBridge
 * rules against the sample events. Prints how many checks of each kind ran.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EVENT_SOURCES } from '../../../shared/playbook/types';
import {
  REPO_ROOT,
  asList,
  conditionHolds,
  isDeployed,
  packageStack,
  resolve,
  resourcesOfType,
  type PolicyStatement,
  type Template,
} from './cloudformation';
import { matchesPattern } from './event-pattern';
import { evaluate, type Decision, type Request, type Statement } from './policy-evaluator';
import { METRIC_NAMES } from '../../../shared/metrics';
import { SWEEP_REQUEST } from '../../../shared/runtime/triage';
import { DUE_INCIDENTS_INDEX } from '../../../shared/state/dynamo';

/** Actions IAM accepts only with `Resource: "*"` (service authorization reference). */
const STAR_RESOURCE_ACTIONS = new Set(['cloudtrail:LookupEvents', 'cloudtrail:DescribeTrails']);
const Q_EVENT_SOURCES: ReadonlySet<string> = new Set(EVENT_SOURCES);
const RULES = ['ActivityRule', 'ReadOnlyRule', 'OnBehalfRule'] as const;
/** The rules that see Amazon Q's own sources, where the stack's roles call: they drop those roles early. */
const SELF_DROPPING_RULES = ['ActivityRule', 'ReadOnlyRule'] as const;
const ROLE_OF_FUNCTION = { triage: 'TriageRole', resync: 'ResyncRole', readiness: 'ReadinessRole' } as const;
/** The operator the trail variant lets send to the buffer (q-triage redrive, test events). */
const QUEUE_OPERATOR = 'arn:aws:iam::111122223333:role/SecOpsOperator';
/** The operators the trail variant lists: a role, and the roles of an IAM Identity Center permission set. */
const OPERATOR_ARNS = [
  QUEUE_OPERATOR,
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecOps_*',
];
const SSO_OPERATOR =
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_SecOps_0123456789abcdef';

const counts: Record<string, number> = {};
function counted(kind: string, n = 1): void {
  counts[kind] = (counts[kind] ?? 0) + n;
}

let base: Template;
let assistant: Template;
let trail: Template;
let mirror: Template;
let knowledgeBase: Template;
const MODEL_ARN = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0';

beforeAll(async () => {
  // One after the other: serverless-esbuild builds in the service folder, so packagings cannot overlap.
  base = await packageStack();
  assistant = await packageStack([
    'deployAssistant=true',
    'identityCenterInstanceArn=arn:aws:sso:::instance/ssoins-1234567890abcdef',
    'enrichSource=qbusiness',
    'qbusinessIdentityRoleArn=arn:aws:iam::111122223333:role/q-identity-bridge',
    'idpClientSecretArn=arn:aws:secretsmanager:us-east-1:111122223333:secret:q-idp-AbCdEf',
    'idcApplicationArn=arn:aws:sso::111122223333:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
    'idpTokenUrl=https://idp.example.com/oauth2/token',
    'idpClientId=q-triage',
  ]);
  trail = await packageStack([
    'createTrail=true',
    `queueSenderArns=${QUEUE_OPERATOR}`,
    `operatorArns=${OPERATOR_ARNS.join(',')}`,
  ]);
  mirror = await packageStack([
    'awsPlaybooksBucket=acme-aws-playbooks',
    'customPlaybooksBucket=acme-custom-playbooks',
    'successfulChat=false',
  ]);
  knowledgeBase = await packageStack([
    'enrichSource=bedrock-kb',
    'bedrockKnowledgeBaseId=KBQTRIAGE1',
    `bedrockModelArn=${MODEL_ARN}`,
  ]);
}, 1_200_000);

afterAll(() => {
  const lines = Object.entries(counts).map(([kind, n]) => `  ${kind}: ${n}`);
  process.stdout.write(`stack template checks\n${lines.join('\n')}\n`);
});

const variants: [string, () => Template][] = [
  ['default parameters', () => base],
  ['deployAssistant=true', () => assistant],
  ['createTrail=true, queueSenderArns and operatorArns', () => trail],
  ['an existing playbook mirror, successfulChat=false', () => mirror],
  ['enrichSource=bedrock-kb', () => knowledgeBase],
];

/** Every policy document in the template, with whether it is an identity (IAM) policy. */
function policyStatements(template: Template): { owner: string; identity: boolean; statement: PolicyStatement }[] {
  const found: { owner: string; identity: boolean; statement: PolicyStatement }[] = [];
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (!isDeployed(template, resource)) continue;
    const properties = resolve(template, resource.Properties ?? {}) as Record<string, unknown>;
    const documents: { identity: boolean; document: unknown }[] = [];
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asList(properties.Policies as { PolicyDocument: unknown }[] | undefined)) {
        documents.push({ identity: true, document: policy.PolicyDocument });
      }
    } else if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push({ identity: true, document: properties.PolicyDocument });
    } else if (resource.Type === 'AWS::KMS::Key') {
      documents.push({ identity: false, document: properties.KeyPolicy });
    } else if (properties.PolicyDocument !== undefined) {
      documents.push({ identity: false, document: properties.PolicyDocument });
    }
    for (const { identity, document } of documents) {
      for (const statement of asList((document as { Statement: PolicyStatement | PolicyStatement[] }).Statement)) {
        found.push({ owner: name, identity, statement });
      }
    }
  }
  return found;
}

describe.each(variants)('IAM with %s', (_label, template) => {
  test('grants no wildcard action in any role policy', () => {
    const statements = policyStatements(template()).filter((entry) => entry.identity);
    const actions = statements.flatMap((entry) =>
      asList(entry.statement.Action).map((action) => `${entry.owner}: ${action}`),
    );
    counted('IAM actions checked for wildcards', actions.length);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  test('uses Resource "*" only for actions that support nothing narrower', () => {
    const starStatements = policyStatements(template()).filter(
      (entry) => entry.identity && asList(entry.statement.Resource as unknown).includes('*'),
    );
    counted('Resource "*" statements checked against the allow-list', starStatements.length);
    const offending = starStatements.flatMap((entry) =>
      asList(entry.statement.Action).filter((action) => !STAR_RESOURCE_ACTIONS.has(action)),
    );
    expect(offending).toEqual([]);
  });

  test('allows wildcard actions in resource policies only in the account root key statement', () => {
    const allows = policyStatements(template()).filter(
      (entry) => !entry.identity && entry.statement.Effect === 'Allow',
    );
    counted('resource-policy Allow statements checked', allows.length);
    const wildcard = allows.filter((entry) => asList(entry.statement.Action).some((action) => action.includes('*')));
    expect(wildcard.map((entry) => `${entry.owner}/${entry.statement.Sid}`)).toEqual(
      resourcesOfType(template(), 'AWS::KMS::Key').map(([name]) => `${name}/AccountAdministers`),
    );
  });

  test('gives every function its own role', () => {
    const functions = resourcesOfType(template(), 'AWS::Lambda::Function').filter(([, fn]) =>
      isDeployed(template(), fn),
    );
    const roles = functions.map(([, fn]) => JSON.stringify(fn.Properties?.Role));
    counted('functions checked for a role of their own', functions.length);
    expect(functions.map(([name]) => name).sort()).toEqual([
      'ReadinessLambdaFunction',
      'ResyncLambdaFunction',
      'TriageLambdaFunction',
    ]);
    expect(new Set(roles).size).toBe(functions.length);
  });

  test('lists every function role in SELF_PRINCIPALS', () => {
    for (const [fn, role] of Object.entries(ROLE_OF_FUNCTION)) {
      const env = resolve(
        template(),
        template().Resources[`${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`]?.Properties?.Environment,
      ) as {
        Variables: Record<string, string>;
      };
      const self = env.Variables.SELF_PRINCIPALS!.split(',');
      const roleArns = Object.values(ROLE_OF_FUNCTION).map((name) =>
        resolve(template(), { 'Fn::GetAtt': [name, 'Arn'] }),
      );
      counted('SELF_PRINCIPALS checks', 1);
      expect(self).toEqual(expect.arrayContaining(roleArns));
      expect(role).toBeDefined();
    }
  });
});

describe.each(variants)('encryption with %s', (_label, template) => {
  function deployed(type: string) {
    return resourcesOfType(template(), type).filter(([, resource]) => isDeployed(template(), resource));
  }

  test('encrypts every SNS topic with a KMS key', () => {
    const topics = deployed('AWS::SNS::Topic');
    counted('SNS topics with KMS', topics.length);
    expect(topics.length).toBe(2);
    expect(topics.filter(([, topic]) => topic.Properties?.KmsMasterKeyId === undefined).map(([name]) => name)).toEqual(
      [],
    );
  });

  test('encrypts every SQS queue with a KMS key', () => {
    const queues = deployed('AWS::SQS::Queue');
    counted('SQS queues with KMS', queues.length);
    expect(queues.filter(([, queue]) => queue.Properties?.KmsMasterKeyId === undefined).map(([name]) => name)).toEqual(
      [],
    );
  });

  test('encrypts every DynamoDB table with a customer managed KMS key', () => {
    const tables = deployed('AWS::DynamoDB::Table');
    counted('DynamoDB tables with KMS', tables.length);
    expect(tables.length).toBe(1);
    for (const [, table] of tables) {
      expect(table.Properties?.SSESpecification).toMatchObject({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: expect.anything(),
      });
    }
  });

  test('encrypts every S3 bucket with aws:kms, except the access-log bucket S3 requires to use SSE-S3', () => {
    const buckets = deployed('AWS::S3::Bucket');
    const logTargets = new Set(
      buckets.flatMap(([, bucket]) => {
        const target = (
          bucket.Properties?.LoggingConfiguration as { DestinationBucketName?: { Ref?: string } } | undefined
        )?.DestinationBucketName?.Ref;
        return target === undefined ? [] : [target];
      }),
    );
    counted('S3 buckets with encryption checked', buckets.length);
    for (const [name, bucket] of buckets) {
      const algorithm = (
        bucket.Properties?.BucketEncryption as {
          ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[];
        }
      ).ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault.SSEAlgorithm;
      expect({ name, algorithm }).toEqual({ name, algorithm: logTargets.has(name) ? 'AES256' : 'aws:kms' });
    }
  });

  test('rotates every KMS key', () => {
    const keys = deployed('AWS::KMS::Key');
    counted('KMS keys with rotation', keys.length);
    expect(keys.filter(([, key]) => key.Properties?.EnableKeyRotation !== true)).toEqual([]);
  });
});

describe('the incident sweep', () => {
  test('indexes the due incidents sparsely, as the store queries them, and the triage role may query exactly that index', () => {
    const table = base.Resources.StateTable?.Properties ?? {};
    const indexes = table.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    counted('state table indexes', indexes.length);
    expect(indexes).toEqual([
      {
        IndexName: DUE_INCIDENTS_INDEX,
        KeySchema: [
          { AttributeName: 'duePartition', KeyType: 'HASH' },
          { AttributeName: 'dueAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['incidentKey'] },
      },
    ]);
    const grants = policyStatements(base).filter(
      (entry) => entry.identity && JSON.stringify(entry.statement.Resource).includes('/index/'),
    );
    expect(grants.map((entry) => [entry.owner, entry.statement.Action, entry.statement.Resource])).toEqual([
      ['TriageRole', 'dynamodb:Query', `<StateTable.Arn>/index/${DUE_INCIDENTS_INDEX}`],
    ]);
  });

  test('invokes the triage function on a schedule with the payload its handler takes for a sweep', () => {
    const rules = resourcesOfType(base, 'AWS::Events::Rule').filter(([, rule]) =>
      JSON.stringify(rule.Properties?.Targets).includes('TriageLambdaFunction'),
    );
    counted('sweep schedules', rules.length);
    expect(
      rules.map(([, rule]) => [
        rule.Properties?.ScheduleExpression,
        (rule.Properties?.Targets as { Input?: string }[])[0]?.Input,
      ]),
    ).toEqual([['rate(5 minutes)', JSON.stringify(SWEEP_REQUEST)]]);
  });
});

describe('logs, queues and targets', () => {
  test('gives every function a log group and every log group a retention', () => {
    const groups = resourcesOfType(base, 'AWS::Logs::LogGroup');
    const functions = resourcesOfType(base, 'AWS::Lambda::Function');
    counted('log groups with retention', groups.length);
    expect(
      groups.filter(([, group]) => typeof group.Properties?.RetentionInDays !== 'number').map(([name]) => name),
    ).toEqual([]);
    const groupNames = groups.map(([, group]) => group.Properties?.LogGroupName);
    expect(
      functions
        .map(([, fn]) => `/aws/lambda/${String(fn.Properties?.FunctionName)}`)
        .filter((name) => !groupNames.includes(name)),
    ).toEqual([]);
  });

  test('redrives every queue that is not itself a dead-letter queue', () => {
    const queues = resourcesOfType(base, 'AWS::SQS::Queue');
    const deadLetter = new Set<string>();
    for (const [, resource] of Object.entries(base.Resources)) {
      const text = JSON.stringify(resource.Properties ?? {});
      for (const match of text.matchAll(
        /"(?:deadLetterTargetArn|DeadLetterConfig)":\{?"?(?:Arn"?:)?\{"Fn::GetAtt":\["(\w+)"/g,
      ))
        deadLetter.add(match[1]!);
    }
    const primary = queues.filter(([name]) => !deadLetter.has(name));
    counted('queues with a redrive policy', primary.length);
    expect(primary.map(([name]) => name)).toEqual(['BufferQueue']);
    expect(primary.filter(([, queue]) => queue.Properties?.RedrivePolicy === undefined)).toEqual([]);
  });

  test('sets the buffer visibility timeout to at least six times the triage timeout', () => {
    const visibility = base.Resources.BufferQueue?.Properties?.VisibilityTimeout as number;
    const timeout = base.Resources.TriageLambdaFunction?.Properties?.Timeout as number;
    counted('visibility timeout checks');
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  test('reports partial batch failures from the buffer queue', () => {
    const mappings = resourcesOfType(base, 'AWS::Lambda::EventSourceMapping');
    counted('event source mappings checked', mappings.length);
    expect(mappings.map(([, mapping]) => mapping.Properties?.FunctionResponseTypes)).toEqual([
      ['ReportBatchItemFailures'],
    ]);
  });

  test('gives every CloudTrail rule target a dead-letter queue and a retry policy', () => {
    for (const rule of RULES) {
      const targets = base.Resources[rule]?.Properties?.Targets as {
        DeadLetterConfig?: unknown;
        RetryPolicy?: unknown;
      }[];
      counted('rule targets with DLQ and retry policy', targets.length);
      expect(targets.every((target) => target.DeadLetterConfig !== undefined && target.RetryPolicy !== undefined)).toBe(
        true,
      );
    }
  });

  test('puts read-only management events on a rule in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS by default', () => {
    counted('rule state checks');
    expect(resolve(base, base.Resources.ReadOnlyRule?.Properties?.State)).toBe(
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    );
    expect(resolve(base, base.Resources.ActivityRule?.Properties?.State)).toBe('ENABLED');
  });
});

// ----------------------------------------------------------------------------- who may send to the buffer

/** The statements of a resource's policy document (topic, queue, table or key policy), resolved. */
function policyOf(template: Template, resource: string, property: string[]): Statement[] {
  let value: unknown = template.Resources[resource]?.Properties;
  for (const key of property) value = (value as Record<string, unknown> | undefined)?.[key];
  const document = resolve(template, value) as { Statement: Statement[] } | undefined;
  if (document === undefined) throw new Error(`${resource} has no ${property.join('.')}`);
  return document.Statement;
}

const POLICIES = {
  topics: ['TopicsPolicy', ['PolicyDocument']],
  queues: ['BufferQueuePolicy', ['PolicyDocument']],
  table: ['StateTable', ['ResourcePolicy', 'PolicyDocument']],
  key: ['StackKey', ['KeyPolicy']],
} as const;

function decide(template: Template, policy: keyof typeof POLICIES, request: Request): Decision {
  const [resource, property] = POLICIES[policy];
  counted('policy evaluations');
  return evaluate(policyOf(template, resource, [...property]), request);
}

const TLS = { 'aws:SecureTransport': true } as const;
const role = (name: string): string => `arn:aws:iam::111122223333:role/${name}`;
const STACK_ROLE = {
  triage: role('q-triage-dev-us-east-1-triage'),
  resync: role('q-triage-dev-us-east-1-resync'),
  readiness: role('q-triage-dev-us-east-1-readiness'),
} as const;
/** Principals that must never pass: an administrator, look-alikes of the stack's and the operator's roles. */
const OUTSIDERS = [
  role('Admin'),
  role('q-triage-dev-us-east-1-triage-copy'),
  role('evil/q-triage-dev-us-east-1-triage'),
  role('SecOpsOperatorX'),
];
const asCaller = (arn: string, action: string, resource: string, context: Request['context'] = TLS): Request => ({
  caller: { arn },
  action,
  resource,
  context,
});
const fromService = (service: string, sourceArn: string, action: string, resource: string): Request => ({
  caller: { service },
  action,
  resource,
  context: { ...TLS, 'aws:SourceArn': sourceArn, 'aws:SourceAccount': '111122223333' },
});

/** Whether the buffer queue's policy explicitly denies sqs:SendMessage in this context. */
function bufferDeniesSend(template: Template, request: Omit<Request, 'action' | 'resource'>): boolean {
  return (
    decide(template, 'queues', { ...request, action: 'sqs:SendMessage', resource: '<BufferQueue.Arn>' }) === 'deny'
  );
}

describe('the buffer queue policy', () => {
  const fromRule = (rule: string, secure = true) => ({
    caller: { service: 'events.amazonaws.com' },
    context: { 'aws:SourceArn': `<${rule}.Arn>`, 'aws:SecureTransport': secure },
  });
  const asRole = (arn: string) => ({ caller: { arn }, context: TLS });

  test.each(variants)('lets the three rules send, over TLS only, with %s', (_label, template) => {
    for (const rule of RULES) {
      counted('queue policy send checks', 2);
      expect(bufferDeniesSend(template(), fromRule(rule))).toBe(false);
      expect(bufferDeniesSend(template(), fromRule(rule, false))).toBe(true);
    }
  });

  test.each(variants)('denies every other sender whatever its IAM policy allows, with %s', (_label, template) => {
    counted('queue policy send checks', 3);
    expect(bufferDeniesSend(template(), asRole('arn:aws:iam::111122223333:role/Admin'))).toBe(true);
    expect(bufferDeniesSend(template(), asRole('arn:aws:iam::111122223333:role/SecOpsOperatorX'))).toBe(true);
    expect(
      bufferDeniesSend(template(), {
        caller: { service: 'events.amazonaws.com' },
        context: { ...TLS, 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/q-triage-dev-other' },
      }),
    ).toBe(true);
  });

  test('lets the operators in queueSenderArns send (redrive, test events), and only when it is set', () => {
    counted('queue policy send checks', 2);
    expect(bufferDeniesSend(trail, asRole(QUEUE_OPERATOR))).toBe(false);
    expect(bufferDeniesSend(base, asRole(QUEUE_OPERATOR))).toBe(true);
  });
});

// ----------------------------------------------------------------------------- who may do what

/** The operators a variant lists (the trail variant), as callers: a plain role and an Identity Center role. */
const operatorsOf = (template: Template): string[] =>
  conditionHolds(template, 'HasOperators') ? [QUEUE_OPERATOR, SSO_OPERATOR] : [];
const viaCloudFormation = { ...TLS, 'aws:CalledVia': ['cloudformation.amazonaws.com'] };

/** Alarms of the template and the topics their actions publish to. */
function alarmTopics(template: Template): [string, string[]][] {
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([name, alarm]) => {
    const actions = [
      ...asList(alarm.Properties?.AlarmActions as unknown[]),
      ...asList(alarm.Properties?.OKActions as unknown[]),
    ];
    return [name, [...new Set(actions.map((action) => String(resolve(template, action))))]];
  });
}

describe.each(variants)('the topics with %s', (_label, template) => {
  const TOPICS = ['<AlertsTopic>', '<PagingTopic>'] as const;

  test('let triage publish to both topics, resync and readiness to the alerts topic only', () => {
    for (const topic of TOPICS)
      expect(decide(template(), 'topics', asCaller(STACK_ROLE.triage, 'sns:Publish', topic))).toBe('allow');
    for (const fn of [STACK_ROLE.resync, STACK_ROLE.readiness]) {
      expect(decide(template(), 'topics', asCaller(fn, 'sns:Publish', '<AlertsTopic>'))).toBe('allow');
      expect(decide(template(), 'topics', asCaller(fn, 'sns:Publish', '<PagingTopic>'))).toBe('deny');
    }
  });

  test('deny publishing to outsiders, operators, foreign rules and foreign alarms', () => {
    const publishers = [...OUTSIDERS, ...operatorsOf(template())];
    for (const topic of TOPICS) {
      for (const arn of publishers)
        expect(decide(template(), 'topics', asCaller(arn, 'sns:Publish', topic))).toBe('deny');
      expect(
        decide(
          template(),
          'topics',
          fromService(
            'events.amazonaws.com',
            'arn:aws:events:us-east-1:111122223333:rule/q-triage-dev-activity',
            'sns:Publish',
            topic,
          ),
        ),
      ).toBe('deny');
      expect(
        decide(
          template(),
          'topics',
          fromService(
            'events.amazonaws.com',
            'arn:aws:events:us-east-1:111122223333:rule/q-triage-dev-forged',
            'sns:Publish',
            topic,
          ),
        ),
      ).toBe('deny');
      expect(
        decide(
          template(),
          'topics',
          fromService(
            'cloudwatch.amazonaws.com',
            'arn:aws:cloudwatch:us-east-1:111122223333:alarm:q-triage-dev-forged',
            'sns:Publish',
            topic,
          ),
        ),
      ).toBe('deny');
    }
  });

  test('let every alarm publish to the topics its actions name, and to no other', () => {
    for (const [alarm, topics] of alarmTopics(template())) {
      for (const topic of TOPICS) {
        const decision = decide(
          template(),
          'topics',
          fromService('cloudwatch.amazonaws.com', `<${alarm}.Arn>`, 'sns:Publish', topic),
        );
        expect({ alarm, topic, decision }).toEqual({
          alarm,
          topic,
          decision: topics.includes(topic) ? 'allow' : 'deny',
        });
      }
    }
  });

  test.each(['sns:Subscribe', 'sns:SetTopicAttributes', 'sns:AddPermission', 'sns:DeleteTopic'])(
    'let only operators and CloudFormation deployments %s',
    (action) => {
      for (const topic of TOPICS) {
        for (const arn of [...OUTSIDERS, ...Object.values(STACK_ROLE)])
          expect(decide(template(), 'topics', asCaller(arn, action, topic))).toBe('deny');
        for (const arn of operatorsOf(template()))
          expect(decide(template(), 'topics', asCaller(arn, action, topic))).not.toBe('deny');
        expect(decide(template(), 'topics', asCaller(role('DeployRole'), action, topic, viaCloudFormation))).not.toBe(
          'deny',
        );
      }
    },
  );
});

describe.each(variants)('the queues with %s', (_label, template) => {
  const CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue'];
  const DLQS = ['<BufferDLQ.Arn>', '<RuleDeliveryDLQ.Arn>'];

  test('let only triage and the operators consume the buffer', () => {
    for (const action of CONSUME) {
      expect(decide(template(), 'queues', asCaller(STACK_ROLE.triage, action, '<BufferQueue.Arn>'))).not.toBe('deny');
      for (const arn of operatorsOf(template()))
        expect(decide(template(), 'queues', asCaller(arn, action, '<BufferQueue.Arn>'))).not.toBe('deny');
      for (const arn of [...OUTSIDERS, STACK_ROLE.resync, STACK_ROLE.readiness]) {
        expect(decide(template(), 'queues', asCaller(arn, action, '<BufferQueue.Arn>'))).toBe('deny');
      }
    }
  });

  test('let only the operators consume the dead-letter queues (nobody when none is listed)', () => {
    for (const queue of DLQS) {
      for (const action of CONSUME) {
        for (const arn of operatorsOf(template()))
          expect(decide(template(), 'queues', asCaller(arn, action, queue))).not.toBe('deny');
        for (const arn of [...OUTSIDERS, ...Object.values(STACK_ROLE)])
          expect(decide(template(), 'queues', asCaller(arn, action, queue))).toBe('deny');
      }
    }
  });

  test('let only operators and CloudFormation deployments change the queues', () => {
    for (const queue of ['<BufferQueue.Arn>', ...DLQS]) {
      for (const action of ['sqs:SetQueueAttributes', 'sqs:AddPermission', 'sqs:DeleteQueue']) {
        for (const arn of [...OUTSIDERS, ...Object.values(STACK_ROLE)])
          expect(decide(template(), 'queues', asCaller(arn, action, queue))).toBe('deny');
        for (const arn of operatorsOf(template()))
          expect(decide(template(), 'queues', asCaller(arn, action, queue))).not.toBe('deny');
        expect(decide(template(), 'queues', asCaller(role('DeployRole'), action, queue, viaCloudFormation))).not.toBe(
          'deny',
        );
      }
    }
  });

  test('put every queue of the stack under the policy', () => {
    const queues = (resolve(template(), template().Resources.BufferQueuePolicy?.Properties?.Queues) as string[]).sort();
    counted('queue policy coverage checks');
    expect(queues).toEqual(
      resourcesOfType(template(), 'AWS::SQS::Queue')
        .map(([name]) => `<${name}>`)
        .sort(),
    );
  });
});

describe.each(variants)('the state table with %s', (_label, template) => {
  const WRITES = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:PartiQLUpdate',
  ];

  test('lets only triage, resync and the operators write', () => {
    for (const action of WRITES) {
      for (const arn of [STACK_ROLE.triage, STACK_ROLE.resync, ...operatorsOf(template())]) {
        expect(decide(template(), 'table', asCaller(arn, action, '<StateTable.Arn>'))).not.toBe('deny');
      }
      for (const arn of [...OUTSIDERS, STACK_ROLE.readiness])
        expect(decide(template(), 'table', asCaller(arn, action, '<StateTable.Arn>'))).toBe('deny');
    }
  });

  test('lets only operators and CloudFormation deployments change the table or its policy', () => {
    for (const action of [
      'dynamodb:PutResourcePolicy',
      'dynamodb:DeleteResourcePolicy',
      'dynamodb:DeleteTable',
      'dynamodb:UpdateTimeToLive',
    ]) {
      for (const arn of [...OUTSIDERS, ...Object.values(STACK_ROLE)])
        expect(decide(template(), 'table', asCaller(arn, action, '<StateTable.Arn>'))).toBe('deny');
      for (const arn of operatorsOf(template()))
        expect(decide(template(), 'table', asCaller(arn, action, '<StateTable.Arn>'))).not.toBe('deny');
      expect(
        decide(template(), 'table', asCaller(role('DeployRole'), action, '<StateTable.Arn>', viaCloudFormation)),
      ).not.toBe('deny');
    }
  });
});

describe.each(variants)('the stack key with %s', (_label, template) => {
  /** The key statement that lets principals use the key through SQS, DynamoDB and S3 (root delegation aside). */
  const viaServices = (): Statement[] =>
    policyOf(template(), 'StackKey', ['KeyPolicy']).filter(
      (statement) => statement.Sid === 'QueuesAndTableUseKeyForStackPrincipals',
    );
  const throughSqs = (arn: string): Request => ({
    caller: { arn },
    action: 'kms:Decrypt',
    resource: '<StackKey.Arn>',
    context: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' },
  });

  test('lets only the stack principals use it through SQS, DynamoDB and S3', () => {
    counted('policy evaluations', 2 + OUTSIDERS.length + operatorsOf(template()).length);
    expect(viaServices()).toHaveLength(1);
    for (const arn of [...Object.values(STACK_ROLE), ...operatorsOf(template())])
      expect(evaluate(viaServices(), throughSqs(arn))).toBe('allow');
    for (const arn of OUTSIDERS) expect(evaluate(viaServices(), throughSqs(arn))).toBe('no-decision');
    expect(
      evaluate(viaServices(), {
        ...throughSqs(STACK_ROLE.triage),
        context: { 'kms:CallerAccount': '111122223333', 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' },
      }),
    ).toBe('no-decision');
  });

  test('lets CloudWatch Logs use it for the three function log groups only', () => {
    const groups = resourcesOfType(template(), 'AWS::Logs::LogGroup').map(([, group]) =>
      String(group.Properties?.LogGroupName),
    );
    const forGroup = (name: string): Request => ({
      caller: { service: 'logs.us-east-1.amazonaws.com' },
      action: 'kms:GenerateDataKey',
      resource: '<StackKey.Arn>',
      context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:111122223333:log-group:${name}` },
    });
    expect(groups).toHaveLength(3);
    for (const group of groups) expect(decide(template(), 'key', forGroup(group))).toBe('allow');
    expect(decide(template(), 'key', forGroup('/aws/lambda/q-triage-dev-triage-copy'))).toBe('no-decision');
    expect(decide(template(), 'key', forGroup('/aws/lambda/other'))).toBe('no-decision');
  });

  test("lets CloudWatch use it for the stack's alarms only", () => {
    const forAlarm = (name: string): Request => ({
      caller: { service: 'cloudwatch.amazonaws.com' },
      action: 'kms:GenerateDataKey',
      resource: '<StackKey.Arn>',
      context: {
        'aws:SourceAccount': '111122223333',
        'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`,
      },
    });
    for (const [, resource] of resourcesOfType(template(), 'AWS::CloudWatch::Alarm')) {
      expect(decide(template(), 'key', forAlarm(String(resolve(template(), resource.Properties?.AlarmName))))).toBe(
        'allow',
      );
    }
    expect(decide(template(), 'key', forAlarm('other-stack-alarm'))).toBe('no-decision');
  });

  test('encrypts every log group with the stack key', () => {
    const groups = resourcesOfType(template(), 'AWS::Logs::LogGroup');
    counted('log groups with the stack key', groups.length);
    expect(groups.map(([name, group]) => [name, resolve(template(), group.Properties?.KmsKeyId)])).toEqual(
      groups.map(([name]) => [name, '<StackKey.Arn>']),
    );
  });
});

/** The role resource of each function, to its key in STACK_ROLE. */
const STACK_ROLE_OF: Record<string, keyof typeof STACK_ROLE> = {
  TriageRole: 'triage',
  ResyncRole: 'resync',
  ReadinessRole: 'readiness',
};

describe.each(variants)("the functions' own grants with %s", (_label, template) => {
  // The lock-down must not lock the product out: whatever a function role's IAM policy grants on a topic,
  // queue or table, the resource policy does not deny.
  const GUARDED: Record<string, keyof typeof POLICIES> = {
    '<AlertsTopic>': 'topics',
    '<PagingTopic>': 'topics',
    '<BufferQueue.Arn>': 'queues',
    '<BufferDLQ.Arn>': 'queues',
    '<RuleDeliveryDLQ.Arn>': 'queues',
    '<StateTable.Arn>': 'table',
  };

  test('are never denied by the resource policies', () => {
    const grants = policyStatements(template()).filter(
      (entry) => entry.identity && entry.statement.Effect === 'Allow' && entry.owner in STACK_ROLE_OF,
    );
    let checked = 0;
    for (const { owner, statement } of grants) {
      for (const resource of asList(statement.Resource as string | string[]).filter((item) => item in GUARDED)) {
        for (const action of asList(statement.Action)) {
          checked += 1;
          const decision = decide(
            template(),
            GUARDED[resource]!,
            asCaller(STACK_ROLE[STACK_ROLE_OF[owner]!], action, resource),
          );
          expect({ owner, action, resource, decision }).toEqual({
            owner,
            action,
            resource,
            decision: expect.not.stringMatching(/^deny$/),
          });
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

// ----------------------------------------------------------------------------- rules: source and self drop list

describe.each(variants)('the CloudTrail rules with %s', (_label, template) => {
  const patternOf = (rule: string) =>
    resolve(template(), template().Resources[rule]?.Properties?.EventPattern) as Record<string, unknown>;
  const selfPrincipals = (): string[] =>
    (
      resolve(template(), template().Resources.TriageLambdaFunction?.Properties?.Environment) as {
        Variables: Record<string, string>;
      }
    ).Variables.SELF_PRINCIPALS!.split(',');

  test('admit only events whose source starts with "aws." (custom PutEvents cannot claim one)', () => {
    const forged = {
      source: 'custom.qbusiness',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: {
        eventSource: 'qbusiness.amazonaws.com',
        eventName: 'DeleteIndex',
        readOnly: false,
        userIdentity: { type: 'IAMUser' },
      },
    };
    for (const rule of RULES) {
      counted('rule source checks', 2);
      expect(patternOf(rule).source).toEqual([{ prefix: 'aws.' }]);
      expect(matchesPattern(patternOf(rule), forged)).toBe(false);
    }
    expect(RULES.filter((rule) => matchesPattern(patternOf(rule), { ...forged, source: 'aws.qbusiness' }))).toEqual([
      'ActivityRule',
    ]);
  });

  test('drop exactly the exact role ARNs of SELF_PRINCIPALS (globs are left to the code)', () => {
    const exact = selfPrincipals().filter((principal) => !principal.includes('*'));
    for (const rule of SELF_DROPPING_RULES) {
      const issuer = (
        (patternOf(rule).detail as Record<string, unknown>).userIdentity as {
          sessionContext: { sessionIssuer: { $or: { arn: unknown[] }[] } };
        }
      ).sessionContext.sessionIssuer;
      const dropped = issuer.$or.flatMap((branch) =>
        branch.arn.flatMap((rule) => ((rule as Record<string, unknown>)['anything-but'] as string[] | undefined) ?? []),
      );
      counted('self drop list checks');
      expect([...dropped].sort()).toEqual([...exact].sort());
    }
  });
});

describe('the self drop list per condition', () => {
  const dropList = (template: Template): string =>
    JSON.stringify(resolve(template, template.Resources.ActivityRule?.Properties?.EventPattern));

  test('names the connector role only when the stack deploys it, and the identity role only when given', () => {
    counted('self drop list checks', 4);
    expect(dropList(base)).not.toContain('qb-datasource');
    expect(dropList(assistant)).toContain('role/q-triage-dev-us-east-1-qb-datasource');
    expect(dropList(base)).not.toContain('q-identity-bridge');
    expect(dropList(assistant)).toContain('role/q-identity-bridge');
  });
});

// ----------------------------------------------------------------------------- alarms

/** Metrics the code emits in namespace QTriage: the pipeline's counters and resync's two figures. */
const EMITTED_METRICS = new Set<string>([...METRIC_NAMES, 'PlaybookSyncFailed', 'PlaybookSyncAgeHours']);

describe.each(variants)('the alarms with %s', (_label, template) => {
  const alarm = (name: string) =>
    resolve(template(), template().Resources[name]?.Properties) as Record<string, unknown>;

  test('watch only metrics the code emits, under the namespace and service dimension the handlers use', () => {
    const custom = resourcesOfType(template(), 'AWS::CloudWatch::Alarm').filter(
      ([, resource]) => resource.Properties?.Namespace === 'QTriage',
    );
    const env = (
      resolve(template(), template().Resources.TriageLambdaFunction?.Properties?.Environment) as {
        Variables: Record<string, string>;
      }
    ).Variables;
    counted('custom-metric alarms checked', custom.length);
    expect(custom.length).toBeGreaterThanOrEqual(6);
    for (const [name, resource] of custom) {
      expect({
        name,
        metric: resource.Properties?.MetricName,
        known: EMITTED_METRICS.has(String(resource.Properties?.MetricName)),
      }).toMatchObject({ known: true });
      expect(resource.Properties?.Dimensions).toEqual([{ Name: 'service', Value: env.POWERTOOLS_SERVICE_NAME }]);
    }
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('QTriage');
  });

  test('raise a heartbeat when no Q event reached triage for heartbeatHours (24 by default), and page', () => {
    const heartbeat = alarm('HeartbeatAlarm');
    counted('alarm checks');
    expect(heartbeat).toMatchObject({
      MetricName: 'EventsIn',
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect(Number(heartbeat.Period) * Number(heartbeat.EvaluationPeriods)).toBe(24 * 3600);
    expect(heartbeat.DatapointsToAlarm).toBe(heartbeat.EvaluationPeriods);
    expect(heartbeat.AlarmActions).toEqual(['<AlertsTopic>', '<PagingTopic>']);
  });

  test('alarm on rejected events and on pages held back by the cap', () => {
    counted('alarm checks', 2);
    expect(alarm('EventsRejectedAlarm')).toMatchObject({
      MetricName: 'EventsRejected',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
    expect(alarm('PagesSuppressedByCapAlarm')).toMatchObject({
      MetricName: 'PagesSuppressedByCap',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
  });

  test('page only for what blinds detection: no events, undeliverable or untriaged events, a stuck buffer', () => {
    const paging = alarmTopics(template())
      .filter(([, topics]) => topics.includes('<PagingTopic>'))
      .map(([name]) => name);
    counted('alarm checks');
    expect(paging.sort()).toEqual(['BufferAgeAlarm', 'BufferDLQAlarm', 'HeartbeatAlarm', 'RuleDeliveryDLQAlarm']);
  });

  test('stay within the evaluation range CloudWatch accepts (1 day below an hourly period, 7 days otherwise)', () => {
    for (const [name, resource] of resourcesOfType(template(), 'AWS::CloudWatch::Alarm')) {
      const range = Number(resource.Properties?.Period) * Number(resource.Properties?.EvaluationPeriods);
      counted('alarm evaluation ranges checked');
      expect({ name, within: range <= (Number(resource.Properties?.Period) < 3600 ? 86_400 : 604_800) }).toEqual({
        name,
        within: true,
      });
    }
  });
});

// ----------------------------------------------------------------------------- rules vs samples

interface Envelope {
  'detail-type'?: string;
  detail?: {
    eventSource?: string;
    readOnly?: boolean;
    eventCategory?: string;
    userIdentity?: { invokedBy?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
  };
}

function envelopesIn(file: string): Envelope[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Records?: { body?: string }[] } & Envelope;
  if (!Array.isArray(parsed.Records)) return parsed['detail-type'] === undefined ? [] : [parsed];
  return parsed.Records.flatMap((record) => {
    try {
      const body = JSON.parse(record.body ?? '') as Envelope;
      return typeof body === 'object' && body !== null && body['detail-type'] !== undefined ? [body] : [];
    } catch {
      return []; // deliberately broken records (the "bad records" samples) are not envelopes
    }
  });
}

function jsonFilesUnder(dir: string): string[] {
  const absolute = path.join(REPO_ROOT, dir);
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => path.join(dir, file));
}

const SAMPLE_FILES = [...jsonFilesUnder('events'), ...jsonFilesUnder('test/fixtures/stack')].sort();

/** What the stack should do with an event, from the product's rules rather than from the patterns. */
function expectedRules(envelope: Envelope, stackRoles: readonly string[]): string[] {
  const detail = envelope.detail ?? {};
  if (envelope['detail-type'] !== 'AWS API Call via CloudTrail') return [];
  // Amazon Q Developer acting for a user in another service: its writes, not its reads.
  if (!Q_EVENT_SOURCES.has(detail.eventSource ?? ''))
    return detail.userIdentity?.invokedBy === 'q.amazonaws.com' && detail.readOnly !== true ? ['OnBehalfRule'] : [];
  if (stackRoles.includes(detail.userIdentity?.sessionContext?.sessionIssuer?.arn ?? '')) return [];
  return detail.readOnly === true && detail.eventCategory !== 'Data' ? ['ReadOnlyRule'] : ['ActivityRule'];
}

describe('EventBridge rules against the sample events', () => {
  const cases = SAMPLE_FILES.flatMap((file) =>
    envelopesIn(path.join(REPO_ROOT, file)).map((envelope, index) => [`${file}#${index}`, envelope] as const),
  );

  test('finds sample envelopes to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('%s reaches exactly the expected rule', (_name, envelope) => {
    const stackRoles = Object.values(ROLE_OF_FUNCTION).map((role) =>
      String(resolve(base, { 'Fn::GetAtt': [role, 'Arn'] })),
    );
    const matched = RULES.filter((rule) =>
      matchesPattern(resolve(base, base.Resources[rule]?.Properties?.EventPattern), envelope),
    );
    counted('sample envelopes run through the rules');
    expect(matched).toEqual(expectedRules(envelope, stackRoles));
  });

  test('sends a read-only management event to the read-only rule only', () => {
    const envelope = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'test/fixtures/stack/list-applications-no-category.json'), 'utf8'),
    ) as Envelope;
    const matched = RULES.filter((rule) =>
      matchesPattern(resolve(base, base.Resources[rule]?.Properties?.EventPattern), envelope),
    );
    counted('read-only routing checks');
    expect(matched).toEqual(['ReadOnlyRule']);
  });
});

describe('successfulChat=false', () => {
  const chat = (eventName: string, extra: Record<string, unknown> = {}) => ({
    source: 'aws.qbusiness',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: 'qbusiness.amazonaws.com',
      eventName,
      eventCategory: 'Data',
      readOnly: true,
      userIdentity: {
        type: 'AssumedRole',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/QUsers' } },
      },
      ...extra,
    },
  });
  const rulesFor = (template: Template, envelope: unknown): string[] =>
    RULES.filter((rule) =>
      matchesPattern(resolve(template, template.Resources[rule]?.Properties?.EventPattern), envelope),
    );

  test('keeps successful chat calls off the queue, and still delivers failed ones and every other event', () => {
    counted('successfulChat routing checks', 6);
    expect(rulesFor(base, chat('ChatSync'))).toEqual(['ActivityRule']);
    expect(rulesFor(mirror, chat('ChatSync'))).toEqual([]);
    expect(rulesFor(mirror, chat('Chat', { readOnly: false }))).toEqual([]);
    expect(rulesFor(mirror, chat('ChatSync', { errorCode: 'AccessDeniedException' }))).toEqual(['ActivityRule']);
    expect(rulesFor(mirror, chat('ListMessages'))).toEqual(['ActivityRule']);
    expect(rulesFor(mirror, chat('DeleteIndex', { eventCategory: 'Management', readOnly: false }))).toEqual([
      'ActivityRule',
    ]);
  });
});

// ----------------------------------------------------------------------------- optional assistant

describe('optional playbook assistant', () => {
  const ASSISTANT_TYPES = [
    'AWS::QBusiness::Application',
    'AWS::QBusiness::Index',
    'AWS::QBusiness::Retriever',
    'AWS::QBusiness::DataSource',
    'AWS::QBusiness::WebExperience',
    'AWS::S3::Bucket',
  ];

  function deployedTypes(template: Template): string[] {
    return Object.values(template.Resources)
      .filter((resource) => isDeployed(template, resource))
      .map((resource) => resource.Type);
  }

  test('is off by default', () => {
    counted('assistant condition checks');
    expect(conditionHolds(base, 'DeployAssistant')).toBe(false);
    expect(deployedTypes(base).filter((type) => type.startsWith('AWS::QBusiness::'))).toEqual([]);
  });

  test('deploys the application, index, retriever, two data sources, web experience and three buckets when enabled', () => {
    const types = deployedTypes(assistant);
    counted('assistant resource types checked', ASSISTANT_TYPES.length);
    expect(conditionHolds(assistant, 'DeployAssistant')).toBe(true);
    for (const type of ASSISTANT_TYPES) expect(types).toContain(type);
    expect(types.filter((type) => type === 'AWS::QBusiness::DataSource')).toHaveLength(2);
    // three buckets of ours plus the framework's deployment bucket
    expect(types.filter((type) => type === 'AWS::S3::Bucket')).toHaveLength(4);
  });

  test('wires the assistant ids into resync and enrichment', () => {
    const resyncEnv = (
      resolve(assistant, assistant.Resources.ResyncLambdaFunction?.Properties?.Environment) as {
        Variables: Record<string, string>;
      }
    ).Variables;
    const triageEnv = (
      resolve(assistant, assistant.Resources.TriageLambdaFunction?.Properties?.Environment) as {
        Variables: Record<string, string>;
      }
    ).Variables;
    counted('assistant wiring checks');
    expect(resyncEnv).toMatchObject({
      QBUSINESS_APPLICATION_ID: '<AssistantApplication.ApplicationId>',
      QBUSINESS_INDEX_ID: '<AssistantIndex.IndexId>',
      QBUSINESS_DATA_SOURCE_IDS: '<AwsPlaybooksDataSource.DataSourceId>,<CustomPlaybooksDataSource.DataSourceId>',
      AWS_PLAYBOOKS_BUCKET: '<AwsPlaybooksBucket>',
    });
    expect(triageEnv).toMatchObject({
      ENRICH_SOURCE: 'qbusiness',
      QBUSINESS_APPLICATION_ID: '<AssistantApplication.ApplicationId>',
    });
  });

  test('blocks public access, versions and logs the playbook buckets', () => {
    const buckets = resourcesOfType(assistant, 'AWS::S3::Bucket').filter(
      ([name]) => name !== 'ServerlessDeploymentBucket',
    );
    counted('assistant buckets hardened', buckets.length);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
    const logged = buckets.filter(([, bucket]) => bucket.Properties?.LoggingConfiguration !== undefined);
    expect(logged.map(([name]) => name).sort()).toEqual(['AwsPlaybooksBucket', 'CustomPlaybooksBucket']);
  });
});

describe('optional trail', () => {
  const trails = (template: Template) =>
    resourcesOfType(template, 'AWS::CloudTrail::Trail').filter(([, resource]) => isDeployed(template, resource));

  test('is off by default', () => {
    counted('trail checks');
    expect(trails(base)).toEqual([]);
  });

  test('logs management events and Q Business data events, in every Region, validated and KMS-encrypted', () => {
    const [[, resource] = ['', undefined]] = trails(trail);
    const properties = resolve(trail, resource?.Properties) as {
      IsMultiRegionTrail: boolean;
      EnableLogFileValidation: boolean;
      KMSKeyId: unknown;
      AdvancedEventSelectors: { FieldSelectors: { Field: string; Equals: string[] }[] }[];
    };
    counted('trail checks');
    expect(properties).toMatchObject({ IsMultiRegionTrail: true, EnableLogFileValidation: true });
    expect(properties.KMSKeyId).toBeDefined();
    const selectors = properties.AdvancedEventSelectors.map((selector) =>
      Object.fromEntries(selector.FieldSelectors.map((field) => [field.Field, field.Equals])),
    );
    // A trail with data selectors only would silently stop logging management events.
    expect(selectors).toContainEqual({ eventCategory: ['Management'] });
    expect(selectors).toContainEqual({
      eventCategory: ['Data'],
      'resources.type': [
        'AWS::QBusiness::Application',
        'AWS::QBusiness::DataSource',
        'AWS::QBusiness::Index',
        'AWS::QBusiness::WebExperience',
        'AWS::QBusiness::Integration',
      ],
    });
    expect(selectors).toContainEqual({
      eventCategory: ['Data'],
      'resources.type': ['AWS::CodeWhisperer::Profile', 'AWS::CodeWhisperer::Customization'],
    });
  });
});

describe('answer sources without Q Business', () => {
  const triageEnv = (template: Template) =>
    (
      resolve(template, template.Resources.TriageLambdaFunction?.Properties?.Environment) as {
        Variables: Record<string, string>;
      }
    ).Variables;
  const triageStatements = (template: Template) =>
    policyStatements(template)
      .filter((entry) => entry.owner === 'TriageRole')
      .map((entry) => entry.statement);
  const statement = (template: Template, sid: string) => triageStatements(template).find((entry) => entry.Sid === sid);

  test('answers from the playbook mirror by default: an existing one when given, else the stack’s own bucket', () => {
    counted('answer source checks', 2);
    expect(triageEnv(mirror)).toMatchObject({
      ENRICH_SOURCE: 'playbooks',
      AWS_PLAYBOOKS_BUCKET: 'acme-aws-playbooks',
      CUSTOM_PLAYBOOKS_BUCKET: 'acme-custom-playbooks',
    });
    expect(triageEnv(base).ENRICH_SOURCE).toBe('playbooks');
  });

  test('lets the playbooks source list docs/ of the AWS mirror and read the custom bucket, nothing more', () => {
    counted('answer source checks', 3);
    expect(statement(mirror, 'PlaybookAnswersListAwsMirror')).toMatchObject({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-aws-playbooks',
      Condition: { StringLike: { 's3:prefix': 'docs/*' } },
    });
    expect(statement(mirror, 'PlaybookAnswersListCustom')).toMatchObject({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-custom-playbooks',
    });
    expect(statement(mirror, 'PlaybookAnswersReadCustom')).toMatchObject({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-custom-playbooks/*',
    });
    expect(statement(base, 'PlaybookAnswersListCustom')).toBeUndefined();
  });

  test('wires the knowledge base and grants Retrieve, RetrieveAndGenerate on it and InvokeModel on the one model', () => {
    counted('answer source checks', 3);
    expect(triageEnv(knowledgeBase)).toMatchObject({
      ENRICH_SOURCE: 'bedrock-kb',
      BEDROCK_KNOWLEDGE_BASE_ID: 'KBQTRIAGE1',
      BEDROCK_MODEL_ARN: MODEL_ARN,
    });
    const kb = statement(knowledgeBase, 'KnowledgeBaseAnswers');
    expect(kb?.Action).toEqual(['bedrock:Retrieve', 'bedrock:RetrieveAndGenerate']);
    expect(String(kb?.Resource)).toMatch(/^arn:aws:bedrock:[a-z0-9-]+:\d{12}:knowledge-base\/KBQTRIAGE1$/);
    expect(statement(knowledgeBase, 'KnowledgeBaseModel')).toMatchObject({
      Action: 'bedrock:InvokeModel',
      Resource: MODEL_ARN,
    });
    expect(statement(mirror, 'KnowledgeBaseAnswers')).toBeUndefined();
  });
});
