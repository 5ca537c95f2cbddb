/** Alerts for notifier and renderer tests: built fresh on every call, so tests can change them freely. */
import type { Alert, EventSample } from '../../../shared/alerts/model';
import type { Notifier, PublishKind } from '../../../shared/notify/types';
import { testAlert } from '../../support/alerts';

/** Everything an attacker could put in a userAgent: ANSI, CR/LF line forging, bidi, markdown, links, mentions. */
export const HOSTILE_TEXT =
  '\u001b[2J\u001b[31mboto3\r\n[CRITICAL] all clear\u202Egnp.exe\u2066 *bold* _it_ `tick` [click](https://evil.example/x) @here <!channel> <@U123> &amp;';

export function sample(overrides: Partial<EventSample> = {}): EventSample {
  return {
    eventId: 'e-0001',
    eventName: 'DeleteApplication',
    eventTime: '2026-05-04T10:00:00Z',
    errorCode: 'AccessDenied',
    sourceIp: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    resourceArns: ['arn:aws:qbusiness:us-east-1:111122223333:application/app-1'],
    region: 'us-east-1',
    dataEvent: false,
    evidence: [{ kind: 'application', value: 'app-1' }],
    ...overrides,
  };
}

/** The base test alert, filled in everywhere a notifier or renderer prints something. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return testAlert({
    id: 'alert-7f3a',
    severity: 'HIGH',
    rule: 'playbook/DeleteApplication',
    title: 'Q Business application deleted',
    description: 'An Amazon Q Business application was deleted; its index and conversations go with it.',
    principal: {
      key: 'arn:aws:iam::111122223333:user/alice',
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      userName: 'alice',
      mfaAuthenticated: false,
    },
    firstSeen: '2026-05-04T10:00:00Z',
    lastSeen: '2026-05-04T10:03:00Z',
    count: 2,
    eventIds: ['e-0001', 'e-0002'],
    eventNames: { DeleteApplication: 1, DeleteIndex: 1 },
    reasons: ['destructive call on an application'],
    steps: [{ text: 'Confirm with the owner that the deletion was planned.', link: 'https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug/what-is.html' }],
    questions: ['Who else did this principal act as in the last day?'],
    links: ['https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug/logging-using-cloudtrail.html'],
    samples: [
      sample(),
      sample({ eventId: 'e-0002', eventName: 'DeleteIndex', eventTime: '2026-05-04T10:03:00Z', evidence: [{ kind: 'application', value: 'app-1' }, { kind: 'index', value: 'idx-9' }] }),
    ],
    resources: [
      { eventName: 'DeleteApplication', resources: [{ kind: 'application', value: 'app-1' }] },
      { eventName: 'DeleteIndex', resources: [{ kind: 'application', value: 'app-1' }, { kind: 'index', value: 'idx-9' }] },
    ],
    enrichment: {
      status: 'answered',
      answer: 'Check the application owner.\nRestore from the data source if needed.',
      citations: [{ title: 'Q Business response runbook', url: 'https://github.com/aws-samples/example/blob/main/q.md' }],
      source: 'qbusiness',
      answeredAt: '2026-05-04T09:00:00Z',
      cached: true,
    },
    context: {
      windowHours: 24,
      complete: true,
      answers: [{ question: 'Has the principal called Q Business before?', answer: 'Yes, 14 calls in the last 24 h.' }],
      firstSeen: '2026-05-03T08:00:00Z',
      sourceIps: ['198.51.100.7'],
      userAgents: ['aws-cli/2.15.0'],
    },
    ...overrides,
  });
}

/** An alert far over SNS's limit: thousands of ids, huge samples, a huge answer and context. */
export function hugeAlert(): Alert {
  const big = 'x'.repeat(3000);
  return makeAlert({
    count: 5000,
    eventIds: Array.from({ length: 5000 }, (_, i) => `event-${String(i).padStart(6, '0')}-${'f'.repeat(24)}`),
    eventNames: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`Operation${i}${'N'.repeat(60)}`, i + 1])),
    resources: Array.from({ length: 20 }, (_, i) => ({
      eventName: `Operation${399 - i}${'N'.repeat(60)}`,
      resources: Array.from({ length: 10 }, (__, j) => ({ kind: 'server URL', value: `https://${j}.example/${big}` })),
    })),
    samples: Array.from({ length: 20 }, (_, i) =>
      sample({ eventId: `s-${i}`, userAgent: `${HOSTILE_TEXT}${big}`, evidence: Array.from({ length: 12 }, (__, j) => ({ kind: 'name', value: `${j}${HOSTILE_TEXT}${big}` })), resourceArns: Array.from({ length: 20 }, (__, j) => `arn:aws:qbusiness:us-east-1:111122223333:application/app-${j}-${big}`) }),
    ),
    reasons: Array.from({ length: 300 }, (_, i) => `reason ${i} ${big}`),
    steps: Array.from({ length: 300 }, (_, i) => ({ text: `step ${i} ${big}` })),
    questions: Array.from({ length: 300 }, (_, i) => `question ${i} ${big}`),
    enrichment: {
      status: 'answered',
      answer: big.repeat(100),
      citations: Array.from({ length: 300 }, (_, i) => ({ title: `citation ${i} ${big}`, url: `https://docs.aws.amazon.com/${i}` })),
      source: 'qbusiness',
    },
    context: {
      windowHours: 24,
      complete: false,
      note: 'budget exhausted',
      answers: Array.from({ length: 300 }, (_, i) => ({ question: `q ${i} ${big}`, answer: `a ${i} ${big}` })),
      sourceIps: Array.from({ length: 300 }, (_, i) => `203.0.113.${i % 255}`),
      userAgents: Array.from({ length: 300 }, () => big),
    },
  });
}

/** A notifier's alerts-topic route as `publish(alert, kind)`, with message ids msg-1, msg-2… in call order. */
export function onAlertsTopic(notifier: Notifier): { publish(alert: Alert, kind: PublishKind): Promise<void> } {
  let sent = 0;
  return {
    publish: (alert, kind) => {
      sent += 1;
      return notifier.send({ id: `msg-${sent}`, route: 'alerts', alert, kind });
    },
  };
}
