import { ConfigError, loadTriageConfig } from '../../shared/config';

const BASE = {
  STATE_TABLE: 'q-triage-prod-state',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:q-triage-prod-alerts',
  PAGING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:q-triage-prod-paging',
};

test('defaults fill what is not set', () => {
  const config = loadTriageConfig({ ...BASE, SELF_PRINCIPALS: 'arn:aws:iam::*:role/q-triage-*, arn:aws:iam::*:role/other' });

  expect(config).toMatchObject({ aggregationWindowMs: 300_000, pagesPerHour: 20, updateIntervalMs: 900_000, alertLocale: 'en', localAdapters: false });
  expect(config.selfPrincipals).toEqual(['arn:aws:iam::*:role/q-triage-*', 'arn:aws:iam::*:role/other']);
});

test.each([
  [{ STATE_TABLE: undefined }, 'STATE_TABLE is required'],
  [{ ALERTS_TOPIC_ARN: 'alerts' }, 'ALERTS_TOPIC_ARN must be an sns ARN'],
  [{ PAGES_PER_HOUR: '0' }, 'PAGES_PER_HOUR must be greater than 0'],
  [{ PAGES_PER_HOUR: '1.5' }, 'PAGES_PER_HOUR must be a whole number'],
  [{ UPDATE_INTERVAL_MINUTES: '0' }, 'UPDATE_INTERVAL_MINUTES must be greater than 0'],
  [{ ALERT_LOCALE: 'pt' }, 'ALERT_LOCALE must be one of en, de, es, fr, ja, zh'],
  [{ LOCAL_ADAPTERS: 'maybe' }, 'LOCAL_ADAPTERS must be one of'],
])('a bad setting %j fails with a message naming it', (change, message) => {
  const attempt = () => loadTriageConfig({ ...BASE, ...change });

  expect(attempt).toThrow(ConfigError);
  expect(attempt).toThrow(message);
});
