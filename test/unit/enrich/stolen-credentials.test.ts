import { credentialsLookStolen } from '../../../shared/enrich/stolen-credentials';
import { alertFor } from '../../support/alerts';

const ROOT = {
  key: 'arn:aws:iam::111122223333:root',
  type: 'Root',
  arn: 'arn:aws:iam::111122223333:root',
  accountId: '111122223333',
};
const sample = (eventName: string, errorCode?: string) => ({
  eventId: `e-${eventName}-${errorCode ?? 'ok'}`,
  eventName,
  eventTime: '2026-05-01T10:00:00.000Z',
  ...(errorCode !== undefined ? { errorCode } : {}),
  resourceArns: [],
});

describe('credentialsLookStolen', () => {
  test.each([
    ['an auth-failures burst', alertFor('auth-failures', { category: 'application', phase: 'detection-analysis' })],
    [
      'a root user calling Amazon Q',
      alertFor('playbook/UpdateChatControlsConfiguration', { category: 'guardrails', principal: ROOT }),
    ],
  ])('is true for %s', (_name, alert) => {
    expect(credentialsLookStolen(alert)).toBe(true);
  });

  test.each([
    ['an ordinary write by a role', alertFor('playbook/CreatePlugin')],
    ['one denied call', alertFor('playbook/CreatePlugin', { samples: [sample('CreatePlugin', 'AccessDenied')] })],
    [
      'a denied call and then the same write succeeding',
      alertFor('playbook/CreatePlugin', { samples: [sample('CreatePlugin', 'AccessDenied'), sample('CreatePlugin')] }),
    ],
    ['a bulk-delete burst', alertFor('bulk-delete', { category: 'document', phase: 'detection-analysis' })],
    [
      'a reason text that mentions root',
      alertFor('playbook/CreatePlugin', { reasons: ['root identity: raised to HIGH'], title: 'Root auth-failures' }),
    ],
  ])('is false for %s', (_name, alert) => {
    expect(credentialsLookStolen(alert)).toBe(false);
  });
});
