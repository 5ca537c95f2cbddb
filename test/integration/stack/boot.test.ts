/**
 * Dead on deploy, caught in CI: the stack is packaged offline for the documented parameter sets, each
 * function's environment is resolved from the template it would be deployed with, and each function is
 * started from its built zip in a process of its own with exactly that environment (plus what the Lambda
 * runtime sets and the SDK's endpoint variables, which point the clients at dynalite and local stubs).
 * The triage function then takes a sample SQS batch from events/: an alert must come out. Readiness and
 * resync take a scheduled event: readiness runs its checks, resync mirrors the playbooks (from a local tarball:
 * the one setting that differs from the template, since CI has no network) and starts the data source syncs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SQSBatchResponse } from 'aws-lambda';
import type { ResyncReport } from '../../../shared/resync/report';
import { buildTarball, FIXTURE_COMMIT, FIXTURE_FILES, repositoryEntries } from '../../fixtures/tarballs/build';
import { createStateTable, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { startHttp2Stub, startHttpStub, type HttpStub, type StubRequest } from '../../support/http-stub';
import { publishedMessages, snsPublished } from '../../support/sns-stub';
import { S3RVER_CREDENTIALS, startS3, startTarballServer, type S3Harness, type TarballServer } from '../resync/support';
import {
  PSEUDO,
  REPO_ROOT,
  isDeployed,
  packageStackWithArtifacts,
  resolve,
  resourcesOfType,
  type Template,
} from './cloudformation';

const APPLICATION_ID = '3f1b2c4d-0000-4000-8000-00000000000a';

/** The parameter sets docs/deploy.md documents; each is packaged once. */
const PARAMETER_SETS = {
  // The default answer source is the playbooks mirror the stack owns; before resync fills it there is no answer.
  defaults: { params: [], enrichment: 'no-answer', dataSources: 0 },
  'deployAssistant=true, enrichSource=qbusiness': {
    // Without the trusted-token-issuer pieces the template does not select identity-center enrichment.
    params: [
      'deployAssistant=true',
      'identityCenterInstanceArn=arn:aws:sso:::instance/ssoins-1234567890abcdef',
      'enrichSource=qbusiness',
    ],
    enrichment: 'disabled',
    dataSources: 2,
  },
  'existing application, enrichSource=qbusiness, createTrail=true': {
    params: [
      `qbusinessApplicationId=${APPLICATION_ID}`,
      'qbusinessIndexId=6a7b8c9d-0000-4000-8000-00000000000b',
      'qbusinessDataSourceIds=1c2d3e4f-0000-4000-8000-00000000000c',
      'enrichSource=qbusiness',
      'createTrail=true',
    ],
    enrichment: 'answered',
    dataSources: 1,
  },
} as const;
type SetName = keyof typeof PARAMETER_SETS;
const SET_NAMES = Object.keys(PARAMETER_SETS) as SetName[];
const FUNCTIONS = ['triage', 'resync', 'readiness'] as const;

interface PackagedSet {
  readonly index: number;
  readonly template: Template;
  readonly artifactDir: string;
  readonly tableName: string;
  readonly alertsTopicArn: string;
  readonly pagingTopicArn: string;
}

interface BootOutcome {
  readonly phase: 'init' | 'invoke';
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
}

let dynamo: LocalDynamo;
let sns: HttpStub;
let cloudtrail: HttpStub;
let qbusiness: HttpStub;
/** The Q Business client of resync and readiness speaks HTTP/2 (its SDK default); triage's ChatSync client HTTP/1.1. */
let qbusinessHttp2: HttpStub;
let s3: S3Harness;
let tarballs: TarballServer;
/** Any other service: a call the test did not plan for gets a 500 and shows up in the function's outcome. */
let unplanned: HttpStub;
const packaged = new Map<SetName, PackagedSet>();

beforeAll(async () => {
  dynamo = await startDynamo('q-triage-boot-unused');
  sns = await startHttpStub((_request, index) => snsPublished(index));
  cloudtrail = await startHttpStub(() => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Events: [] }),
  }));
  qbusiness = await startHttpStub(answerQBusiness);
  qbusinessHttp2 = await startHttp2Stub(answerQBusiness);
  s3 = await startS3(
    SET_NAMES.flatMap((_name, index) => [
      bucketName('awsplaybooksbucket', index),
      bucketName('customplaybooksbucket', index),
    ]),
  );
  tarballs = await startTarballServer();
  tarballs.serve(await buildTarball(repositoryEntries(FIXTURE_FILES), { commit: FIXTURE_COMMIT }));
  unplanned = await startHttpStub(() => ({ status: 500, body: '{"message":"not planned by the boot test"}' }));
  // One packaging per set, side by side: osls is the slow part of this file.
  await Promise.all(
    SET_NAMES.map(async (name, index) => {
      const { template, artifactDir } = await packageStackWithArtifacts(PARAMETER_SETS[name].params);
      const tableName = `q-triage-dev-StateTable-boot${index}`;
      await createStateTable(dynamo.client, tableName);
      packaged.set(name, {
        index,
        template,
        artifactDir,
        tableName,
        alertsTopicArn: `arn:aws:sns:us-east-1:111122223333:q-triage-dev-AlertsTopic-boot${index}`,
        pagingTopicArn: `arn:aws:sns:us-east-1:111122223333:q-triage-dev-PagingTopic-boot${index}`,
      });
    }),
  );
}, 600_000);

afterAll(async () => {
  await Promise.all(
    [sns, cloudtrail, qbusiness, qbusinessHttp2, unplanned, tarballs]
      .filter((stub) => stub !== undefined)
      .map((stub) => stub.close()),
  );
  await s3?.close();
  await dynamo?.close();
});

const bucketName = (resource: string, index: number): string => `q-triage-dev-${resource}-boot${index}`;

/** Q Business as each function calls it: ChatSync (triage), sync jobs (resync), GetApplication (readiness). */
function answerQBusiness(request: StubRequest) {
  const path = request.path.split('?')[0] ?? '';
  if (path.endsWith('/startsync')) return { status: 200, body: JSON.stringify({ executionId: 'exec-boot' }) };
  if (path.endsWith('/syncjobs')) return { status: 200, body: JSON.stringify({ history: [] }) };
  if (/^\/applications\/[^/]+$/.test(path))
    return {
      status: 200,
      body: JSON.stringify({ applicationId: path.slice('/applications/'.length), status: 'ACTIVE' }),
    };
  return {
    status: 200,
    body: JSON.stringify({
      conversationId: 'c-1',
      systemMessageId: 'm-2',
      systemMessage: 'Review the plugin and delete it if it was not approved.',
      sourceAttributions: [],
    }),
  };
}

/** The Publish requests the SNS stub received for one topic, as form fields. */
function publishes(topicArn: string): URLSearchParams[] {
  return sns.requests
    .map((request) => new URLSearchParams(request.body))
    .filter((form) => form.get('Action') === 'Publish' && form.get('TopicArn') === topicArn);
}

function attribute(form: URLSearchParams, name: string): string | undefined {
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    if (form.get(`MessageAttributes.entry.${n}.Name`) === name)
      return form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? undefined;
  }
  return undefined;
}

function set(name: SetName): PackagedSet {
  const found = packaged.get(name);
  if (found === undefined) throw new Error(`parameter set ${name} was not packaged`);
  return found;
}

/** What CloudFormation would put where the template says Ref / GetAtt: plausible physical ids. */
function physicalIds(stack: PackagedSet): Record<string, string> {
  const { 'AWS::Region': region, 'AWS::AccountId': account } = PSEUDO;
  return {
    StateTable: stack.tableName,
    AlertsTopic: stack.alertsTopicArn,
    PagingTopic: stack.pagingTopicArn,
    'StackKey.Arn': `arn:aws:kms:${region}:${account}:key/0a1b2c3d-0000-4000-8000-00000000000d`,
    ActivityRule: 'q-triage-dev-activity',
    ReadOnlyRule: 'q-triage-dev-read-only',
    OnBehalfRule: 'q-triage-dev-on-behalf',
    AwsPlaybooksBucket: bucketName('awsplaybooksbucket', stack.index),
    CustomPlaybooksBucket: bucketName('customplaybooksbucket', stack.index),
    'AssistantApplication.ApplicationId': '9e8d7c6b-0000-4000-8000-00000000000e',
    'AssistantIndex.IndexId': '5a4b3c2d-0000-4000-8000-00000000000f',
    'AwsPlaybooksDataSource.DataSourceId': '7f6e5d4c-0000-4000-8000-000000000010',
    'CustomPlaybooksDataSource.DataSourceId': '8a7b6c5d-0000-4000-8000-000000000011',
  };
}

function functionResource(stack: PackagedSet, name: (typeof FUNCTIONS)[number]) {
  const found = resourcesOfType(stack.template, 'AWS::Lambda::Function').find(
    ([, resource]) => resource.Properties?.FunctionName === `q-triage-dev-${name}`,
  );
  if (found === undefined) throw new Error(`no function ${name} in the template`);
  return found[1];
}

/** The function's Environment.Variables as CloudFormation would set them, with the runtime's own variables and local endpoints. */
function environmentOf(stack: PackagedSet, name: (typeof FUNCTIONS)[number]): Record<string, string> {
  const properties = functionResource(stack, name).Properties ?? {};
  const variables = resolve(
    stack.template,
    (properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
  ) as Record<string, unknown>;
  const ids = physicalIds(stack);
  const fromTemplate = Object.fromEntries(
    Object.entries(variables).map(([variable, value]) => [
      variable,
      String(value).replace(/<([A-Za-z0-9]+(?:\.[A-Za-z]+)?)>/g, (_, reference: string) => {
        const id = ids[reference];
        if (id === undefined)
          throw new Error(`${variable} refers to ${reference}: give it a physical id in physicalIds()`);
        return id;
      }),
    ]),
  );
  return {
    ...fromTemplate,
    // What the Lambda runtime sets for every function.
    AWS_REGION: PSEUDO['AWS::Region'],
    AWS_DEFAULT_REGION: PSEUDO['AWS::Region'],
    AWS_LAMBDA_FUNCTION_NAME: String(properties.FunctionName),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(properties.MemorySize ?? 1024),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: `AWS_Lambda_${String(properties.Runtime)}`,
    TZ: ':UTC',
    // s3rver checks signatures against its own key pair; the other local servers take any.
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: 'boot-test-session',
    // The SDK's endpoint variables: nothing leaves the machine.
    AWS_ENDPOINT_URL: unplanned.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail.endpoint,
    AWS_ENDPOINT_URL_QBUSINESS: qbusiness.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
  };
}

const BOOT = path.join(REPO_ROOT, 'test', 'support', 'lambda-boot.mjs');
const SCHEDULED_EVENT = path.join(REPO_ROOT, 'test', 'fixtures', 'schedule', 'daily.json');

async function boot(
  stack: PackagedSet,
  name: (typeof FUNCTIONS)[number],
  eventFile?: string,
  override: Record<string, string> = {},
): Promise<BootOutcome> {
  const properties = functionResource(stack, name).Properties ?? {};
  const zip = path.join(stack.artifactDir, path.basename(String((properties.Code as { S3Key: string }).S3Key)));
  const resultFile = path.join(await mkdtemp(path.join(tmpdir(), 'q-triage-boot-')), 'result.json');
  const args = [BOOT, zip, String(properties.Handler), resultFile, ...(eventFile !== undefined ? [eventFile] : [])];
  try {
    await promisify(execFile)(process.execPath, args, {
      env: { ...environmentOf(stack, name), ...override },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 90_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${name} did not finish:\n${stderr}\n${stdout.slice(-4000)}`, { cause: error });
  }
  return JSON.parse(await readFile(resultFile, 'utf8')) as BootOutcome;
}

describe.each(SET_NAMES)('%s', (setName) => {
  test.each(FUNCTIONS)('%s starts from its zip with the environment the template gives it', async (name) => {
    const stack = set(setName);
    expect(isDeployed(stack.template, functionResource(stack, name))).toBe(true);

    const outcome = await boot(stack, name);

    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ phase: 'init', ok: true });
  });

  test('triage alerts and pages on a CreatePlugin batch from events/', async () => {
    const stack = set(setName);

    const outcome = await boot(stack, 'triage', path.join(REPO_ROOT, 'events', 'qbusiness', 'create-plugin.json'));

    expect(outcome.error).toBeUndefined();
    expect((outcome.result as SQSBatchResponse).batchItemFailures).toEqual([]);
    // Readiness and resync publish text to the same alerts topic; alerts are the per-protocol JSON messages.
    const published = publishedMessages(
      sns.requests.filter((request) => new URLSearchParams(request.body).get('MessageStructure') === 'json'),
    );
    // Page first: the alert goes out at once, its answer follows as a message of kind `enrichment` (docs/alerts.md).
    const [alert, followUp] = published.filter((message) => message.topicArn === stack.alertsTopicArn);
    expect(alert?.document).toMatchObject({
      kind: 'new',
      rule: 'playbook/CreatePlugin',
      severity: 'HIGH',
      enrichmentFollows: true,
    });
    expect(followUp?.document).toMatchObject({
      kind: 'enrichment',
      alertId: alert?.document.alertId,
      enrichment: expect.objectContaining({ status: PARAMETER_SETS[setName].enrichment }),
    });
    expect(published.filter((message) => message.topicArn === stack.pagingTopicArn)).toHaveLength(1);
  });

  test('triage sweeps with the payload its schedule sends: the CreatePlugin incident closes with one update, no page', async () => {
    const stack = set(setName);
    // The payload the template's schedule rule gives the triage function.
    const targets = resourcesOfType(stack.template, 'AWS::Events::Rule').flatMap(
      ([, rule]) => (rule.Properties?.Targets as { Arn?: unknown; Input?: string }[] | undefined) ?? [],
    );
    const sweep = targets.filter((target) => JSON.stringify(target.Arn).includes('TriageLambdaFunction'));
    expect(sweep).toHaveLength(1);
    const sweepFile = path.join(await mkdtemp(path.join(tmpdir(), 'q-triage-sweep-')), 'sweep.json');
    await writeFile(sweepFile, String(sweep[0]?.Input));
    // The incident to close (the events are duplicates when the test before sent them already).
    await boot(stack, 'triage', path.join(REPO_ROOT, 'events', 'qbusiness', 'create-plugin.json'));
    const before = sns.requests.length;

    const outcome = await boot(stack, 'triage', sweepFile);
    const again = await boot(stack, 'triage', sweepFile);

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual({ due: 1, sent: 1, failed: 0 });
    expect(again.result).toEqual({ due: 0, sent: 0, failed: 0 });
    const published = publishedMessages(
      sns.requests
        .slice(before)
        .filter((request) => new URLSearchParams(request.body).get('MessageStructure') === 'json'),
    );
    expect(
      published.map((message) => [
        message.topicArn,
        message.attributes.kind,
        message.document.rule,
        typeof message.document.closedAt,
      ]),
    ).toEqual([[stack.alertsTopicArn, 'update', 'playbook/CreatePlugin', 'string']]);
  });

  test('readiness runs its checks (the first run records the baseline that later runs compare with)', async () => {
    const stack = set(setName);
    const trailQueries = (): number =>
      cloudtrail.requests.filter((request) => request.headers['x-amz-target'] === 'CloudTrail_20131101.DescribeTrails')
        .length;
    const before = trailQueries();

    const outcome = await boot(stack, 'readiness', SCHEDULED_EVENT, {
      AWS_ENDPOINT_URL_QBUSINESS: qbusinessHttp2.endpoint,
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ published: false, failed: expect.any(Number), regressed: [] });
    expect(trailQueries()).toBeGreaterThan(before);
  });

  test('resync mirrors the playbooks to its bucket and starts the data source syncs', async () => {
    const stack = set(setName);

    const outcome = await boot(stack, 'resync', SCHEDULED_EVENT, {
      PLAYBOOK_TARBALL_URL: `${tarballs.url}/archive.tar.gz`,
      AWS_ENDPOINT_URL_QBUSINESS: qbusinessHttp2.endpoint,
    });

    expect(outcome.error).toBeUndefined();
    const report = outcome.result as ResyncReport;
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({
      outcome: 'ok',
      uploaded: Object.keys(FIXTURE_FILES).filter((file) => file.startsWith('docs/')).length,
    });
    expect(report.syncJobs).toEqual(
      Array.from({ length: PARAMETER_SETS[setName].dataSources }, () =>
        expect.objectContaining({ outcome: 'started' }),
      ),
    );
    expect(publishes(stack.alertsTopicArn).filter((form) => attribute(form, 'category') === 'resync')).toHaveLength(1);
  });
});
