import type { ResyncReport } from '../../../shared/resync';
import { resyncMetrics } from '../../../shared/resync/metrics';

const NOW = Date.parse('2026-11-20T12:00:00Z');

function report(overrides: Partial<ResyncReport>): ResyncReport {
  return {
    outcome: 'ok',
    dryRun: false,
    startedAt: '2026-11-20T11:59:00Z',
    finishedAt: '2026-11-20T12:00:00Z',
    source: { url: 'https://example.test/playbooks.tar.gz' },
    files: { added: [], changed: [], removed: [], unchanged: 3 },
    uploaded: 0,
    deleted: 0,
    version: { changed: false },
    syncJobs: [],
    syncHealth: [],
    problems: [],
    ...overrides,
  };
}

test('a clean run with a sync two hours old reports no failure and an age of 2 h', () => {
  const figures = resyncMetrics(report({ syncHealth: [{ dataSourceId: 'ds-1', latestStatus: 'SUCCEEDED', lastSucceededAt: '2026-11-20T10:00:00Z' }] }), NOW);

  expect(figures).toEqual({ playbookSyncFailed: 0, playbookSyncAgeHours: 2 });
});

test('the oldest data source decides the age', () => {
  const figures = resyncMetrics(
    report({
      syncHealth: [
        { dataSourceId: 'ds-1', lastSucceededAt: '2026-11-20T11:00:00Z' },
        { dataSourceId: 'ds-2', lastSucceededAt: '2026-11-17T12:00:00Z' },
      ],
    }),
    NOW,
  );

  expect(figures.playbookSyncAgeHours).toBe(72);
});

test('a data source that never synced is reported as stale beyond any threshold', () => {
  const figures = resyncMetrics(report({ syncHealth: [{ dataSourceId: 'ds-1', latestStatus: 'FAILED' }] }), NOW);

  expect(figures.playbookSyncAgeHours).toBeGreaterThan(48);
});

test('a failed run counts as a failure; without data sources there is no age', () => {
  const figures = resyncMetrics(report({ outcome: 'failed' }), NOW);

  expect(figures).toEqual({ playbookSyncFailed: 1 });
});
