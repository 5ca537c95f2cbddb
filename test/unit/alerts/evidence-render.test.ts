/** The evidence, headline and event links in each rendering of an alert. */
import { headline, renderChatbot, renderJson, renderText, wrap } from '../../../shared/alerts/render';
import { columns } from '../../../shared/alerts/render/text';
import { HOSTILE_TEXT, makeAlert, sample } from '../../support/alerts';

// eslint-disable-next-line no-control-regex -- finding raw control characters is the point of the test
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const EVENT_ID = '5cb7dd4c-548e-588e-8006-4631f75f591b';
const CONSOLE = `https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/${EVENT_ID}`;

const pluginAlert = () =>
  makeAlert({
    title: 'CreatePlugin (Amazon Q Business plugin)',
    firstSeen: '2026-11-20T14:00:30.000Z',
    lastSeen: '2026-11-20T14:00:30.000Z',
    count: 1,
    eventIds: [EVENT_ID],
    eventNames: { CreatePlugin: 1 },
    principal: {
      key: 'arn:aws:sts::111122223333:assumed-role/CIDeployRole/i-0abc',
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/CIDeployRole/i-0abc',
      accountId: '111122223333',
    },
    samples: [
      sample({
        eventId: EVENT_ID,
        eventName: 'CreatePlugin',
        errorCode: undefined,
        eventTime: '2026-11-20T14:00:30.000Z',
        evidence: [{ kind: 'plugin', value: 'plug-1' }],
      }),
    ],
    resources: [
      {
        eventName: 'CreatePlugin',
        resources: [
          { kind: 'application', value: 'app-1' },
          { kind: 'plugin', value: 'plug-1' },
          { kind: 'server URL', value: 'https://tickets.example.net' },
          { kind: 'role', value: 'arn:aws:iam::111122223333:role/QPluginRole' },
        ],
      },
    ],
  });

describe('headline', () => {
  test('says how bad, who, did what, to which resource, where and when, in one line', () => {
    expect(headline(pluginAlert())).toBe(
      'HIGH: assumed-role/CIDeployRole/i-0abc CreatePlugin on plugin plug-1 in 111122223333/us-east-1 at 2026-11-20 14:00:30Z',
    );
  });

  test('says "tried" with the error codes when every event failed, and counts repeated operations', () => {
    const text = headline(makeAlert({ eventNames: { DeleteApplication: 3, DeleteIndex: 1 } }));

    expect(text).toBe(
      'HIGH: user/alice tried DeleteApplication x3, DeleteIndex (AccessDenied) on application app-1 in 111122223333/us-east-1 at 2026-05-04 10:00:00Z–10:03:00Z',
    );
  });

  test('names a principal of another account with its account', () => {
    const alert = makeAlert({
      principal: {
        key: 'arn:aws:iam::444455556666:user/bob',
        type: 'IAMUser',
        arn: 'arn:aws:iam::444455556666:user/bob',
      },
    });

    expect(headline(alert)).toContain(': 444455556666:user/bob tried');
  });

  test('is one inert line whatever the operation, principal or resource holds', () => {
    const alert = makeAlert({
      eventNames: { [`Delete${HOSTILE_TEXT}`]: 1 },
      principal: { key: HOSTILE_TEXT, type: 'Unknown' },
      resources: [{ eventName: `Delete${HOSTILE_TEXT}`, resources: [{ kind: 'name', value: HOSTILE_TEXT }] }],
    });

    expect(headline(alert)).not.toMatch(RAW_CONTROL);
    expect(headline(alert)).not.toContain('\n');
  });
});

describe('evidence in the text rendering', () => {
  test('the compact form: headline, why, operations with their resources, next steps, event ids and where to read them', () => {
    const text = renderText(pluginAlert(), { form: 'compact' });

    expect(text.split('\n').slice(0, 3)).toEqual([
      '[HIGH] CreatePlugin (Amazon Q Business plugin)',
      'HIGH: assumed-role/CIDeployRole/i-0abc CreatePlugin on plugin plug-1 in 111122223333/us-east-1 at',
      '  2026-11-20 14:00:30Z',
    ]);
    expect(text).toContain('\nWhy: destructive call on an application\n');
    expect(text.replace(/\n +/gu, ' ')).toContain(
      'CreatePlugin x1: application app-1, plugin plug-1, server URL https://tickets.example.net, role arn:aws:iam::111122223333:role/QPluginRole',
    );
    expect(text).toContain('\nNext steps:\n  1. Confirm with the owner that the deletion was planned.\n');
    expect(text).toContain(`\nEvents (1):\n  ${EVENT_ID}\n`);
    expect(text).toContain(`    ${CONSOLE}\n`);
    expect(text).toContain(
      `    aws cloudtrail lookup-events --region us-east-1 \\\n      --lookup-attributes AttributeKey=EventId,AttributeValue=${EVENT_ID}`,
    );
    expect(text).not.toContain('Analysis questions');
    expect(text).not.toContain('Playbook assistant');
  });

  test('the full form keeps everything and lists the links of each recent event', () => {
    const text = renderText(pluginAlert());

    expect(text).toContain('\nRecent events (newest last):\n');
    expect(text).toContain('\nAnalysis questions:\n');
    expect(text).toContain('\nPlaybook assistant (qbusiness, cached, answered 2026-05-04T09:00:00Z):');
    expect(text.replace(/\n {4}(?!https)/gu, ' ')).toContain(
      `id=${EVENT_ID} ip=198.51.100.7 ua="aws-cli/2.15.0"; on plugin plug-1\n    ${CONSOLE}`,
    );
    expect(text.split(CONSOLE).length - 1).toBe(1);
  });

  test('a data event says where its record is instead of giving links', () => {
    const text = renderText(makeAlert({ samples: [sample({ dataEvent: true })] }), { form: 'compact' });

    expect(text).toContain("data event: not in Event history or lookup-events; find it in the trail's S3 logs or");
    expect(text).not.toContain('cloudtrailv2');
  });

  test('wraps at the width asked for, never inside a word: only a link or the lookup arguments run over', () => {
    const text = renderText(pluginAlert(), { form: 'compact', width: 60 });

    const over = text.split('\n').filter((line) => line.length > 60);
    expect(over.map((line) => line.trim().split(' ')[0])).toEqual([CONSOLE, '--lookup-attributes']);
  });

  test('hostile evidence is escaped in both forms', () => {
    const alert = makeAlert({
      resources: [{ eventName: 'DeleteApplication', resources: [{ kind: 'name', value: HOSTILE_TEXT }] }],
      samples: [sample({ evidence: [{ kind: 'server URL', value: HOSTILE_TEXT }] })],
    });

    for (const form of ['compact', 'full'] as const) {
      const text = renderText(alert, { form });
      expect(text).not.toMatch(RAW_CONTROL);
      expect(text.split('\n').some((line) => line.startsWith('[CRITICAL]'))).toBe(false);
    }
  });

  test('an alert stored before evidence existed renders, with its samples’ ARNs', () => {
    const old = makeAlert({
      resources: undefined,
      samples: [sample({ evidence: undefined, region: undefined, dataEvent: undefined })],
    });

    const text = renderText(old);
    expect(text).toContain('DeleteApplication x1\n');
    expect(text).toContain('ARN arn:aws:qbusiness:us-east-1:111122223333:application/app-1');
  });
});

describe('evidence in the JSON document', () => {
  test('carries the headline, the resources per operation and each sample’s evidence and links', () => {
    const document = renderJson(pluginAlert());

    expect(document.headline).toBe(headline(pluginAlert()));
    expect(document.resources).toEqual([
      { eventName: 'CreatePlugin', resources: pluginAlert().resources?.[0]?.resources },
    ]);
    expect(document.samples[0]).toMatchObject({
      eventId: EVENT_ID,
      region: 'us-east-1',
      dataEvent: false,
      evidence: [{ kind: 'plugin', value: 'plug-1' }],
      consoleUrl: CONSOLE,
      lookupCommand: `aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=${EVENT_ID}`,
    });
  });

  test('escapes hostile evidence', () => {
    const document = renderJson(
      makeAlert({
        resources: [{ eventName: 'DeleteApplication', resources: [{ kind: 'name', value: HOSTILE_TEXT }] }],
      }),
    );

    expect(JSON.stringify(document)).not.toMatch(RAW_CONTROL);
    expect(document.resources[0]?.resources[0]?.value).toContain('\\u001b[2J');
  });
});

describe('evidence in the chat notification', () => {
  test('lists each operation with its resources as inline code, and links the record of each event', () => {
    const description = renderChatbot(pluginAlert()).content.description;

    expect(description.split('\n')[0]).toContain('CreatePlugin on plugin plug-1');
    expect(description).toContain(
      '• `CreatePlugin` ×1: application `app-1`, plugin `plug-1`, server URL `hxxps[:]//tickets.example.net`',
    );
    expect(description).toContain(`[record](${CONSOLE})`);
  });

  test('a hostile resource value cannot close its code span, mention anyone or link anywhere', () => {
    const description = renderChatbot(
      makeAlert({
        resources: [{ eventName: 'DeleteApplication', resources: [{ kind: 'server URL', value: HOSTILE_TEXT }] }],
      }),
    ).content.description;

    expect(description).not.toMatch(RAW_CONTROL);
    expect(description).not.toContain('@here');
    expect(description).not.toContain('<!channel>');
    expect(description).not.toContain('https://evil.example');
  });

  test('names role and resource ARNs among the related resources', () => {
    expect(renderChatbot(pluginAlert()).metadata.relatedResources).toContain(
      'arn:aws:iam::111122223333:role/QPluginRole',
    );
  });
});

describe('wrap', () => {
  test('breaks at spaces and keeps a word longer than the line whole', () => {
    expect(wrap('aaa bbb ccc https://docs.aws.amazon.com/a-very-long-link', 12, '  ', '    ')).toEqual([
      '  aaa bbb',
      '    ccc',
      '    https://docs.aws.amazon.com/a-very-long-link',
    ]);
  });

  test('counts Japanese and Chinese characters as two columns and breaks between them', () => {
    const lines = wrap(
      'インデックスを再作成し、リトリーバーとデータソースを再接続して、完全同期を実行してください。',
      30,
      '  ',
      '  ',
    );

    expect(lines.join('').replace(/ /gu, '')).toBe(
      'インデックスを再作成し、リトリーバーとデータソースを再接続して、完全同期を実行してください。',
    );
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(30);
    expect(lines.length).toBeGreaterThan(2);
  });
});
