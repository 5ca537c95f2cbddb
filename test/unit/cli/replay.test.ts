import { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import path from 'node:path';
import { replayCommand } from '../../../shared/cli/commands/replay';

const EVENTS_DIR = path.join(__dirname, '..', '..', '..', 'events');
const SELF = 'arn:aws:sts::*:assumed-role/q-triage-*';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

async function runReplay(args: readonly string[], stdinText = ''): Promise<{ code: number; stdout: string }> {
  const stdout = new Capture();
  const code = await replayCommand.run(args, { stdout, stderr: new Capture(), stdin: Readable.from([Buffer.from(stdinText)]), env: {}, cwd: process.cwd() });
  return { code, stdout: stdout.text };
}

type Line = Record<string, unknown> & { type: string };

describe('q-triage replay --format json over the sample events', () => {
  let lines: Line[];
  let code: number;

  beforeAll(async () => {
    const result = await runReplay(['--format', 'json', '--self-principal', SELF, '--no-enrich', EVENTS_DIR]);
    code = result.code;
    lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Line);
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
    for (const line of ofType('event')) {
      expect(Object.keys(line)).toEqual(['type', 'eventId', 'eventSource', 'eventName', 'category', 'severity', 'alert', 'self', 'reasons']);
      expect(typeof line.alert).toBe('boolean');
      expect(Array.isArray(line.reasons)).toBe(true);
    }
  });

  test('an event is marked alert exactly when a published alert lists it', () => {
    const alerted = new Set(ofType('alert').flatMap((line) => line.eventIds as string[]));
    for (const line of ofType('event')) expect([line.eventId, line.alert]).toEqual([line.eventId, alerted.has(line.eventId as string)]);
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
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Line);

    // The forged event source is another service's: counted in the summary, never listed.
    expect(lines.map((line) => line.type)).toEqual(['event', 'event', 'duplicate', 'alert', 'summary']);
    expect(lines.at(-1)?.otherServices).toBe(1);
    for (const line of lines) expect(JSON.stringify(line)).not.toMatch(RAW_UNSAFE);
    expect(lines[0]).toMatchObject({ eventId: 'e-1\\u007f\\u009b2J\\u202e\\u200b\\ud800', eventName: 'Create\\u007f\\u009b2J\\u202e\\u200b\\ud800Plugin' });
    expect(lines[1]?.reasons).toContain('call failed (Denied\\u007f\\u009b2J\\u202e\\u200b\\ud800), nothing changed: INFORMATIONAL');
  });
});

describe('q-triage replay --format text', () => {
  test('prints the alerts, the alert table and the summary, with hostile text made inert', async () => {
    const { code, stdout } = await runReplay(['--self-principal', SELF, '--no-enrich', EVENTS_DIR]);

    expect(code).toBe(0);
    expect(stdout).toContain('\nAlerts\nSEVERITY');
    expect(stdout).toContain('\nSummary\n');
    // eslint-disable-next-line no-control-regex
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/u);
  });

  test('--strict exits 1 when an input is rejected', async () => {
    const { code } = await runReplay(['--strict', '--no-enrich', EVENTS_DIR]);

    expect(code).toBe(1);
  });
});
