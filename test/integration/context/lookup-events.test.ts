/** LookupEvents through the real CloudTrailClient against a local stub of the CloudTrail JSON 1.1 protocol. */
import {
  createLookupClient,
  createContextProvider,
  MemoryActivityLog,
  MemoryLookupCache,
  MemoryRateLimiter,
} from '../../../shared/context';
import { fixedClock } from '../../../shared/clock';
import { createLogger } from '../../../shared/logger';
import {
  startHttpStub,
  TEST_CREDENTIALS,
  type HttpStub,
  type StubReply,
  type StubRequest,
} from '../../support/http-stub';
import { ACCESS_KEY, alertAbout, MANAGEMENT_RECORDS, NON_Q_RECORD, NOW, lookupEvent } from '../../support/timeline';
import { triageEvent } from '../../support/cloudtrail';

const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };
const page = (records: readonly Record<string, unknown>[], nextToken?: string): StubReply => ({
  status: 200,
  headers: JSON_11,
  body: JSON.stringify({
    Events: records.map(lookupEvent),
    ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
  }),
});
const throttled: StubReply = {
  status: 400,
  headers: JSON_11,
  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
};

const [newest, ...older] = MANAGEMENT_RECORDS;
const alert = alertAbout(triageEvent(newest as Record<string, unknown>));

let stub: HttpStub;
beforeEach(async () => {
  stub = await startHttpStub(() => page([]));
});
afterEach(async () => {
  await stub.close();
});

function provider(options: { callsPerAlert?: number; clock?: ReturnType<typeof fixedClock> } = {}) {
  const clock = options.clock ?? fixedClock(NOW);
  return createContextProvider({
    cloudTrail: createLookupClient({ endpoint: stub.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS }),
    activityLog: new MemoryActivityLog(),
    cache: new MemoryLookupCache(clock),
    rateLimiter: new MemoryRateLimiter(clock, { ratePerSecond: 100, capacity: 100 }),
    clock,
    logger: createLogger({ silent: true }),
    windowHours: 24,
    callsPerAlert: options.callsPerAlert ?? 2,
    sleep: async (ms) => clock.advance(ms),
  });
}

const lookupRequests = (): StubRequest[] =>
  stub.requests.filter((request) => request.headers['x-amz-target'] === 'CloudTrail_20131101.LookupEvents');
const answerTo = (context: Awaited<ReturnType<ReturnType<typeof provider>['describe']>>, start: string): string =>
  context.answers.find((entry) => entry.question.startsWith(start))?.answer ?? '';

test('sends one LookupEvents request by access key with the window as start time', async () => {
  stub.setHandler(() => page(MANAGEMENT_RECORDS));

  await provider().describe(alert);

  const body = JSON.parse(lookupRequests()[0]?.body ?? '{}') as Record<string, unknown>;
  expect(lookupRequests()).toHaveLength(1);
  expect(body.LookupAttributes).toEqual([{ AttributeKey: 'AccessKeyId', AttributeValue: ACCESS_KEY }]);
  expect(body.StartTime).toBe((NOW - 24 * 3600_000) / 1000);
});

test('follows NextToken to the second page and finds the events on it', async () => {
  stub.setHandler((request) => {
    const body = JSON.parse(request.body) as { NextToken?: string };
    return body.NextToken === 'page-2'
      ? page(older)
      : page([newest as Record<string, unknown>, NON_Q_RECORD], 'page-2');
  });

  const context = await provider().describe(alert);

  expect(lookupRequests()).toHaveLength(2);
  expect(context.complete).toBe(true);
  expect(answerTo(context, 'Which plugins')).toContain('Created: a1b2c3d4-0000-4000-8000-00000000d004');
});

test('drops events of other services returned for the same access key', async () => {
  stub.setHandler(() => page([NON_Q_RECORD]));

  const context = await provider().describe(alert);

  expect(answerTo(context, 'Which Amazon Q resources')).toMatch(/^None/);
});

test('retries a throttled call with back-off and succeeds within the budget', async () => {
  stub.setHandler((_request, index) => (index === 0 ? throttled : page(MANAGEMENT_RECORDS)));

  const context = await provider().describe(alert);

  expect(lookupRequests()).toHaveLength(2);
  expect(context.complete).toBe(true);
  expect(answerTo(context, 'Which Amazon Q resources')).toContain('DeleteIndex');
});

test('returns what it found with complete false when the budget runs out before the last page', async () => {
  stub.setHandler((_request, index) =>
    page(index === 0 ? [newest as Record<string, unknown>] : [], `page-${index + 2}`),
  );

  const context = await provider().describe(alert);

  expect(lookupRequests()).toHaveLength(2);
  expect(context.complete).toBe(false);
  expect(context.note).toContain('budget of 2 LookupEvents calls');
  expect(answerTo(context, 'Which Amazon Q resources')).toContain('DeleteIndex');
});

test('says so when throttling persists to the end of the budget', async () => {
  stub.setHandler(() => throttled);

  const context = await provider().describe(alert);

  expect(lookupRequests()).toHaveLength(2);
  expect(context.complete).toBe(false);
  expect(context.note).toContain('ThrottlingException');
});

test('reuses the cached lookup for the next alert about the same principal', async () => {
  stub.setHandler(() => page(MANAGEMENT_RECORDS));
  const contexts = provider();
  await contexts.describe(alert);

  await contexts.describe({ ...alert, id: 'alert-2' });

  expect(lookupRequests()).toHaveLength(1);
});

test('reports an access error by its AWS name and keeps going without management events', async () => {
  stub.setHandler(() => ({
    status: 400,
    headers: JSON_11,
    body: JSON.stringify({ __type: 'AccessDeniedException', message: '<script>x</script>' }),
  }));

  const context = await provider().describe(alert);

  expect(context.complete).toBe(false);
  expect(context.note).toContain('AccessDeniedException');
  expect(context.note).not.toContain('<script>');
});

test('keeps a search stopped by its budget for the full cache time: a retry would stop at the same place', async () => {
  stub.setHandler((_request, index) => page([], `page-${index + 2}`));
  const clock = fixedClock(NOW);
  const contexts = provider({ clock });
  await contexts.describe(alert);
  clock.advance(4 * 60_000);

  await contexts.describe({ ...alert, id: 'alert-2' });

  expect(lookupRequests()).toHaveLength(2);
});

test('searches again a minute after a search cut short by throttling', async () => {
  stub.setHandler(() => throttled);
  const clock = fixedClock(NOW);
  const contexts = provider({ clock });
  await contexts.describe(alert);
  stub.setHandler(() => page(MANAGEMENT_RECORDS));
  clock.advance(61_000);

  const context = await contexts.describe({ ...alert, id: 'alert-2' });

  expect(lookupRequests()).toHaveLength(3);
  expect(context.complete).toBe(true);
});
