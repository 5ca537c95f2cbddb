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

test('a clean run checked the playbooks now: no failure and an age of about zero, however old the last change', () => {
  const figures = resyncMetrics(
    report({
      verifiedAt: '2026-11-20T11:59:00Z',
      syncHealth: [{ dataSourceId: 'ds-1', latestStatus: 'SUCCEEDED', lastSucceededAt: '2026-11-17T10:00:00Z' }],
    }),
    NOW,
  );

  expect(figures).toEqual({ playbookSyncFailed: 0, playbookSyncAgeHours: 0.02 });
});

test('a failed run counts as a failure, and the age runs from the last successful check', () => {
  const figures = resyncMetrics(report({ outcome: 'failed', verifiedAt: '2026-11-17T12:00:00Z' }), NOW);

  expect(figures).toEqual({ playbookSyncFailed: 1, playbookSyncAgeHours: 72 });
});

test('playbooks never checked are stale beyond any threshold', () => {
  const figures = resyncMetrics(report({ outcome: 'failed' }), NOW);

  expect(figures.playbookSyncAgeHours).toBeGreaterThan(48);
});

test('a data source problem counts as a failure', () => {
  const figures = resyncMetrics(
    report({
      verifiedAt: '2026-11-20T11:59:00Z',
      problems: [{ dataSourceId: 'ds-1', problem: 'failed', status: 'FAILED', detail: 'access denied' }],
    }),
    NOW,
  );

  expect(figures.playbookSyncFailed).toBe(1);
});
