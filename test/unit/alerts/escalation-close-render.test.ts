/** The page of a rise and the closing update say what they are, in every format (issue 19). */
import { renderChatbot, renderJson, renderText } from '../../../shared/alerts/render';
import { messageBodies, subjectFor } from '../../../shared/notify/sns';
import { HOSTILE_TEXT, makeAlert } from '../../support/alerts';

const risen = makeAlert({
  severity: 'CRITICAL',
  updates: 2,
  escalation: {
    from: 'HIGH',
    to: 'CRITICAL',
    by: 'AssociatePermission',
    rule: 'playbook/AssociatePermission',
    at: '2026-05-04T10:02:00Z',
    update: 2,
  },
});
const closed = makeAlert({ updates: 3, closedAt: '2026-05-04T10:14:00Z' });

describe('the page of a rise', () => {
  test('text: the title says escalated from which severity, the next line by which operation', () => {
    const [title, ...rest] = renderText(risen, { kind: 'update', form: 'compact' }).split('\n');

    expect(title).toBe('[CRITICAL] Q Business application deleted (escalated from HIGH, update 2)');
    // Wrapped at 100 columns, continued with two spaces.
    expect(
      rest
        .slice(0, 2)
        .join('\n')
        .replace(/\n {2}/gu, ' '),
    ).toBe(
      'Escalated from HIGH to CRITICAL by AssociatePermission at 2026-05-04T10:02:00Z (rule playbook/AssociatePermission).',
    );
  });

  test('email subject, Chatbot title and first line, JSON status and escalation', () => {
    const chat = renderChatbot(risen, { kind: 'update' });
    const json = renderJson(risen, { kind: 'update' });

    expect(subjectFor(risen, 'update')).toMatch(/ \(escalated from HIGH, update 2\)$/u);
    expect(chat.content.title).toContain('(escalated from HIGH, update 2)');
    expect(chat.content.description.split('\n')[0]).toContain('Escalated from HIGH to CRITICAL by AssociatePermission');
    expect(json).toMatchObject({
      kind: 'update',
      severity: 'CRITICAL',
      escalation: { from: 'HIGH', to: 'CRITICAL', by: 'AssociatePermission' },
      status: expect.stringMatching(/^Escalated from HIGH/u),
    });
  });

  test('a later update of the same incident does not say escalated again', () => {
    const later = { ...risen, updates: 3 };

    expect(renderText(later, { kind: 'update' }).split('\n')[0]).toMatch(/\(update 3\)$/u);
    expect(renderJson(later, { kind: 'update' }).status).toBeUndefined();
  });

  test('a forged operation name in the escalation is escaped', () => {
    const forged = makeAlert({
      updates: 1,
      escalation: {
        from: 'LOW',
        to: 'HIGH',
        by: HOSTILE_TEXT,
        rule: 'playbook/x',
        at: '2026-05-04T10:02:00Z',
        update: 1,
      },
    });

    const text = renderText(forged, { kind: 'update' });

    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
  });
});

describe('the closing update', () => {
  test('says closed, since when there was no activity, in text, subject, Chatbot and JSON', () => {
    const bodies = messageBodies(closed, { kind: 'update' }, 'msg-1');

    expect(renderText(closed, { kind: 'update' }).split('\n').slice(0, 2)).toEqual([
      '[HIGH] Q Business application deleted (closed, update 3)',
      'Closed at 2026-05-04T10:14:00Z: no activity since 2026-05-04T10:03:00Z; these are the final counts.',
    ]);
    expect(subjectFor(closed, 'update')).toMatch(/ \(closed, update 3\)$/u);
    expect(JSON.parse(bodies.https ?? '{}').content.title).toContain('(closed, update 3)');
    expect(JSON.parse(bodies.sqs ?? '{}')).toMatchObject({
      closedAt: '2026-05-04T10:14:00Z',
      status: expect.stringMatching(/^Closed at/u),
    });
  });
});
