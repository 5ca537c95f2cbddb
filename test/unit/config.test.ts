import { ConfigError, loadTriageConfig, loadTriageFunctionConfig, optionalSection } from '../../shared/config';
import { loadContextConfig } from '../../shared/context/config';
import { loadReadinessConfig, loadReadinessFunctionConfig } from '../../shared/doctor/config';
import { parseEnrichConfig } from '../../shared/enrich/config';
import { loadResyncConfig } from '../../shared/resync/config';

const BASE = {
  STATE_TABLE: 'q-triage-prod-state',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:q-triage-prod-alerts',
  PAGING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:q-triage-prod-paging',
};

test('defaults fill what is not set', () => {
  const config = loadTriageConfig({
    ...BASE,
    SELF_PRINCIPALS: 'arn:aws:iam::*:role/q-triage-*, arn:aws:iam::*:role/other',
  });

  expect(config).toMatchObject({
    aggregationWindowMs: 300_000,
    pagesPerHour: 20,
    updateIntervalMs: 900_000,
    alertLocale: 'en',
    localAdapters: false,
  });
  expect(config.selfPrincipals).toEqual(['arn:aws:iam::*:role/q-triage-*', 'arn:aws:iam::*:role/other']);
});

test.each([
  [{ STATE_TABLE: undefined }, 'STATE_TABLE is required'],
  [{ ALERTS_TOPIC_ARN: 'alerts' }, 'ALERTS_TOPIC_ARN must be an sns ARN'],
  [{ PAGES_PER_HOUR: '0' }, 'PAGES_PER_HOUR must be greater than 0'],
  [{ PAGES_PER_HOUR: '1.5' }, 'PAGES_PER_HOUR must be a whole number'],
  [{ UPDATE_INTERVAL_MINUTES: '0' }, 'UPDATE_INTERVAL_MINUTES must be greater than 0'],
  [{ LOCAL_ADAPTERS: 'maybe' }, 'LOCAL_ADAPTERS must be one of'],
])('a bad setting %j fails with a message naming it', (change, message) => {
  const attempt = () => loadTriageConfig({ ...BASE, ...change });

  expect(attempt).toThrow(ConfigError);
  expect(attempt).toThrow(message);
});

// A stack parameter left blank reaches Lambda as VAR="": every section reads it as not set.
test('an empty optional setting is unset: no rules override, defaults apply', () => {
  const config = loadTriageConfig({
    ...BASE,
    RULES_JSON: '',
    PAGES_PER_HOUR: '',
    AGGREGATION_WINDOW_SECONDS: ' ',
    ALERT_LOCALE: '',
    SELF_PRINCIPALS: '',
    AWS_PLAYBOOKS_BUCKET: '',
  });

  expect(config.rulesJson).toBeUndefined();
  expect(config.playbooksBucket).toBeUndefined();
  expect(config).toMatchObject({
    pagesPerHour: 20,
    aggregationWindowMs: 300_000,
    alertLocale: 'en',
    selfPrincipals: [],
  });
});

test('an empty required setting fails with its name, as a missing one does', () => {
  expect(() => loadTriageConfig({ ...BASE, STATE_TABLE: '' })).toThrow('STATE_TABLE is required');
});

test.each([
  [
    'resync',
    () =>
      loadResyncConfig({
        AWS_PLAYBOOKS_BUCKET: 'q-triage-playbooks',
        PLAYBOOK_TARBALL_URL: '',
        CUSTOM_PLAYBOOKS_BUCKET: '',
        PLAYBOOKS_KMS_KEY_ARN: '',
        QBUSINESS_APPLICATION_ID: '',
        QBUSINESS_INDEX_ID: '',
        QBUSINESS_DATA_SOURCE_IDS: '',
        SYNC_STALE_HOURS: '',
      }),
  ],
  [
    'readiness',
    () =>
      loadReadinessConfig({
        QBUSINESS_APPLICATION_ID: '',
        QBUSINESS_REGION: '',
        EVENT_RULE_NAMES: '',
        SYNC_STALE_HOURS: '',
      }),
  ],
  ['context', () => loadContextConfig({ CONTEXT_ENABLED: '', CONTEXT_WINDOW_HOURS: '', LOOKUP_CALLS_PER_ALERT: '' })],
  [
    'enrich',
    () => parseEnrichConfig({ ENRICH_SOURCE: 'none', ENRICH_BUDGET_MS: '', ANSWER_TTL_HOURS: '', ALERT_LOCALE: '' }),
  ],
])('the %s section reads empty values as unset', (_section, load) => {
  expect(load).not.toThrow();
});

test('resync: empty values take the defaults, and an empty playbooks bucket is reported as missing', () => {
  const config = loadResyncConfig({
    AWS_PLAYBOOKS_BUCKET: 'q-triage-playbooks',
    PLAYBOOK_TARBALL_URL: '',
    CUSTOM_PLAYBOOKS_BUCKET: '',
    QBUSINESS_DATA_SOURCE_IDS: '',
  });

  expect(config.tarballUrl).toBe('https://codeload.github.com/aws-samples/aws-customer-playbook-framework/tar.gz/main');
  expect(config.customPlaybooksBucket).toBeUndefined();
  expect(config.qbusiness).toBeUndefined();
  expect(() => loadResyncConfig({ AWS_PLAYBOOKS_BUCKET: '' })).toThrow('AWS_PLAYBOOKS_BUCKET is required');
});

test('an unknown ALERT_LOCALE falls back to English and is reported, not fatal', () => {
  const config = loadTriageConfig({ ...BASE, ALERT_LOCALE: 'pt' });

  expect(config.alertLocale).toBe('en');
  expect(config.degraded).toEqual(['ALERT_LOCALE must be one of en, de, es, fr, ja, zh; alert texts are in English']);
});

test('the triage function loads every section at once; a bad optional section is off with its reason, not fatal', () => {
  const config = loadTriageFunctionConfig({
    ...BASE,
    ENRICH_SOURCE: 'qbusiness',
    CONTEXT_ENABLED: 'true',
    CONTEXT_WINDOW_HOURS: 'soon',
  });

  expect(config.triage.stateTable).toBe('q-triage-prod-state');
  expect(config.enrich).toEqual({ misconfigured: expect.stringContaining('QBUSINESS_APPLICATION_ID') });
  expect(config.context).toEqual({ misconfigured: expect.stringContaining('CONTEXT_WINDOW_HOURS') });
});

test('the triage function: a bad triage section still fails the cold start', () => {
  expect(() => loadTriageFunctionConfig({ ...BASE, ENRICH_SOURCE: 'none', PAGING_TOPIC_ARN: '' })).toThrow(
    'PAGING_TOPIC_ARN is required',
  );
});

test('optionalSection throws what is not a configuration error: a bug is not a misconfiguration', () => {
  expect(() =>
    optionalSection(() => {
      throw new TypeError('cannot read properties of undefined');
    }),
  ).toThrow(TypeError);
});

test('the readiness function needs its table and topic; the doctor alone does not', () => {
  const env = { STATE_TABLE: 'q-triage-prod-state', ALERTS_TOPIC_ARN: BASE.ALERTS_TOPIC_ARN };

  expect(loadReadinessFunctionConfig(env)).toMatchObject({
    stateTable: 'q-triage-prod-state',
    alertsTopicArn: BASE.ALERTS_TOPIC_ARN,
    syncStaleHours: 48,
  });
  expect(() => loadReadinessFunctionConfig({ STATE_TABLE: 'q-triage-prod-state' })).toThrow(
    'the readiness function needs STATE_TABLE and ALERTS_TOPIC_ARN',
  );
  expect(loadReadinessConfig({}).stateTable).toBeUndefined();
});
