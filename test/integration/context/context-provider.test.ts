/**
 * The whole context path as the Lambda wires it: real CloudTrailClient against the CloudTrail stub,
 * activity log, lookup cache and rate limiter in the state table (dynalite).
 */
import {
  createContextProvider,
  createLookupClient,
  DynamoActivityLog,
  DynamoLookupCache,
  DynamoRateLimiter,
} from '../../../shared/context';
import { fixedClock } from '../../../shared/clock';
import { createLogger } from '../../../shared/logger';
import { QUESTIONS } from '../../../shared/playbook';
import { startHttpStub, TEST_CREDENTIALS, type HttpStub } from '../../support/http-stub';
import {
  DATA_RECORDS,
  INDEX_ID,
  MANAGEMENT_RECORDS,
  NOW,
  PLUGIN_ID,
  alertAbout,
  lookupEvent,
} from '../../support/timeline';
import { triageEvent } from '../../support/cloudtrail';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';

let table: LocalDynamo;
let stub: HttpStub;
beforeEach(async () => {
  table = await startDynamo();
  stub = await startHttpStub(() => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Events: MANAGEMENT_RECORDS.map(lookupEvent) }),
  }));
});
afterEach(async () => {
  await stub.close();
  await table.close();
});

async function wire() {
  const clock = fixedClock(NOW);
  const logger = createLogger({ silent: true });
  const activityLog = new DynamoActivityLog({ client: table.documents, tableName: table.tableName, logger, clock });
  await activityLog.append(DATA_RECORDS.map((record) => triageEvent(structuredClone(record))));
  const provider = createContextProvider({
    cloudTrail: createLookupClient({ endpoint: stub.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS }),
    activityLog,
    cache: new DynamoLookupCache({ client: table.documents, tableName: table.tableName, clock, logger }),
    rateLimiter: new DynamoRateLimiter({ client: table.documents, tableName: table.tableName, clock }),
    clock,
    logger,
    windowHours: 24,
    callsPerAlert: 2,
    sleep: async (ms) => clock.advance(ms),
  });
  return { provider, clock };
}

const alert = alertAbout(triageEvent(structuredClone(MANAGEMENT_RECORDS[0] as Record<string, unknown>)));

test('merges management events from CloudTrail with data events from the activity log', async () => {
  const { provider } = await wire();

  const context = await provider.describe(alert);

  const answers = new Map(context.answers.map((entry) => [entry.question, entry.answer]));
  expect(context.complete).toBe(true);
  expect(answers.get(QUESTIONS.resources)).toContain(`index ${INDEX_ID}`);
  expect(answers.get(QUESTIONS.uploads)).toContain('Uploaded 5 document(s)');
  expect(answers.get(QUESTIONS.plugins)).toContain(`Used in 1 chat call(s): ${PLUGIN_ID}`);
});

test('costs at most 2 LookupEvents calls on a cold cache and none on a warm one', async () => {
  const { provider, clock } = await wire();

  await provider.describe(alert);
  const cold = stub.requests.length;
  clock.advance(60_000);
  await provider.describe({ ...alert, id: 'alert-2' });
  const warm = stub.requests.length - cold;

  expect(cold).toBeLessThanOrEqual(2);
  expect(warm).toBe(0);
});

test('a second Lambda instance reads the cache written by the first', async () => {
  const first = await wire();
  await first.provider.describe(alert);
  const second = await wire();

  await second.provider.describe({ ...alert, id: 'alert-2' });

  expect(stub.requests).toHaveLength(1);
});

test('searches again once the cached lookup expired', async () => {
  const { provider, clock } = await wire();
  await provider.describe(alert);
  clock.advance(6 * 60_000);

  await provider.describe({ ...alert, id: 'alert-2' });

  expect(stub.requests).toHaveLength(2);
});

test('goes out without management events, and says so, when the state table is unreachable', async () => {
  const { provider } = await wire();
  await table.close();

  const context = await provider.describe(alert);

  expect(context.complete).toBe(false);
  expect(context.note).toMatch(/could not/);
});
