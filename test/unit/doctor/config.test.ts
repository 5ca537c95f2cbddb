import { loadReadinessConfig } from '../../../shared/doctor';

test('splits EVENT_RULE_NAMES and defaults SYNC_STALE_HOURS to 48', () => {
  const config = loadReadinessConfig({ EVENT_RULE_NAMES: ' q-triage-writes, q-triage-reads ,', STATE_TABLE: 'state' });

  expect(config.eventRuleNames).toEqual(['q-triage-writes', 'q-triage-reads']);
  expect(config.syncStaleHours).toBe(48);
});

test('rejects an alerts topic that is not an ARN', () => {
  expect(() => loadReadinessConfig({ ALERTS_TOPIC_ARN: 'alerts' })).toThrow('ALERTS_TOPIC_ARN');
});
