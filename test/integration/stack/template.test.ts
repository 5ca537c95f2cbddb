/**
 * Assertions on the CloudFormation that `serverless package` generates (offline, no AWS
 * credentials): least privilege, encryption, retention, dead-letter queues, and the EventBridge
 * rules against the sample events. Prints how many checks of each kind ran.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
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

/** Actions IAM accepts only with `Resource: "*"` (service authorization reference). */
const STAR_RESOURCE_ACTIONS = new Set(['cloudtrail:LookupEvents', 'cloudtrail:DescribeTrails']);
const Q_EVENT_SOURCES = new Set(['qbusiness.amazonaws.com', 'q.amazonaws.com']);
const RULES = ['ActivityRule', 'ReadOnlyRule'] as const;
const ROLE_OF_FUNCTION = { triage: 'TriageRole', resync: 'ResyncRole', readiness: 'ReadinessRole' } as const;
/** The operator the trail variant lets send to the buffer (q-triage redrive, test events). */
const QUEUE_OPERATOR = 'arn:aws:iam::111122223333:role/SecOpsOperator';

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
  ]);
  trail = await packageStack(['createTrail=true', `queueSenderArns=${QUEUE_OPERATOR}`]);
  mirror = await packageStack(['awsPlaybooksBucket=acme-aws-playbooks', 'customPlaybooksBucket=acme-custom-playbooks']);
  knowledgeBase = await packageStack(['enrichSource=bedrock-kb', 'bedrockKnowledgeBaseId=KBQTRIAGE1', `bedrockModelArn=${MODEL_ARN}`]);
}, 1_200_000);

afterAll(() => {
  const lines = Object.entries(counts).map(([kind, n]) => `  ${kind}: ${n}`);
  process.stdout.write(`stack template checks\n${lines.join('\n')}\n`);
});

const variants: [string, () => Template][] = [
  ['default parameters', () => base],
  ['deployAssistant=true', () => assistant],
  ['createTrail=true and queueSenderArns', () => trail],
  ['an existing playbook mirror', () => mirror],
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
  it('grants no wildcard action in any role policy', () => {
    const statements = policyStatements(template()).filter((entry) => entry.identity);
    const actions = statements.flatMap((entry) => asList(entry.statement.Action).map((action) => `${entry.owner}: ${action}`));
    counted('IAM actions checked for wildcards', actions.length);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('uses Resource "*" only for actions that support nothing narrower', () => {
    const starStatements = policyStatements(template()).filter(
      (entry) => entry.identity && asList(entry.statement.Resource as unknown).includes('*'),
    );
    counted('Resource "*" statements checked against the allow-list', starStatements.length);
    const offending = starStatements.flatMap((entry) => asList(entry.statement.Action).filter((action) => !STAR_RESOURCE_ACTIONS.has(action)));
    expect(offending).toEqual([]);
  });

  it('allows wildcard actions in resource policies only in the account root key statement', () => {
    const allows = policyStatements(template()).filter((entry) => !entry.identity && entry.statement.Effect === 'Allow');
    counted('resource-policy Allow statements checked', allows.length);
    const wildcard = allows.filter((entry) => asList(entry.statement.Action).some((action) => action.includes('*')));
    expect(wildcard.map((entry) => `${entry.owner}/${entry.statement.Sid}`)).toEqual(
      resourcesOfType(template(), 'AWS::KMS::Key').map(([name]) => `${name}/AccountAdministers`),
    );
  });

  it('gives every function its own role', () => {
    const functions = resourcesOfType(template(), 'AWS::Lambda::Function').filter(([, fn]) => isDeployed(template(), fn));
    const roles = functions.map(([, fn]) => JSON.stringify(fn.Properties?.Role));
    counted('functions checked for a role of their own', functions.length);
    expect(functions.map(([name]) => name).sort()).toEqual(['ReadinessLambdaFunction', 'ResyncLambdaFunction', 'TriageLambdaFunction']);
    expect(new Set(roles).size).toBe(functions.length);
  });

  it('lists every function role in SELF_PRINCIPALS', () => {
    for (const [fn, role] of Object.entries(ROLE_OF_FUNCTION)) {
      const env = resolve(template(), template().Resources[`${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`]?.Properties?.Environment) as {
        Variables: Record<string, string>;
      };
      const self = env.Variables.SELF_PRINCIPALS!.split(',');
      const roleArns = Object.values(ROLE_OF_FUNCTION).map((name) => resolve(template(), { 'Fn::GetAtt': [name, 'Arn'] }));
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

  it('encrypts every SNS topic with a KMS key', () => {
    const topics = deployed('AWS::SNS::Topic');
    counted('SNS topics with KMS', topics.length);
    expect(topics.length).toBe(2);
    expect(topics.filter(([, topic]) => topic.Properties?.KmsMasterKeyId === undefined).map(([name]) => name)).toEqual([]);
  });

  it('encrypts every SQS queue with a KMS key', () => {
    const queues = deployed('AWS::SQS::Queue');
    counted('SQS queues with KMS', queues.length);
    expect(queues.filter(([, queue]) => queue.Properties?.KmsMasterKeyId === undefined).map(([name]) => name)).toEqual([]);
  });

  it('encrypts every DynamoDB table with a customer managed KMS key', () => {
    const tables = deployed('AWS::DynamoDB::Table');
    counted('DynamoDB tables with KMS', tables.length);
    expect(tables.length).toBe(1);
    for (const [, table] of tables) {
      expect(table.Properties?.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() });
    }
  });

  it('encrypts every S3 bucket with aws:kms, except the access-log bucket S3 requires to use SSE-S3', () => {
    const buckets = deployed('AWS::S3::Bucket');
    const logTargets = new Set(
      buckets.flatMap(([, bucket]) => {
        const target = (bucket.Properties?.LoggingConfiguration as { DestinationBucketName?: { Ref?: string } } | undefined)?.DestinationBucketName?.Ref;
        return target === undefined ? [] : [target];
      }),
    );
    counted('S3 buckets with encryption checked', buckets.length);
    for (const [name, bucket] of buckets) {
      const algorithm = (bucket.Properties?.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] })
        .ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault.SSEAlgorithm;
      expect({ name, algorithm }).toEqual({ name, algorithm: logTargets.has(name) ? 'AES256' : 'aws:kms' });
    }
  });

  it('rotates every KMS key', () => {
    const keys = deployed('AWS::KMS::Key');
    counted('KMS keys with rotation', keys.length);
    expect(keys.filter(([, key]) => key.Properties?.EnableKeyRotation !== true)).toEqual([]);
  });
});

describe('logs, queues and targets', () => {
  it('gives every function a log group and every log group a retention', () => {
    const groups = resourcesOfType(base, 'AWS::Logs::LogGroup');
    const functions = resourcesOfType(base, 'AWS::Lambda::Function');
    counted('log groups with retention', groups.length);
    expect(groups.filter(([, group]) => typeof group.Properties?.RetentionInDays !== 'number').map(([name]) => name)).toEqual([]);
    const groupNames = groups.map(([, group]) => group.Properties?.LogGroupName);
    expect(functions.map(([, fn]) => `/aws/lambda/${String(fn.Properties?.FunctionName)}`).filter((name) => !groupNames.includes(name))).toEqual([]);
  });

  it('redrives every queue that is not itself a dead-letter queue', () => {
    const queues = resourcesOfType(base, 'AWS::SQS::Queue');
    const deadLetter = new Set<string>();
    for (const [, resource] of Object.entries(base.Resources)) {
      const text = JSON.stringify(resource.Properties ?? {});
      for (const match of text.matchAll(/"(?:deadLetterTargetArn|DeadLetterConfig)":\{?"?(?:Arn"?:)?\{"Fn::GetAtt":\["(\w+)"/g)) deadLetter.add(match[1]!);
    }
    const primary = queues.filter(([name]) => !deadLetter.has(name));
    counted('queues with a redrive policy', primary.length);
    expect(primary.map(([name]) => name)).toEqual(['BufferQueue']);
    expect(primary.filter(([, queue]) => queue.Properties?.RedrivePolicy === undefined)).toEqual([]);
  });

  it('sets the buffer visibility timeout to at least six times the triage timeout', () => {
    const visibility = base.Resources.BufferQueue?.Properties?.VisibilityTimeout as number;
    const timeout = base.Resources.TriageLambdaFunction?.Properties?.Timeout as number;
    counted('visibility timeout checks');
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('reports partial batch failures from the buffer queue', () => {
    const mappings = resourcesOfType(base, 'AWS::Lambda::EventSourceMapping');
    counted('event source mappings checked', mappings.length);
    expect(mappings.map(([, mapping]) => mapping.Properties?.FunctionResponseTypes)).toEqual([['ReportBatchItemFailures']]);
  });

  it('gives every CloudTrail rule target a dead-letter queue and a retry policy', () => {
    for (const rule of RULES) {
      const targets = base.Resources[rule]?.Properties?.Targets as { DeadLetterConfig?: unknown; RetryPolicy?: unknown }[];
      counted('rule targets with DLQ and retry policy', targets.length);
      expect(targets.every((target) => target.DeadLetterConfig !== undefined && target.RetryPolicy !== undefined)).toBe(true);
    }
  });

  it('puts read-only management events on a rule in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS by default', () => {
    counted('rule state checks');
    expect(resolve(base, base.Resources.ReadOnlyRule?.Properties?.State)).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(resolve(base, base.Resources.ActivityRule?.Properties?.State)).toBe('ENABLED');
  });
});

// ----------------------------------------------------------------------------- who may send to the buffer

/** The request context of an sqs:SendMessage call, as IAM sees it (absent keys are not set). */
interface SendContext {
  readonly 'aws:SourceArn'?: string;
  readonly 'aws:PrincipalArn'?: string;
  readonly 'aws:SecureTransport': boolean;
}

/** ARN pattern match, * and ? as in ArnLike (enough for the template's own values). */
const arnMatches = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

const CONDITION_OPERATORS: Record<string, (values: string[], value: string | boolean | undefined) => boolean> = {
  // A negated operator holds when the key is absent, and when the value matches none of the listed values.
  ArnNotEquals: (values, value) => value === undefined || values.every((listed) => listed !== value),
  ArnNotLike: (values, value) => value === undefined || values.every((listed) => !arnMatches(listed, String(value))),
  ArnEquals: (values, value) => value !== undefined && values.includes(String(value)),
  Bool: (values, value) => value !== undefined && values.includes(String(value)),
};

function conditionsHold(condition: unknown, context: SendContext): boolean {
  return Object.entries((condition ?? {}) as Record<string, Record<string, unknown>>).every(([operator, keys]) => {
    const evaluate = CONDITION_OPERATORS[operator];
    if (evaluate === undefined) throw new Error(`no evaluator for condition operator ${operator}`);
    return Object.entries(keys).every(([key, values]) => evaluate(asList(values as string | string[]).map(String), context[key as keyof SendContext]));
  });
}

/** Whether the buffer queue's policy explicitly denies sqs:SendMessage in this context. */
function bufferDeniesSend(template: Template, context: SendContext): boolean {
  const policy = resolve(template, template.Resources.BufferQueuePolicy?.Properties?.PolicyDocument) as { Statement: (PolicyStatement & { Condition?: unknown })[] };
  return policy.Statement.some(
    (statement) =>
      statement.Effect === 'Deny' &&
      asList(statement.Action).includes('sqs:SendMessage') &&
      asList(statement.Resource as unknown).includes('<BufferQueue.Arn>') &&
      conditionsHold(statement.Condition, context),
  );
}

describe('the buffer queue policy', () => {
  const fromRule = (rule: string): SendContext => ({ 'aws:SourceArn': `<${rule}.Arn>`, 'aws:SecureTransport': true });
  const asRole = (arn: string): SendContext => ({ 'aws:PrincipalArn': arn, 'aws:SecureTransport': true });

  it.each(variants)('lets the two rules send, over TLS only, with %s', (_label, template) => {
    for (const rule of RULES) {
      counted('queue policy send checks', 2);
      expect(bufferDeniesSend(template(), fromRule(rule))).toBe(false);
      expect(bufferDeniesSend(template(), { ...fromRule(rule), 'aws:SecureTransport': false })).toBe(true);
    }
  });

  it.each(variants)('denies every other sender whatever its IAM policy allows, with %s', (_label, template) => {
    counted('queue policy send checks', 3);
    expect(bufferDeniesSend(template(), asRole('arn:aws:iam::111122223333:role/Admin'))).toBe(true);
    expect(bufferDeniesSend(template(), asRole('arn:aws:iam::111122223333:role/SecOpsOperatorX'))).toBe(true);
    expect(bufferDeniesSend(template(), { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/other', 'aws:SecureTransport': true })).toBe(true);
  });

  it('lets the operators in queueSenderArns send (redrive, test events), and only when it is set', () => {
    counted('queue policy send checks', 2);
    expect(bufferDeniesSend(trail, asRole(QUEUE_OPERATOR))).toBe(false);
    expect(bufferDeniesSend(base, asRole(QUEUE_OPERATOR))).toBe(true);
  });
});

// ----------------------------------------------------------------------------- rules vs samples

interface Envelope {
  'detail-type'?: string;
  detail?: { eventSource?: string; readOnly?: boolean; eventCategory?: string; userIdentity?: { sessionContext?: { sessionIssuer?: { arn?: string } } } };
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
  if (envelope['detail-type'] !== 'AWS API Call via CloudTrail' || !Q_EVENT_SOURCES.has(detail.eventSource ?? '')) return [];
  if (stackRoles.includes(detail.userIdentity?.sessionContext?.sessionIssuer?.arn ?? '')) return [];
  return detail.readOnly === true && detail.eventCategory !== 'Data' ? ['ReadOnlyRule'] : ['ActivityRule'];
}

describe('EventBridge rules against the sample events', () => {
  const cases = SAMPLE_FILES.flatMap((file) => envelopesIn(path.join(REPO_ROOT, file)).map((envelope, index) => [`${file}#${index}`, envelope] as const));

  it('finds sample envelopes to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s reaches exactly the expected rule', (_name, envelope) => {
    const stackRoles = Object.values(ROLE_OF_FUNCTION).map((role) => String(resolve(base, { 'Fn::GetAtt': [role, 'Arn'] })));
    const matched = RULES.filter((rule) => matchesPattern(resolve(base, base.Resources[rule]?.Properties?.EventPattern), envelope));
    counted('sample envelopes run through the rules');
    expect(matched).toEqual(expectedRules(envelope, stackRoles));
  });

  it('sends a read-only management event to the read-only rule only', () => {
    const envelope = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/stack/list-applications-no-category.json'), 'utf8')) as Envelope;
    const matched = RULES.filter((rule) => matchesPattern(resolve(base, base.Resources[rule]?.Properties?.EventPattern), envelope));
    counted('read-only routing checks');
    expect(matched).toEqual(['ReadOnlyRule']);
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
    return Object.values(template.Resources).filter((resource) => isDeployed(template, resource)).map((resource) => resource.Type);
  }

  it('is off by default', () => {
    counted('assistant condition checks');
    expect(conditionHolds(base, 'DeployAssistant')).toBe(false);
    expect(deployedTypes(base).filter((type) => type.startsWith('AWS::QBusiness::'))).toEqual([]);
  });

  it('deploys the application, index, retriever, two data sources, web experience and three buckets when enabled', () => {
    const types = deployedTypes(assistant);
    counted('assistant resource types checked', ASSISTANT_TYPES.length);
    expect(conditionHolds(assistant, 'DeployAssistant')).toBe(true);
    for (const type of ASSISTANT_TYPES) expect(types).toContain(type);
    expect(types.filter((type) => type === 'AWS::QBusiness::DataSource')).toHaveLength(2);
    // three buckets of ours plus the framework's deployment bucket
    expect(types.filter((type) => type === 'AWS::S3::Bucket')).toHaveLength(4);
  });

  it('wires the assistant ids into resync and enrichment', () => {
    const resyncEnv = (resolve(assistant, assistant.Resources.ResyncLambdaFunction?.Properties?.Environment) as { Variables: Record<string, string> }).Variables;
    const triageEnv = (resolve(assistant, assistant.Resources.TriageLambdaFunction?.Properties?.Environment) as { Variables: Record<string, string> }).Variables;
    counted('assistant wiring checks');
    expect(resyncEnv).toMatchObject({
      QBUSINESS_APPLICATION_ID: '<AssistantApplication.ApplicationId>',
      QBUSINESS_INDEX_ID: '<AssistantIndex.IndexId>',
      QBUSINESS_DATA_SOURCE_IDS: '<AwsPlaybooksDataSource.DataSourceId>,<CustomPlaybooksDataSource.DataSourceId>',
      AWS_PLAYBOOKS_BUCKET: '<AwsPlaybooksBucket>',
    });
    expect(triageEnv).toMatchObject({ ENRICH_SOURCE: 'qbusiness', QBUSINESS_APPLICATION_ID: '<AssistantApplication.ApplicationId>' });
  });

  it('blocks public access, versions and logs the playbook buckets', () => {
    const buckets = resourcesOfType(assistant, 'AWS::S3::Bucket').filter(([name]) => name !== 'ServerlessDeploymentBucket');
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
  const trails = (template: Template) => resourcesOfType(template, 'AWS::CloudTrail::Trail').filter(([, resource]) => isDeployed(template, resource));

  it('is off by default', () => {
    counted('trail checks');
    expect(trails(base)).toEqual([]);
  });

  it('logs management events and Q Business data events, in every Region, validated and KMS-encrypted', () => {
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
    const selectors = properties.AdvancedEventSelectors.map((selector) => Object.fromEntries(selector.FieldSelectors.map((field) => [field.Field, field.Equals])));
    // A trail with data selectors only would silently stop logging management events.
    expect(selectors).toContainEqual({ eventCategory: ['Management'] });
    expect(selectors).toContainEqual({
      eventCategory: ['Data'],
      'resources.type': ['AWS::QBusiness::Application', 'AWS::QBusiness::DataSource', 'AWS::QBusiness::Index'],
    });
  });
});

describe('answer sources without Q Business', () => {
  const triageEnv = (template: Template) =>
    (resolve(template, template.Resources.TriageLambdaFunction?.Properties?.Environment) as { Variables: Record<string, string> }).Variables;
  const triageStatements = (template: Template) =>
    policyStatements(template)
      .filter((entry) => entry.owner === 'TriageRole')
      .map((entry) => entry.statement);
  const statement = (template: Template, sid: string) => triageStatements(template).find((entry) => entry.Sid === sid);

  it('answers from the playbook mirror by default whenever one exists, and turns enrichment off without one', () => {
    counted('answer source checks', 2);
    expect(triageEnv(mirror)).toMatchObject({ ENRICH_SOURCE: 'playbooks', AWS_PLAYBOOKS_BUCKET: 'acme-aws-playbooks', CUSTOM_PLAYBOOKS_BUCKET: 'acme-custom-playbooks' });
    expect(triageEnv(base).ENRICH_SOURCE).toBe('none');
  });

  it('lets the playbooks source list docs/ of the AWS mirror and read the custom bucket, nothing more', () => {
    counted('answer source checks', 3);
    expect(statement(mirror, 'PlaybookAnswersListAwsMirror')).toMatchObject({
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-aws-playbooks',
      Condition: { StringLike: { 's3:prefix': 'docs/*' } },
    });
    expect(statement(mirror, 'PlaybookAnswersListCustom')).toMatchObject({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-custom-playbooks' });
    expect(statement(mirror, 'PlaybookAnswersReadCustom')).toMatchObject({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-custom-playbooks/*' });
    expect(statement(base, 'PlaybookAnswersListAwsMirror')).toBeUndefined();
  });

  it('wires the knowledge base and grants Retrieve, RetrieveAndGenerate on it and InvokeModel on the one model', () => {
    counted('answer source checks', 3);
    expect(triageEnv(knowledgeBase)).toMatchObject({ ENRICH_SOURCE: 'bedrock-kb', BEDROCK_KNOWLEDGE_BASE_ID: 'KBQTRIAGE1', BEDROCK_MODEL_ARN: MODEL_ARN });
    const kb = statement(knowledgeBase, 'KnowledgeBaseAnswers');
    expect(kb?.Action).toEqual(['bedrock:Retrieve', 'bedrock:RetrieveAndGenerate']);
    expect(String(kb?.Resource)).toMatch(/^arn:aws:bedrock:[a-z0-9-]+:\d{12}:knowledge-base\/KBQTRIAGE1$/);
    expect(statement(knowledgeBase, 'KnowledgeBaseModel')).toMatchObject({ Action: 'bedrock:InvokeModel', Resource: MODEL_ARN });
    expect(statement(mirror, 'KnowledgeBaseAnswers')).toBeUndefined();
  });
});
