import { dominantEventName, renderChatbot, renderJson, renderText } from '../../../shared/alerts/render';
import { HOSTILE_TEXT, makeAlert, sample } from '../../support/alerts';

// eslint-disable-next-line no-control-regex -- finding raw control characters is the point of the test
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u; // LF allowed between lines of text output
const RAW_BIDI = /[\u202a-\u202e\u2066-\u2069]/u;

describe('renderText', () => {
  test('starts with the severity and title line', () => {
    const text = renderText(makeAlert());

    expect(text.split('\n')[0]).toBe('[HIGH] Q Business application deleted');
  });

  test('shows principal, account/region, time span, count and updates', () => {
    const text = renderText(makeAlert({ updates: 3, count: 9 }), { kind: 'update' });

    expect(text).toContain('(update 3)');
    expect(text).toContain('Principal: arn:aws:iam::111122223333:user/alice (type IAMUser, user alice, MFA no)');
    expect(text).toContain('Account/Region: 111122223333 / us-east-1');
    expect(text).toContain('Time: 2026-05-04T10:00:00Z to 2026-05-04T10:03:00Z');
    expect(text).toContain('Events: 9 | Updates: 3');
  });

  test('lists operation names with counts, most frequent first', () => {
    const text = renderText(makeAlert({ eventNames: { ListIndices: 2, DeleteIndex: 7 } }));

    expect(text.indexOf('DeleteIndex x7')).toBeLessThan(text.indexOf('ListIndices x2'));
  });

  test('includes response steps, analysis questions and the enrichment answer with citations', () => {
    const text = renderText(makeAlert());

    expect(text).toContain('1. Confirm with the owner that the deletion was planned.');
    expect(text).toContain('- Who else did this principal act as in the last day?');
    expect(text).toContain('Playbook assistant (qbusiness, cached, answered 2026-05-04T09:00:00Z):');
    expect(text).toContain('  Restore from the data source if needed.');
    expect(text).toContain('[1] Q Business response runbook');
  });

  test('gives the enrichment failure reason when there is no answer', () => {
    const text = renderText(
      makeAlert({ enrichment: { status: 'timeout', reason: 'budget of 3000 ms spent', citations: [] } }),
    );

    expect(text).toContain('Playbook assistant: no answer (timeout: budget of 3000 ms spent)');
  });

  test('includes the principal context answers and notes a partial context', () => {
    const text = renderText(
      makeAlert({
        context: {
          windowHours: 24,
          complete: false,
          note: 'throttled',
          answers: [{ question: 'Seen before?', answer: 'No.' }],
          sourceIps: [],
          userAgents: [],
        },
      }),
    );

    expect(text).toContain('Principal activity (last 24 h, partial: throttled):');
    expect(text).toContain('Q: Seen before?');
    expect(text).toContain('A: No.');
  });

  test('escapes a hostile userAgent so it cannot forge lines or reorder text', () => {
    const text = renderText(makeAlert({ samples: [sample({ userAgent: HOSTILE_TEXT })] }));

    expect(RAW_CONTROL.test(text)).toBe(false);
    expect(RAW_BIDI.test(text)).toBe(false);
    expect(text.split('\n').some((line) => line.startsWith('[CRITICAL]'))).toBe(false);
  });

  test('escapes hostile principal names and resource ARNs', () => {
    const text = renderText(
      makeAlert({
        principal: { key: `arn:aws:iam::1:user/x\n[LOW] ok`, type: 'IAMUser', userName: '\u001b[2Jmallory' },
        samples: [sample({ resourceArns: ['arn:aws:qbusiness:us-east-1:1:application/\r\nFAKE'] })],
      }),
    );

    expect(text).not.toMatch(/\n\[LOW\] ok/u);
    expect(text).not.toMatch(/\nFAKE/u);
    expect(text).toContain('\\u001b[2Jmallory');
  });

  test('marks a shortened alert', () => {
    expect(renderText(makeAlert(), { truncated: true })).toContain('lists were shortened');
  });
});

describe('renderJson', () => {
  test('carries the keys machines rely on, principal as its key string', () => {
    const doc = renderJson(makeAlert(), { kind: 'new' });

    expect(doc).toMatchObject({
      type: 'alert',
      kind: 'new',
      alertId: 'alert-7f3a',
      severity: 'HIGH',
      category: 'application',
      rule: 'playbook/DeleteApplication',
      title: 'Q Business application deleted',
      principal: 'arn:aws:iam::111122223333:user/alice',
      eventIds: ['e-0001', 'e-0002'],
      count: 2,
      truncated: false,
    });
  });

  test('survives a JSON round trip unchanged', () => {
    const doc = renderJson(makeAlert());

    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  test('cleans attacker fields in samples', () => {
    const doc = renderJson(makeAlert({ samples: [sample({ userAgent: HOSTILE_TEXT })] }));

    const userAgent = doc.samples[0]?.userAgent;
    expect(typeof userAgent).toBe('string');
    expect(RAW_CONTROL.test(String(userAgent))).toBe(false);
    expect(RAW_BIDI.test(String(userAgent))).toBe(false);
  });

  test('reports enrichment status and reason when unanswered', () => {
    const doc = renderJson(
      makeAlert({ enrichment: { status: 'throttled', reason: 'ChatSync throttled', citations: [] } }),
    );

    expect(doc.enrichment).toMatchObject({ status: 'throttled', reason: 'ChatSync throttled' });
  });
});

describe('renderChatbot', () => {
  test('follows the custom notification schema', () => {
    const note = renderChatbot(makeAlert());

    expect(note.version).toBe('1.0');
    expect(note.source).toBe('custom');
    expect(note.content.textType).toBe('client-markdown');
    expect(note.content.title).toContain('HIGH');
    expect(note.content.nextSteps).toEqual(['Confirm with the owner that the deletion was planned.']);
    expect(note.content.keywords).toEqual(expect.arrayContaining(['HIGH', 'application']));
  });

  test('threads updates of one incident under the alert id', () => {
    const first = renderChatbot(makeAlert());
    const update = renderChatbot(makeAlert({ updates: 2 }), { kind: 'update' });

    expect(update.metadata.threadId).toBe(first.metadata.threadId);
    expect(update.id).not.toBe(first.id);
  });

  test('neutralises markdown, links and mentions from a hostile userAgent', () => {
    const note = renderChatbot(makeAlert({ samples: [sample({ userAgent: HOSTILE_TEXT })] }));

    const { description } = note.content;
    expect(description).not.toMatch(/@here|<!channel>|<@U123>|https:\/\/evil/u);
    expect(RAW_CONTROL.test(description)).toBe(false);
    expect(RAW_BIDI.test(description)).toBe(false);
  });

  test('keeps trusted citation links as links and defangs others', () => {
    const note = renderChatbot(
      makeAlert({
        enrichment: {
          status: 'answered',
          answer: 'ok',
          citations: [
            { title: 'AWS doc', url: 'https://docs.aws.amazon.com/sns/latest/dg/welcome.html' },
            { title: 'elsewhere', url: 'https://evil.example/' },
          ],
        },
      }),
    );

    expect(note.content.description).toContain('[AWS doc](https://docs.aws.amazon.com/sns/latest/dg/welcome.html)');
    expect(note.content.description).not.toContain('evil.example/)');
  });

  test('caps the description', () => {
    const note = renderChatbot(
      makeAlert({ reasons: Array.from({ length: 200 }, (_, i) => `reason ${i} ${'r'.repeat(200)}`) }),
    );

    expect(note.content.description.length).toBeLessThanOrEqual(4000);
    expect(note.content.description).toContain('shortened');
  });
});

describe('dominantEventName', () => {
  test('is the most frequent operation, ties broken by name', () => {
    expect(dominantEventName(makeAlert({ eventNames: { B: 2, A: 2, C: 1 } }))).toBe('A');
  });
});

describe('lists shared by the alerts of a rule', () => {
  const shared = {
    steps: [{ text: 'Shared step', link: 'https://docs.aws.amazon.com/shared' }, { text: `Step with ${HOSTILE_TEXT}` }],
    questions: ['Shared question?'],
    links: ['https://docs.aws.amazon.com/shared'],
  };
  const other = {
    steps: [{ text: 'Other step' }],
    questions: ['Other question?'],
    links: ['https://docs.aws.amazon.com/other'],
  };
  // The same content in fresh arrays: what an alert read back from the state store carries.
  const copyOf = (lists: typeof shared | typeof other) => JSON.parse(JSON.stringify(lists)) as typeof lists;

  test('render exactly as fresh copies of the same lists do, whatever alert came before', () => {
    const order = [shared, other, shared, copyOf(shared), other, shared];
    const texts = order.map((lists) => renderText(makeAlert(lists)));
    const documents = order.map((lists) => JSON.stringify(renderJson(makeAlert(lists))));
    order.forEach((lists, i) => {
      expect(texts[i]).toBe(renderText(makeAlert(copyOf(lists))));
      expect(documents[i]).toBe(JSON.stringify(renderJson(makeAlert(copyOf(lists)))));
    });
    expect(texts[0]).toContain('1. Shared step <https://docs.aws.amazon.com/shared>');
    expect(texts[1]).toContain('1. Other step');
    expect(texts[1]).not.toContain('Shared step');
    expect(texts[0]).not.toMatch(RAW_CONTROL);
  });
});

describe('page first: a message sent before its answer and context says that they follow', () => {
  const early = { ...makeAlert(), enrichmentFollows: true as const };

  test('text (email), full and compact: the line that the answer follows, and the enrichment message titled as such', () => {
    expect(renderText(early)).toContain(
      'The playbook answer and the principal context follow in a separate message for this alert id.',
    );
    expect(renderText(early, { form: 'compact' })).toContain('follow in a separate message');
    expect(renderText(makeAlert(), { kind: 'enrichment' }).split('\n')[0]).toMatch(/\(playbook answer and context\)$/u);
    expect(renderText(makeAlert())).not.toContain('follow in a separate message');
  });

  test('JSON: enrichmentFollows true, and kind enrichment on the follow-up', () => {
    expect(renderJson(early, { kind: 'new' })).toMatchObject({ kind: 'new', enrichmentFollows: true });
    expect(renderJson(makeAlert(), { kind: 'enrichment' })).toMatchObject({ kind: 'enrichment' });
    expect(renderJson(makeAlert())).not.toHaveProperty('enrichmentFollows');
  });

  test('Chatbot: the description says that the answer follows', () => {
    expect(renderChatbot(early).content.description).toContain('follow in a separate message for this alert id');
    expect(renderChatbot(makeAlert(), { kind: 'enrichment' }).content.title).toMatch(
      /\(playbook answer and context\)/u,
    );
  });
});
