/**
 * ENRICH_SOURCE=playbooks in the Lambda's enricher (createAwsEnricher): the local source over the S3 mirror
 * resync keeps, against s3rver and dynalite. The mirror is read once per container, in English and
 * ALERT_LOCALE only, and read again when the synced playbook version changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../../shared/clock';
import { optionalSection } from '../../../shared/config';
import { parseEnrichConfig } from '../../../shared/enrich/config';
import { createLogger } from '../../../shared/logger';
import { createAwsEnricher } from '../../../shared/runtime/adapters';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';
import { alertFor } from '../../support/alerts';
import { startS3, type S3Harness } from '../resync/support';

const AWS_BUCKET = 'q-triage-aws-playbooks';
const CUSTOM_BUCKET = 'q-triage-custom-playbooks';
const FIXTURES = join(__dirname, '../../fixtures/playbooks');
const GUARDRAILS_RUNBOOK = [
  '# Our runbook: assistant guardrails',
  '## Containment and Eradication',
  '### Chat controls',
  'Re-apply the approved blocked phrases and topic controls from the guardrails repository, then ask the owner of the change.',
].join('\n');

let s3: S3Harness;
let dynamo: LocalDynamo;

beforeAll(async () => {
  [s3, dynamo] = await Promise.all([startS3([AWS_BUCKET, CUSTOM_BUCKET]), startDynamo('q-triage-s3-playbooks')]);
  const put = (Bucket: string, Key: string, Body: string) =>
    s3.client.send(new PutObjectCommand({ Bucket, Key, Body }));
  await put(AWS_BUCKET, 'docs/amazon-q-response.md', readFileSync(join(FIXTURES, 'amazon-q-response.md'), 'utf8'));
  await put(
    AWS_BUCKET,
    'docs/de/de.amazon-q-response.md',
    readFileSync(join(FIXTURES, 'de/de.amazon-q-response.md'), 'utf8'),
  );
  await put(
    AWS_BUCKET,
    'docs/fr/fr.amazon-q-response.md',
    '# Réponse\n## Confinement\n### Plugins\nSupprimez le plugin CreatePlugin avec DeletePlugin.\n',
  );
  await put(AWS_BUCKET, 'README.md', '# Not under docs/: not a playbook of the mirror\n');
  await put(CUSTOM_BUCKET, 'runbooks/guardrails.md', GUARDRAILS_RUNBOOK);
});
afterAll(async () => {
  await Promise.all([s3.close(), dynamo.close()]);
});

function enricherFor(env: Record<string, string>, clock = fixedClock(Date.parse('2026-05-01T10:00:00Z'))) {
  const enricher = createAwsEnricher(
    optionalSection(() => parseEnrichConfig({ AWS_REGION: 'us-east-1', ...env })),
    {
      documents: dynamo.documents,
      tableName: dynamo.tableName,
      clock,
      logger: createLogger({ silent: true }),
      metrics: { count: () => undefined },
      s3: s3.client,
    },
  );
  return { enricher, clock };
}

/** GetObject paths (a listing is a GET on the bucket itself). */
const gets = (): string[] =>
  s3.requests
    .filter((request) => request.method === 'GET' && !request.path.endsWith('/'))
    .map((request) => request.path);

test('answers a German alert from the German mirror and reads English and German files only, once', async () => {
  s3.requests.length = 0;
  const { enricher } = enricherFor({
    ENRICH_SOURCE: 'playbooks',
    AWS_PLAYBOOKS_BUCKET: AWS_BUCKET,
    CUSTOM_PLAYBOOKS_BUCKET: '',
    ALERT_LOCALE: 'de',
  });

  const first = await enricher.enrich(alertFor('playbook/CreatePlugin'));
  const reads = gets().length;
  const second = await enricher.enrich(
    alertFor('playbook/DeleteDataSource', { category: 'data-source', phase: 'containment-eradication' }),
  );

  expect(first).toMatchObject({ status: 'answered', source: 'local-playbooks' });
  expect(first.citations[0]?.title).toBe('de/de.amazon-q-response.md › Plugins');
  expect(second.status).toBe('answered');
  expect(gets().sort()).toEqual([
    `/${AWS_BUCKET}/docs/amazon-q-response.md`,
    `/${AWS_BUCKET}/docs/de/de.amazon-q-response.md`,
  ]);
  expect(gets()).toHaveLength(reads);
});

test('answers from the custom playbooks bucket, cited as custom/<key>', async () => {
  const { enricher } = enricherFor({
    ENRICH_SOURCE: 'playbooks',
    AWS_PLAYBOOKS_BUCKET: AWS_BUCKET,
    CUSTOM_PLAYBOOKS_BUCKET: CUSTOM_BUCKET,
  });

  const enrichment = await enricher.enrich(
    alertFor('playbook/UpdateChatControlsConfiguration', { category: 'guardrails' }),
  );

  expect(enrichment.citations.map((citation) => citation.title)).toContain(
    'custom/runbooks/guardrails.md › Chat controls',
  );
});

test('reads the mirror again when resync records a new playbook version', async () => {
  const { enricher, clock } = enricherFor({ ENRICH_SOURCE: 'playbooks', CUSTOM_PLAYBOOKS_BUCKET: CUSTOM_BUCKET });
  const alert = alertFor('playbook/UpdateChatControlsConfiguration', { category: 'guardrails' });
  const before = await enricher.enrich(alert);
  await s3.client.send(
    new PutObjectCommand({
      Bucket: CUSTOM_BUCKET,
      Key: 'runbooks/guardrails.md',
      Body: GUARDRAILS_RUNBOOK.replace('Re-apply', 'Restore at once'),
    }),
  );
  await dynamo.documents.send(
    new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'playbook#version', sk: 'current', version: 'v2' } }),
  );
  clock.advance(61_000);

  const after = await enricher.enrich({ ...alert, id: 'after-resync' });

  expect(before.answer).toContain('Re-apply');
  expect(after).toMatchObject({ status: 'answered', cached: false });
  expect(after.answer).toContain('Restore at once');
});

test('an unreadable mirror is an enrichment error on the alert, not a failed invocation', async () => {
  const { enricher } = enricherFor({ ENRICH_SOURCE: 'playbooks', AWS_PLAYBOOKS_BUCKET: 'q-triage-no-such-bucket' });

  const enrichment = await enricher.enrich(alertFor('playbook/CreatePlugin'));

  expect(enrichment).toMatchObject({
    status: 'error',
    reason: 'the answer source failed (AnswerSourceError)',
    source: 'local-playbooks',
  });
});

test('ENRICH_SOURCE=playbooks without a bucket turns enrichment off, and each alert names the variable', async () => {
  const { enricher } = enricherFor({
    ENRICH_SOURCE: 'playbooks',
    AWS_PLAYBOOKS_BUCKET: '',
    CUSTOM_PLAYBOOKS_BUCKET: ' ',
  });
  const before = s3.requests.length;

  const enrichment = await enricher.enrich(alertFor('playbook/DeleteIndex'));

  expect(enrichment).toMatchObject({ status: 'error', reason: expect.stringContaining('AWS_PLAYBOOKS_BUCKET') });
  expect(s3.requests.length).toBe(before);
});
