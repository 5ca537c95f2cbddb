import { Readable } from 'node:stream';
import path from 'node:path';
import { fitMiddle, fitPrincipal, replayCommand } from '../../../shared/cli/commands/replay';
import { TextCapture } from '../../support/streams';

const EVENTS_DIR = path.join(__dirname, '..', '..', '..', 'events');
const SELF = 'arn:aws:sts::*:assumed-role/q-triage-*';

async function runReplay(args: readonly string[], stdinText = ''): Promise<{ code: number; stdout: string }> {
  const stdout = new TextCapture();
  const code = await replayCommand.run(args, {
    stdout,
    stderr: new TextCapture(),
    stdin: Readable.from([Buffer.from(stdinText)]),
    env: {},
    cwd: process.cwd(),
  });
  return { code, stdout: stdout.text };
}

type Line = Record<string, unknown> & { type: string };

describe('q-triage replay --format json over the sample events', () => {
  let lines: Line[];
  let code: number;

  beforeAll(async () => {
    const result = await runReplay(['--format', 'json', '--self-principal', SELF, '--no-enrich', EVENTS_DIR]);
    code = result.code;
    lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
  });

  const ofType = (type: string): Line[] => lines.filter((line) => line.type === type);

  test('exits 0 although some inputs are rejected', () => {
    expect(code).toBe(0);
    expect(ofType('rejected').length).toBeGreaterThan(0);
  });

  test('prints only the documented line types, the summary last', () => {
    expect(new Set(lines.map((line) => line.type))).toEqual(new Set(['event', 'alert', 'rejected', 'summary']));
    expect(lines.at(-1)?.type).toBe('summary');
    expect(ofType('summary')).toHaveLength(1);
  });

  test('event lines carry exactly the documented fields, in order', () => {
    const fields = [
      'type',
      'eventId',
      'eventTime',
      'eventSource',
      'eventName',
      'principal',
      'category',
      'severity',
      'alert',
      'self',
      'reasons',
    ];
    for (const line of ofType('event')) {
      expect(Object.keys(line).filter((key) => key !== 'alertId' && key !== 'alertIds')).toEqual(fields);
      expect(typeof line.alert).toBe('boolean');
      expect(Array.isArray(line.reasons)).toBe(true);
    }
  });

  test('event lines carry the normalised time and the principal key, so jq can answer "what did X do"', () => {
    const mine = ofType('event').filter((line) => line.principal === 'arn:aws:iam::111122223333:user/svc-legacy-admin');

    expect(mine.map((line) => [line.eventName, line.eventTime])).toEqual([['DeleteIndex', '2026-11-20T14:01:35.000Z']]);
  });

  test('an alerted event names its alert, and that alert lists the event', () => {
    const alerts = new Map(ofType('alert').map((line) => [line.alertId as string, line.eventIds as string[]]));
    const alerted = ofType('event').filter((line) => line.alert === true);

    expect(alerted.length).toBeGreaterThan(0);
    for (const line of alerted) {
      const ids = (line.alertIds as string[] | undefined) ?? [line.alertId as string];
      expect(ids[0]).toBe(line.alertId);
      for (const id of ids) expect(alerts.get(id)).toContain(line.eventId);
    }
    for (const line of ofType('event').filter((event) => event.alert === false))
      expect(line).not.toHaveProperty('alertId');
  });

  test('an event belongs to one alert: a document delete and its burst are one actor incident', () => {
    const deletes = ofType('event').filter((line) => line.eventName === 'BatchDeleteDocument');

    expect(ofType('event').filter((line) => Array.isArray(line.alertIds))).toEqual([]);
    expect(deletes.length).toBe(25);
    expect(new Set(deletes.map((line) => line.alertId)).size).toBe(1);
  });

  test('an event is marked alert exactly when a published alert lists it', () => {
    const alerted = new Set(ofType('alert').flatMap((line) => line.eventIds as string[]));
    for (const line of ofType('event'))
      expect([line.eventId, line.alert]).toEqual([line.eventId, alerted.has(line.eventId as string)]);
  });

  test("the backend's own calls are self and never alert", () => {
    const own = ofType('event').filter((line) => line.self === true);
    expect(own.length).toBeGreaterThan(0);
    for (const line of own) expect(line).toMatchObject({ severity: 'INFORMATIONAL', alert: false });
  });

  test('the summary counts what the lines show', () => {
    const summary = ofType('summary')[0] as Line;
    expect(summary).toMatchObject({
      events: ofType('event').length,
      rejected: ofType('rejected').length,
      alerts: ofType('alert').length,
      alertedEvents: ofType('event').filter((line) => line.alert === true).length,
      inputs: ofType('event').length + ofType('rejected').length + (summary.otherServices as number),
    });
    // The sample batch holds one record of another service: counted, never listed.
    expect(summary.otherServices).toBe(1);
  });

  test('rejections name their source and a reason', () => {
    for (const line of ofType('rejected')) {
      expect(line.source).toEqual(expect.stringContaining(path.join('events', 'qbusiness')));
      expect(typeof line.reason).toBe('string');
    }
  });
});

describe('q-triage replay --format json over hostile input', () => {
  // DEL, a C1 CSI, a bidi override, a zero-width space, an unpaired surrogate: JSON.stringify keeps them all.
  const HOSTILE = '\u007f\u009b2J\u202e\u200b\ud800';
  const RAW_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u200b-\u200f\ud800-\udfff]/u;
  const hostileRecord = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333' },
    eventTime: '2026-11-20T10:00:00Z',
    eventSource: 'qbusiness.amazonaws.com',
    eventName: 'ListApplications',
    awsRegion: 'us-east-1',
    eventID: 'e-1',
    ...overrides,
  });

  test('no line carries a raw control, bidi or invisible character, whatever the event fields hold', async () => {
    const input = [
      hostileRecord({ eventName: `Create${HOSTILE}Plugin`, eventID: `e-1${HOSTILE}` }),
      hostileRecord({ eventID: 'e-2', errorCode: `Denied${HOSTILE}` }),
      hostileRecord({ eventID: `e-1${HOSTILE}`, eventName: `Create${HOSTILE}Plugin` }),
      hostileRecord({ eventID: `e-3${HOSTILE}`, eventSource: `evil${HOSTILE}.amazonaws.com` }),
    ]
      .map((record) => JSON.stringify(record))
      .join('\n');

    const { stdout } = await runReplay(['--format', 'json', '--no-enrich', '-'], input);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);

    // The forged event source is another service's: counted in the summary, never listed.
    expect(lines.map((line) => line.type)).toEqual(['event', 'event', 'duplicate', 'alert', 'summary']);
    expect(lines.at(-1)?.otherServices).toBe(1);
    for (const line of lines) expect(JSON.stringify(line)).not.toMatch(RAW_UNSAFE);
    expect(lines[0]).toMatchObject({
      eventId: 'e-1\\u007f\\u009b2J\\u202e\\u200b\\ud800',
      eventName: 'Create\\u007f\\u009b2J\\u202e\\u200b\\ud800Plugin',
    });
    expect(lines[1]?.reasons).toContain(
      'call failed (Denied\\u007f\\u009b2J\\u202e\\u200b\\ud800), nothing changed: INFORMATIONAL',
    );
  });
});

describe('q-triage replay --format text', () => {
  let stdout: string;
  let code: number;
  beforeAll(async () => {
    ({ code, stdout } = await runReplay(['--self-principal', SELF, '--no-enrich', EVENTS_DIR]));
  });
  const SEVERITY_RANK = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  /** The severities of the alert table's rows, in order. */
  const tableSeverities = (text: string): string[] =>
    [...text.matchAll(/^\d+ +(INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL) /gmu)].map((match) => match[1] as string);

  test('starts with the summary, then the alert table, most severe first', () => {
    expect(code).toBe(0);
    expect(stdout.startsWith('Summary\n')).toBe(true);
    expect(stdout.indexOf('\nAlerts, most severe first\n#')).toBeLessThan(stdout.indexOf('\n#1 ['));
    const ranks = tableSeverities(stdout).map((severity) => SEVERITY_RANK.indexOf(severity));
    expect(ranks.length).toBe(7);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
  });

  test('prints each alert compact, numbered as in the table: headline, why, operations with resources, next steps, event ids', () => {
    // The CI role's plugin calls and its document deletes are one actor incident, headed by its first HIGH event.
    const ci = stdout.slice(stdout.indexOf('[HIGH] CreatePlugin'));
    const block = ci.slice(0, ci.indexOf('\n----'));

    expect(block).toMatch(
      /^\[HIGH\] CreatePlugin .*\nHIGH: assumed-role\/LegacyCIDeployRole\/i-0abc123def4567890 BatchDeleteDocument x25,/u,
    );
    expect(block).toContain('\nWhy: playbook table: HIGH\n');
    expect(block.replace(/\n +/gu, ' ')).toContain(
      'CreatePlugin x1: application 47455244-66d0-58e6-b767-7c1e154400ca, plugin 7a6641e1-4a46-50d4-ab4b-3b9a091c3e7a, name "ticket-sync", server URL https://tickets.example.net, role arn:aws:iam::111122223333:role/QPluginRole',
    );
    expect(block).toContain('\nNext steps:\n  1. ');
    expect(block).toContain(
      'https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/b6fe62b7-bb7f-5d14-b849-3133bfcd585d',
    );
    expect(block).toContain(
      '--lookup-attributes AttributeKey=EventId,AttributeValue=b6fe62b7-bb7f-5d14-b849-3133bfcd585d',
    );
    expect(block).not.toContain('Analysis questions');
    expect(block).not.toContain('Recent events');
  });

  test('keeps lines within 100 columns, except links that cannot be broken', () => {
    const long = stdout.split('\n').filter((line) => line.length > 100);

    expect(long.length).toBeGreaterThan(0);
    for (const line of long) expect(line.trim()).toMatch(/^https:\/\/\S+$/u);
  });

  test('hostile text is made inert', () => {
    // eslint-disable-next-line no-control-regex
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/u);
  });

  test('--verbose prints the long form, whose steps carry their links and no "Links" block repeats them', async () => {
    const verbose = (await runReplay(['--self-principal', SELF, '--no-enrich', '--verbose', EVENTS_DIR])).stdout;

    expect(verbose).toContain('\nRecent events (newest last):\n');
    expect(verbose).toContain('\nAnalysis questions:\n');
    expect(verbose).toMatch(
      /\n {2}1\. Recreate the index, reattach its retriever and data sources, and run full syncs\.\s+<https:\/\/docs\.aws\.amazon\.com\/amazonq\/latest\/api-reference\/API_CreateIndex\.html>/u,
    );
    expect(verbose).not.toMatch(/\nLinks:\n/u);
  });

  test('--min-severity HIGH shows only HIGH and CRITICAL alerts, and says how many of all', async () => {
    const high = (await runReplay(['--self-principal', SELF, '--no-enrich', '--min-severity', 'high', EVENTS_DIR]))
      .stdout;

    expect(new Set(tableSeverities(high))).toEqual(new Set(['HIGH', 'CRITICAL']));
    expect(high).toContain('alerts: 7 (CRITICAL 1, HIGH 3, MEDIUM 2, LOW 1), 4 paged; 4 at HIGH or above shown');
    expect(high).not.toContain('[LOW]');
  });

  test('--min-severity with an unknown level is a usage error', async () => {
    await expect(runReplay(['--min-severity', 'SEVERE', EVENTS_DIR])).rejects.toThrow(
      '--min-severity must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL',
    );
  });

  test('--strict exits 1 when an input is rejected', async () => {
    const { code } = await runReplay(['--strict', '--no-enrich', EVENTS_DIR]);

    expect(code).toBe(1);
  });
});

describe('principal names in the alert table', () => {
  test('a long assumed-role name keeps its role and both ends of its session', () => {
    expect(fitPrincipal('assumed-role/LegacyCIDeployRole/i-0abc123def4567890', 40)).toBe(
      'assumed-role/LegacyCIDeployRole/i-…67890',
    );
  });

  test('a name that fits is left as it is', () => {
    expect(fitPrincipal('user/alice', 40)).toBe('user/alice');
  });

  test('a name with no long segment is cut in the middle, to the width', () => {
    const fitted = fitPrincipal('a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z', 20);

    expect(fitted).toHaveLength(20);
    expect(fitMiddle('abcdefghij', 5)).toBe('a…hij');
  });
});
