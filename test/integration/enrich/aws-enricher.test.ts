/**
 * The Lambda's enricher (createAwsEnricher): its section is parsed at cold start (a bad one degrades), while the enricher, its
 * caches and the Q Business client are built with the first alert. Against dynalite and a Q Business stub.
 */
import { fixedClock } from '../../../shared/clock';
import { optionalSection } from '../../../shared/config';
import { parseEnrichConfig } from '../../../shared/enrich/config';
import { createLogger } from '../../../shared/logger';
import { createAwsEnricher } from '../../../shared/runtime/adapters';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';
import { startHttpStub, TEST_CREDENTIALS, type HttpStub } from '../../support/http-stub';
import { alertFor } from '../../support/alerts';

const APP = '3f1b2c4d-0000-4000-8000-000000000001';
const RULES = ['CreatePlugin', 'UpdatePlugin', 'DeletePlugin', 'CreateIndex', 'DeleteIndex', 'CreateDataAccessor'].map(
  (name) => `playbook/${name}`,
);

let dynamo: LocalDynamo;
let qbusiness: HttpStub;
const savedEnv = { ...process.env };

beforeAll(async () => {
  dynamo = await startDynamo('q-triage-aws-enricher');
  // Every ChatSync fails with an error that is neither throttling nor "no answer": each one counts for the breaker.
  qbusiness = await startHttpStub(() => ({
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationException' },
    body: JSON.stringify({ message: 'rejected by stub' }),
  }));
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_QBUSINESS: qbusiness.endpoint,
  });
});
afterAll(async () => {
  process.env = { ...savedEnv };
  await qbusiness.close();
  await dynamo.close();
});

function enricherFor(env: Record<string, string>, counted: string[] = []) {
  return createAwsEnricher(
    optionalSection(() => parseEnrichConfig(env)),
    {
      documents: dynamo.documents,
      tableName: dynamo.tableName,
      clock: fixedClock(Date.parse('2026-05-01T10:00:00Z')),
      logger: createLogger({ silent: true }),
      metrics: { count: (name) => counted.push(name) },
    },
  );
}

test('a bad enrichment section turns enrichment off: each alert says why, and nothing is asked', async () => {
  const enricher = enricherFor({ ENRICH_SOURCE: 'qbusiness' });

  const enrichment = await enricher.enrich(alertFor('playbook/CreatePlugin'));

  expect(enrichment).toMatchObject({ status: 'error', reason: expect.stringContaining('QBUSINESS_APPLICATION_ID') });
  expect(qbusiness.requests).toHaveLength(0);
});

test('failing asks open the circuit; the open circuit is answered at once and counted as a metric', async () => {
  const counted: string[] = [];
  const enricher = enricherFor(
    {
      ENRICH_SOURCE: 'qbusiness',
      QBUSINESS_APPLICATION_ID: APP,
      QBUSINESS_AUTH_MODE: 'anonymous',
      AWS_REGION: 'us-east-1',
    },
    counted,
  );
  expect(qbusiness.requests).toHaveLength(0);

  const statuses = [];
  for (const rule of RULES) statuses.push((await enricher.enrich(alertFor(rule))).status);

  expect(statuses).toEqual(['error', 'error', 'error', 'error', 'error', 'circuit-open']);
  expect(qbusiness.requests).toHaveLength(5);
  expect(counted).toEqual(['EnrichmentCircuitOpen']);
});
