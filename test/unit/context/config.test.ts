import { loadContextConfig } from '../../../shared/context';

test('defaults to enabled, 24 hours and 2 LookupEvents calls per alert', () => {
  expect(loadContextConfig({})).toEqual({ enabled: true, windowHours: 24, callsPerAlert: 2 });
});

test('reads the three variables', () => {
  expect(
    loadContextConfig({ CONTEXT_ENABLED: 'false', CONTEXT_WINDOW_HOURS: '6', LOOKUP_CALLS_PER_ALERT: '1' }),
  ).toEqual({ enabled: false, windowHours: 6, callsPerAlert: 1 });
});

test('rejects a window that is not a positive whole number of hours', () => {
  expect(() => loadContextConfig({ CONTEXT_WINDOW_HOURS: '-3' })).toThrow('CONTEXT_WINDOW_HOURS');
});
