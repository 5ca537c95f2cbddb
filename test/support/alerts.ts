/** The one base alert for tests: complete and minimal; each area's fixtures override what they care about. */
import type { Alert } from '../../shared/alerts/model';

export function testAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-1',
    severity: 'MEDIUM',
    category: 'application',
    rule: 'playbook/UpdateApplication',
    title: 'UpdateApplication (Amazon Q Business application)',
    description: 'fixture',
    phase: 'containment-eradication',
    principal: { key: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
    account: '111122223333',
    region: 'us-east-1',
    firstSeen: '2026-05-01T10:00:00.000Z',
    lastSeen: '2026-05-01T10:00:00.000Z',
    count: 1,
    updates: 0,
    eventIds: ['e-1'],
    eventNames: { UpdateApplication: 1 },
    reasons: [],
    steps: [],
    questions: [],
    links: [],
    samples: [],
    paged: false,
    ...overrides,
  };
}
