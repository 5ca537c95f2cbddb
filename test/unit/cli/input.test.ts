import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  isInputRejection,
  readAllInputs,
  readInputBatches,
  type InputItem,
  type InputLimits,
} from '../../../shared/cli/input';
import { jsonErrorOffset } from '../../../shared/events/json-error';

const LOGS = join(__dirname, '..', '..', 'fixtures', 'logs');

interface LogRecord {
  eventID: string;
  eventName: string;
  eventSource: string;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'q-triage-input-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixtureRecords(): Promise<LogRecord[]> {
  const log = JSON.parse(await readFile(join(LOGS, 'cloudtrail-qbusiness.json'), 'utf8')) as { Records: LogRecord[] };
  return structuredClone(log.Records);
}

async function write(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

const values = (items: InputItem[]): unknown[] =>
  items.filter((item) => !isInputRejection(item)).map((item) => ('value' in item ? item.value : undefined));
const rejections = (items: InputItem[]) => items.filter(isInputRejection);
const eventIds = (items: InputItem[]): string[] => values(items).map((value) => (value as LogRecord).eventID);
const sources = (items: InputItem[]): string[] => items.map((item) => item.source);

/** A small record as CloudTrail writes it (eventVersion first). */
const record = (eventID: string): LogRecord & { eventVersion: string } => ({
  eventVersion: '1.09',
  eventID,
  eventName: 'ChatSync',
  eventSource: 'qbusiness.amazonaws.com',
});
const recordsDocument = (ids: readonly string[]): string => JSON.stringify({ Records: ids.map(record) });
const idsFrom = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
/** How many of `items`' events are, from the first, the records `ids` in order. */
const intactPrefix = (items: InputItem[], ids: readonly string[]): number => {
  const read = eventIds(items);
  let k = 0;
  while (k < read.length && read[k] === ids[k]) k++;
  return k;
};

describe('CloudTrail log files', () => {
  test('yields each record of a plain {"Records": [...]} file, indexed from 0', async () => {
    const path = join(LOGS, 'cloudtrail-qbusiness.json');

    const items = await readAllInputs([path]);

    expect(items.map((item) => item.source)).toEqual([`${path}#0`, `${path}#1`, `${path}#2`]);
    expect(values(items).map((value) => (value as LogRecord).eventName)).toEqual([
      'ChatSync',
      'CreateIndex',
      'StartDataSourceSyncJob',
    ]);
  });

  test('gives each record the byte length of its own JSON text', async () => {
    const records = await fixtureRecords();
    const path = await write('log.json', JSON.stringify({ Records: records }));

    const items = await readAllInputs([path]);

    expect(items.map((item) => ('bytes' in item ? item.bytes : undefined))).toEqual(
      records.map((record) => Buffer.byteLength(JSON.stringify(record))),
    );
  });

  // The sizes come from a search for where CloudTrail begins its records when that is unambiguous, and
  // from a byte scan otherwise: every layout below must give each record its own text length.
  const nested = { eventVersion: '1.0', note: "an object of a record's shape inside a record" };
  test.each<[string, (records: Record<string, unknown>[]) => string]>([
    [
      'compact, as CloudTrail writes it',
      (records) => `{"Records":[${records.map((record) => JSON.stringify(record)).join(',')}]}`,
    ],
    [
      'with spaces between records',
      (records) => `{"Records": [ ${records.map((record) => JSON.stringify(record)).join(' ,\n ')} ] }\n`,
    ],
    [
      'with a record-shaped object nested in a record',
      (records) =>
        JSON.stringify({
          Records: records.map((record, i) =>
            i === 1 ? { ...record, requestParameters: { items: ['first', nested] } } : record,
          ),
        }),
    ],
    [
      'with the nested object and one record not led by eventVersion',
      (records) =>
        JSON.stringify({
          Records: records.map((record, i) =>
            i === 2
              ? { eventName: record.eventName, ...record }
              : i === 1
                ? { ...record, requestParameters: { items: ['first', nested] } }
                : record,
          ),
        }),
    ],
    [
      'with a string that spells a record start',
      (records) =>
        JSON.stringify({
          Records: records.map((record, i) =>
            i === 2 ? { ...record, userAgent: '},{"eventVersion":"1.09"' } : record,
          ),
        }),
    ],
    ['as a bare array', (records) => JSON.stringify(records)],
    [
      'with non-ASCII text',
      (records) =>
        JSON.stringify({
          Records: records.map((record, i) => (i === 0 ? { ...record, userAgent: 'Müller-Agent/1.0 日本' } : record)),
        }),
    ],
  ])('gives each record the byte length of its own JSON text: %s', async (_layout, layout) => {
    const text = layout((await fixtureRecords()) as unknown as Record<string, unknown>[]);
    const records = (JSON.parse(text) as { Records?: unknown[] }).Records ?? (JSON.parse(text) as unknown[]);
    const path = await write('log.json', text);

    const items = await readAllInputs([path]);

    expect(rejections(items)).toEqual([]);
    expect(values(items)).toEqual(records);
    const ownText = (record: unknown): number => {
      const compact = JSON.stringify(record);
      return text.includes(compact) ? Buffer.byteLength(compact) : Number.NaN;
    };
    expect(items.map((item) => ('bytes' in item ? item.bytes : undefined))).toEqual(records.map(ownText));
  });

  test.each([
    ['ASCII', 'aws-cli/2.17.0'],
    ['non-ASCII', 'Müller-Agent/1.0 日本 \u{1F600}'],
  ])('reads a large %s log file (decoded as a whole) exactly as JSON.parse does', async (_kind, userAgent) => {
    const [first] = await fixtureRecords();
    const records = Array.from({ length: 200 }, (_, i) => ({ ...first, eventID: `large-${i}`, userAgent }));
    const text = JSON.stringify({ Records: records });
    expect(Buffer.byteLength(text)).toBeGreaterThan(128 * 1024);
    const path = await write('large.json', text);

    const items = await readAllInputs([path]);

    expect(values(items)).toEqual(records);
    expect(items.map((item) => ('bytes' in item ? item.bytes : undefined))).toEqual(
      records.map((record) => Buffer.byteLength(JSON.stringify(record))),
    );
  });

  test('reads a gzipped log file as CloudTrail delivers it to S3', async () => {
    const records = await fixtureRecords();
    const path = await write(
      '111122223333_CloudTrail_us-east-1_20260302T0915Z_abc.json.gz',
      gzipSync(JSON.stringify({ Records: records })),
    );

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual(records.map((record) => record.eventID));
  });

  test('detects gzip by its magic bytes, whatever the file is called', async () => {
    const records = await fixtureRecords();
    const path = await write('log.json', gzipSync(JSON.stringify({ Records: records })));

    const items = await readAllInputs([path]);

    expect(rejections(items)).toEqual([]);
    expect(eventIds(items)).toEqual(records.map((record) => record.eventID));
  });

  test('reads concatenated log files (zcat *.json.gz) one after the other, numbering on', async () => {
    const records = await fixtureRecords();
    const path = await write(
      'day.json',
      `${JSON.stringify({ Records: records.slice(0, 2) })}${JSON.stringify({ Records: records.slice(2) })}`,
    );

    const items = await readAllInputs([path]);

    expect(items.map((item) => item.source)).toEqual([`${path}#0`, `${path}#1`, `${path}#2`]);
  });

  test('rejects only the malformed record of a Records file', async () => {
    const [first, , third] = await fixtureRecords();
    const path = await write(
      'log.json',
      `{"Records":[${JSON.stringify(first)},{"eventID": tru},${JSON.stringify(third)}]}`,
    );

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual([first?.eventID, third?.eventID]);
    expect(rejections(items)).toEqual([
      { source: `${path}#1`, error: "malformed JSON: Unexpected token '}' at position 15" },
    ]);
  });
});

describe('gzip damage', () => {
  test('rejects a truncated gzip file with the gzip reason', async () => {
    const records = await fixtureRecords();
    const gzipped = gzipSync(JSON.stringify({ Records: records }));
    const path = await write('cut.json.gz', gzipped.subarray(0, gzipped.length - 12));

    const items = await readAllInputs([path]);

    expect(rejections(items)).toEqual([{ source: path, error: 'gzip: unexpected end of file' }]);
  });

  test('still yields the records decoded before the cut', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ eventID: `event-${i}`, padding: `${i}`.repeat(50) }));
    const gzipped = gzipSync(JSON.stringify({ Records: records }));
    const path = await write('cut.json.gz', gzipped.subarray(0, Math.floor(gzipped.length / 2)));

    const items = await readAllInputs([path]);
    const salvaged = eventIds(items);

    expect(salvaged.length).toBeGreaterThan(0);
    expect(salvaged).toEqual(records.slice(0, salvaged.length).map((record) => record.eventID));
  });

  test('keeps every event of a gzip followed by bytes that are not gzip, and reports those bytes once', async () => {
    const gzipped = gzipSync(recordsDocument(['g0', 'g1']));
    const path = await write('log.json.gz', Buffer.concat([gzipped, Buffer.from('hello')]));

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual([`${path}#0`, `${path}#1`, path]);
    expect(eventIds(items)).toEqual(['g0', 'g1']);
    expect(rejections(items)).toEqual([{ source: path, error: `gzip: not gzip data from byte ${gzipped.length}` }]);
  });

  test('reads on at the next member after a member cut short (cat of a truncated .gz and a good one)', async () => {
    const cutIds = idsFrom('a', 200);
    const whole = gzipSync(recordsDocument(cutIds));
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const path = await write('day.json.gz', Buffer.concat([cut, gzipSync(recordsDocument(['b0', 'b1']))]));

    const items = await readAllInputs([path]);

    // The records decoded before the cut, the cut record, the next member's records, the gzip damage.
    const salvaged = intactPrefix(items, cutIds);
    expect(salvaged).toBeGreaterThan(0);
    expect(sources(items)).toEqual([...Array.from({ length: salvaged + 3 }, (_, i) => `${path}#${i}`), path]);
    expect(eventIds(items)).toEqual([...cutIds.slice(0, salvaged), 'b0', 'b1']);
    expect(rejections(items)).toEqual([
      {
        source: `${path}#${salvaged}`,
        error: expect.stringMatching(/^malformed JSON: .*; reading resumes at byte \d+$/),
      },
      { source: path, error: `gzip: the member at byte 0 is cut short; reading resumes at byte ${cut.length}` },
    ]);
  });

  test('still yields the records decoded before a corrupt byte', async () => {
    const ids = idsFrom('event-', 200);
    const gzipped = gzipSync(recordsDocument(ids));
    const corrupt = Buffer.from(gzipped);
    const at = Math.floor((gzipped.length * 3) / 4);
    corrupt[at] = (corrupt[at] as number) ^ 0xff;
    const path = await write('flipped.json.gz', corrupt);

    const items = await readAllInputs([path]);

    expect(intactPrefix(items, ids)).toBeGreaterThan(0);
    expect(items.at(-1)).toEqual({ source: path, error: expect.stringMatching(/^gzip: /) });
  });

  test('rejects data that starts like gzip but is not', async () => {
    const path = await write('fake.gz', Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02, 0x03]));

    const items = await readAllInputs([path]);

    expect(items).toHaveLength(1);
    expect(rejections(items)[0]?.error).toMatch(/^gzip: /);
  });
});

describe('JSON lines', () => {
  test('keeps reading after a malformed line and names it FILE:LINE with a reason', async () => {
    const path = join(LOGS, 'qbusiness-events.jsonl');

    const items = await readAllInputs([path]);

    expect(values(items).map((value) => (value as LogRecord).eventName)).toEqual([
      'ChatSync',
      'StartDataSourceSyncJob',
    ]);
    expect(rejections(items)).toEqual([
      { source: `${path}:2`, error: expect.stringMatching(/^malformed JSON: .+ at position \d+$/) },
    ]);
  });

  test('numbers lines from 1, counting the blank lines it skips', async () => {
    const path = await write('events.jsonl', '{"eventID":"a"}\n\n   \r\n{"eventID":"b"}\r\n');

    const items = await readAllInputs([path]);

    expect(items).toEqual([
      { source: `${path}:1`, value: { eventID: 'a' }, bytes: 15 },
      { source: `${path}:4`, value: { eventID: 'b' }, bytes: 15 },
    ]);
  });

  test('expands a line that holds a whole CloudTrail log object into its records, named FILE:LINE#INDEX', async () => {
    const [first, ...rest] = await fixtureRecords();
    const path = await write('mixed.jsonl', `${JSON.stringify(first)}\n${JSON.stringify({ Records: rest })}\n`);

    const items = await readAllInputs([path]);

    expect(items.map((item) => item.source)).toEqual([`${path}:1`, `${path}:2#0`, `${path}:2#1`]);
  });

  test('treats a file whose first line is malformed as JSON lines when the next line is an object', async () => {
    const path = await write('events.jsonl', '{"eventID": "a", \n{"eventID":"b"}\n');

    const items = await readAllInputs([path]);

    expect(items.map((item) => item.source)).toEqual([`${path}:1`, `${path}:2`]);
    expect(values(items)).toEqual([{ eventID: 'b' }]);
  });
});

describe('JSON lines whose first line is not an object', () => {
  test.each<[string, string, InputItem]>([
    ['null', 'null', { source: ':1', value: null, bytes: 4 }],
    ['a string', '"x"', { source: ':1', value: 'x', bytes: 3 }],
    ['not JSON', 'oops', { source: ':1', error: "malformed JSON: Unexpected token 'o' at position 0" }],
  ])('reads the file line by line when the first line is %s', async (_kind, firstLine, first) => {
    const path = await write(
      'events.jsonl',
      `${firstLine}\n${JSON.stringify(record('r1'))}\n${JSON.stringify(record('r2'))}\n`,
    );

    const items = await readAllInputs([path]);

    expect(items[0]).toEqual({ ...first, source: `${path}${first.source}` });
    expect(sources(items)).toEqual([`${path}:1`, `${path}:2`, `${path}:3`]);
    expect(values(items).slice(-2)).toEqual([record('r1'), record('r2')]);
  });
});

describe('damage in a sequence of documents', () => {
  test('reads the documents after one cut short (zcat of a truncated file and a good one)', async () => {
    const first = recordsDocument(['r60', 'r61']);
    const cut = first.slice(0, -60);
    const path = await write('day.json', cut + recordsDocument(['r62', 'r63']));

    const items = await readAllInputs([path]);

    const r61At = '{"Records":['.length + JSON.stringify(record('r60')).length + 1;
    expect(sources(items)).toEqual([`${path}#0`, `${path}#1`, `${path}#2`, `${path}#3`]);
    expect(eventIds(items)).toEqual(['r60', 'r62', 'r63']);
    expect(rejections(items)).toEqual([
      {
        source: `${path}#1`,
        error: `malformed JSON: Unexpected end of JSON input in the value starting at byte ${r61At} (truncated input?); reading resumes at byte ${cut.length}`,
      },
    ]);
  });

  // Wherever the cut falls, the next document is found again, and each record is read or rejected once.
  const first = recordsDocument(['r60', 'r61']);
  test.each<[string, number, string[], string[]]>([
    ['inside a string', first.lastIndexOf('qbusiness') + 3, ['#0', '#1', '#2', '#3'], ['r60', 'r62', 'r63']],
    [
      'after a colon',
      first.lastIndexOf('"eventSource":') + '"eventSource":'.length,
      ['#0', '#1', '#2', '#3'],
      ['r60', 'r62', 'r63'],
    ],
    ['after the comma between records', first.indexOf(',{') + 1, ['#0', '', '#1', '#2'], ['r60', 'r62', 'r63']],
    ['right after the Records array opens', '{"Records":['.length, ['', '#0', '#1'], ['r62', 'r63']],
    ['before the array closes', first.length - 2, ['#0', '#1', '', '#2', '#3'], ['r60', 'r61', 'r62', 'r63']],
    ['before the document closes', first.length - 1, ['#0', '#1', '', '#2', '#3'], ['r60', 'r61', 'r62', 'r63']],
  ])('reads the next document after one cut %s', async (_where, cutAt, sourceSuffixes, ids) => {
    const cut = first.slice(0, cutAt);
    const path = await write('day.json', cut + recordsDocument(['r62', 'r63']));

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual(sourceSuffixes.map((suffix) => `${path}${suffix}`));
    expect(eventIds(items)).toEqual(ids);
    expect(rejections(items)).toEqual([
      {
        source: expect.any(String),
        error: expect.stringMatching(new RegExp(`; reading resumes at byte ${cut.length}$`)),
      },
    ]);
  });

  test('reads the lines after a cut line of a file of Records documents, one per line', async () => {
    const [whole, cut] = [recordsDocument(['r1', 'r2']), recordsDocument(['r3', 'r4']).slice(0, -40)];
    const path = await write(
      'logs.jsonl',
      `${[whole, cut, recordsDocument(['r5']), recordsDocument(['r6'])].join('\n')}\n`,
    );

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${path}#${i}`));
    expect(eventIds(items)).toEqual(['r1', 'r2', 'r3', 'r5', 'r6']);
    expect(rejections(items)).toEqual([
      {
        source: `${path}#3`,
        error: expect.stringMatching(new RegExp(`reading resumes at byte ${whole.length + cut.length + 2}$`)),
      },
    ]);
  });

  test('rejects a run of words after a document once', async () => {
    const document = recordsDocument(['r1']);
    const words = Array.from({ length: 1000 }, (_, i) => `word${i}`).join(' ');
    const path = await write('log.json', `${document}\n${words}\n`);

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual([`${path}#0`, path]);
    expect(rejections(items)).toEqual([
      { source: path, error: `malformed JSON: unexpected "w" at byte ${document.length + 1}; the rest is skipped` },
    ]);
  });

  test('reads the next document after stray content', async () => {
    const text = `${recordsDocument(['r1'])}\nnot json, ] }\n`;
    const path = await write('log.json', `${text}${recordsDocument(['r2'])}`);

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual([`${path}#0`, path, `${path}#1`]);
    expect(eventIds(items)).toEqual(['r1', 'r2']);
    expect(rejections(items)).toEqual([
      {
        source: path,
        error: `malformed JSON: unexpected "n" at byte ${recordsDocument(['r1']).length + 1}; reading resumes at byte ${text.length}`,
      },
    ]);
  });

  test('keeps a JSON scalar between documents as one value (normalizeEvent rejects it)', async () => {
    const path = await write('log.json', `${recordsDocument(['r1'])} 5 null "x" ${recordsDocument(['r2'])}`);

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual([0, 1, 2, 3, 4].map((i) => `${path}#${i}`));
    expect(values(items)).toEqual([record('r1'), 5, null, 'x', record('r2')]);
  });

  test('skips the members after the Records array, which are not events', async () => {
    const path = await write(
      'log.json',
      `{"Records":[${JSON.stringify(record('r1'))}],"nextToken":null}\n{"Records":[${JSON.stringify(record('r2'))}], "more": {"a": [1, "]"]}}`,
    );

    const items = await readAllInputs([path]);

    expect(rejections(items)).toEqual([]);
    expect(sources(items)).toEqual([`${path}#0`, `${path}#1`]);
    expect(values(items)).toEqual([record('r1'), record('r2')]);
  });

  test('rejects only a malformed record that nests a Records object', async () => {
    const nesting =
      '{"eventVersion":"1.09","eventID": tru,"requestParameters":{"Records":[{"Data":"x"}],"StreamName":"s"}}';
    const path = await write(
      'log.json',
      `{"Records":[${JSON.stringify(record('r1'))},${nesting},${JSON.stringify(record('r3'))}]}`,
    );

    const items = await readAllInputs([path]);

    expect(sources(items)).toEqual([`${path}#0`, `${path}#1`, `${path}#2`]);
    expect(eventIds(items)).toEqual(['r1', 'r3']);
  });

  test.each([
    ['an input', ''],
    ['a document after another', recordsDocument(['r1'])],
  ])('rejects %s cut inside the Records key without failing', async (_what, before) => {
    const path = await write('log.json', `${before}{"Rec`);

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual(before === '' ? [] : ['r1']);
    expect(rejections(items)).toHaveLength(1);
  });
});

describe('other documents', () => {
  test('yields each element of a JSON array of events as FILE#INDEX', async () => {
    const records = await fixtureRecords();
    const path = await write('events.json', JSON.stringify(records, null, 2));

    const items = await readAllInputs([path]);

    expect(items.map((item) => item.source)).toEqual([`${path}#0`, `${path}#1`, `${path}#2`]);
    expect(eventIds(items)).toEqual(records.map((record) => record.eventID));
  });

  test('yields a pretty-printed single object as one event named after the file', async () => {
    const path = join(LOGS, 'qbusiness-chatsync-record.json');

    const items = await readAllInputs([path]);

    expect(items).toHaveLength(1);
    expect(items[0]?.source).toBe(path);
    expect((values(items)[0] as LogRecord).eventSource).toBe('qbusiness.amazonaws.com');
  });

  test('rejects a malformed pretty-printed document once, with a position and without quoting it', async () => {
    const path = await write('broken.json', '{\n  "eventName": "ChatSync",\n  "userAgent": "<script>",\n}\n');

    const items = await readAllInputs([path]);

    expect(items).toEqual([{ source: path, error: expect.stringMatching(/^malformed JSON: .* at position 56$/) }]);
    expect(rejections(items)[0]?.error).not.toContain('<script>');
  });

  test('rejects a file that is not JSON at all once, not line by line', async () => {
    const path = await write('notes.txt', 'first line\nsecond line\nthird line\n');

    const items = await readAllInputs([path]);

    expect(items).toEqual([{ source: path, error: "malformed JSON: Unexpected token 'i' at position 1" }]);
  });

  test('rejects an empty file', async () => {
    const path = await write('empty.json', '');

    const items = await readAllInputs([path]);

    expect(items).toEqual([{ source: path, error: 'empty input: no events' }]);
  });

  test('yields nothing, and rejects nothing, for a log file with no records', async () => {
    const path = await write('quiet.json', '{"Records":[]}');

    const items = await readAllInputs([path]);

    expect(items).toEqual([]);
  });

  test('rejects stray content after a document once, keeping the events before it', async () => {
    const path = await write('events.json', '[{"eventID":"a"}]}');

    const items = await readAllInputs([path]);

    expect(items).toEqual([
      { source: `${path}#0`, value: { eventID: 'a' }, bytes: 15 },
      { source: path, error: 'malformed JSON: unexpected "}" at byte 17; the rest is skipped' },
    ]);
  });

  test('reports a log file cut in the middle of a record', async () => {
    const records = await fixtureRecords();
    const text = JSON.stringify({ Records: records });
    const path = await write('cut.json', text.slice(0, text.length - 40));

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual(records.slice(0, 2).map((record) => record.eventID));
    expect(rejections(items)).toEqual([
      { source: `${path}#2`, error: expect.stringMatching(/^malformed JSON: Unexpected end of JSON input/) },
    ]);
  });
});

describe('SQS event files', () => {
  test('yields the parsed body of each message and rejects the body that is not JSON', async () => {
    const path = join(LOGS, 'sqs-event.json');

    const items = await readAllInputs([path]);

    expect(values(items).map((value) => (value as { 'detail-type': string })['detail-type'])).toEqual([
      'AWS API Call via CloudTrail',
      'AWS API Call via CloudTrail',
    ]);
    expect(rejections(items)).toEqual([
      {
        source: `${path}#1`,
        error: "SQS message body is not JSON: malformed JSON: Unexpected token 'h' at position 1",
      },
    ]);
  });

  test('measures an SQS message by its body, the event it carries', async () => {
    const body = JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: { eventID: 'é' } });
    const path = await write(
      'sqs.json',
      JSON.stringify({ Records: [{ messageId: 'm-1', body, eventSource: 'aws:sqs' }] }),
    );

    const items = await readAllInputs([path]);

    expect(items[0]).toMatchObject({ bytes: Buffer.byteLength(body) });
  });
});

describe('directories, stdin and bad paths', () => {
  test('reads a directory recursively, files in path order, skipping hidden entries', async () => {
    await write('b/2026/03/02/log-2.json', '{"eventID":"b2"}');
    await write('a.json', '{"eventID":"a"}');
    await write('b/2026/03/01/log-1.json.gz', gzipSync('{"Records":[{"eventID":"b1"}]}'));
    await write('.DS_Store', 'binary junk');

    const items = await readAllInputs([dir]);

    expect(eventIds(items)).toEqual(['a', 'b1', 'b2']);
    expect(items.map((item) => item.source)).toEqual([
      join(dir, 'a.json:1'),
      join(dir, 'b/2026/03/01/log-1.json.gz#0'),
      join(dir, 'b/2026/03/02/log-2.json:1'),
    ]);
  });

  test('reads CloudTrail log files in the time order of their S3 keys across Regions and days, not in path order', async () => {
    const key = (region: string, day: string, time: string): string =>
      `AWSLogs/111122223333/CloudTrail/${region}/2026/11/${day}/111122223333_CloudTrail_${region}_202611${day}T${time}Z_Ab12Cd34Ef56Gh78.json.gz`;
    await write(key('us-east-1', '21', '0005'), gzipSync(recordsDocument(['east-21'])));
    await write(key('us-east-1', '20', '2355'), gzipSync(recordsDocument(['east-20'])));
    await write(key('eu-west-1', '21', '0010'), gzipSync(recordsDocument(['west-21'])));
    await write(key('eu-west-1', '20', '2350'), gzipSync(recordsDocument(['west-20'])));

    const items = await readAllInputs([dir]);

    expect(eventIds(items)).toEqual(['west-20', 'east-20', 'east-21', 'west-21']);
  });

  test('rejects a directory with no file to read, saying that hidden entries are skipped', async () => {
    await mkdir(join(dir, 'empty'));
    await write('only-hidden/.DS_Store', 'binary junk');

    const items = await readAllInputs([join(dir, 'empty'), join(dir, 'only-hidden')]);

    expect(items).toEqual([
      { source: join(dir, 'empty'), error: 'no files to read (hidden entries are skipped)' },
      { source: join(dir, 'only-hidden'), error: 'no files to read (hidden entries are skipped)' },
    ]);
  });

  test('keeps reading the other files of a directory when one is not JSON', async () => {
    await write('1.json', 'not json');
    await write('2.json', '{"eventID":"two"}');

    const items = await readAllInputs([dir]);

    expect(eventIds(items)).toEqual(['two']);
    expect(rejections(items).map((item) => item.source)).toEqual([join(dir, '1.json')]);
  });

  test('reads - from the given stream, naming lines -:LINE', async () => {
    const stdin = Readable.from([Buffer.from('{"eventID":"s1"}\n{"event'), Buffer.from('ID":"s2"}\n')]);

    const items = await readAllInputs(['-'], stdin);

    expect(items.map((item) => item.source)).toEqual(['-:1', '-:2']);
    expect(eventIds(items)).toEqual(['s1', 's2']);
  });

  test('reads a gzipped log from stdin', async () => {
    const stdin = Readable.from([gzipSync('{"Records":[{"eventID":"z"}]}')]);

    const items = await readAllInputs(['-'], stdin);

    expect(items).toEqual([{ source: '-#0', value: { eventID: 'z' }, bytes: 15 }]);
  });

  test('rejects a missing path and still reads the next one', async () => {
    const missing = join(dir, 'missing.json');
    const present = await write('present.json', '{"eventID":"p"}');

    const items = await readAllInputs([missing, present]);

    expect(items).toEqual([
      { source: missing, error: 'no such file or directory' },
      { source: `${present}:1`, value: { eventID: 'p' }, bytes: 15 },
    ]);
  });

  test('resolves relative paths against cwd and names sources as given', async () => {
    await write('rel.json', '{"eventID":"r"}');

    const items = await readAllInputs(['rel.json'], undefined, dir);

    expect(items).toEqual([{ source: 'rel.json:1', value: { eventID: 'r' }, bytes: 15 }]);
  });
});

describe('jsonErrorOffset', () => {
  test.each([
    ['{"a": tru}', 9],
    ['{"a":1', 6],
    ['{"a":1}{', 7],
    ['[1,2,]', 5],
    ['{"a":"\u0001"}', 6],
    ['{"a" 1}', 5],
    ['{"a":01}', 6],
    ['"\\x"', 2],
  ])('finds where %j stops being JSON', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});

describe('shapes people export', () => {
  // `aws cloudtrail lookup-events` output: each record is a JSON string in CloudTrailEvent (CloudTrail API reference, LookupEvents).
  const lookupEvent = (id: string) => ({
    EventId: id,
    EventName: 'ChatSync',
    ReadOnly: 'false',
    EventTime: '2026-03-02T09:14:27+00:00',
    EventSource: 'qbusiness.amazonaws.com',
    Resources: [],
    CloudTrailEvent: JSON.stringify(record(id)),
  });

  test('reads the records of lookup-events output, pretty-printed as the CLI writes it', async () => {
    const path = await write(
      'lookup.json',
      JSON.stringify({ Events: [lookupEvent('l1'), lookupEvent('l2')], NextToken: 'EXAMPLE' }, null, 4),
    );

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual(['l1', 'l2']);
    expect(sources(items)).toEqual([`${path}#0`, `${path}#1`]);
  });

  test('reads lookup-events events one per line (jq -c .Events[])', async () => {
    const path = await write(
      'lookup.jsonl',
      [lookupEvent('j1'), lookupEvent('j2')].map((event) => JSON.stringify(event)).join('\n'),
    );

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual(['j1', 'j2']);
  });

  test('rejects a lookup-events event whose CloudTrailEvent is not JSON, and reads the others', async () => {
    const path = await write(
      'lookup.json',
      JSON.stringify(
        { Events: [{ ...lookupEvent('bad'), CloudTrailEvent: '{"eventID":' }, lookupEvent('good')] },
        null,
        2,
      ),
    );

    const items = await readAllInputs([path]);

    expect(eventIds(items)).toEqual(['good']);
    expect(rejections(items)).toEqual([
      { source: `${path}#0`, error: expect.stringContaining('CloudTrailEvent is not JSON') },
    ]);
  });

  test('skips CloudTrail digest files quietly and reads the logs beside them', async () => {
    const digest = {
      awsAccountId: '111122223333',
      digestStartTime: '2026-03-02T08:14:27Z',
      digestEndTime: '2026-03-02T09:14:27Z',
      digestS3Bucket: 'trail-bucket',
      logFiles: [
        { s3Bucket: 'trail-bucket', s3Object: 'AWSLogs/x.json.gz', hashValue: 'abc', hashAlgorithm: 'SHA-256' },
      ],
    };
    await write(
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/digest.json.gz',
      gzipSync(JSON.stringify(digest)),
    );
    await write('AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/log.json.gz', gzipSync(recordsDocument(['r1'])));

    const items = await readAllInputs([dir]);

    expect(eventIds(items)).toEqual(['r1']);
    expect(rejections(items)).toEqual([]);
  });
});

describe('input limits', () => {
  const limits: InputLimits = { maxFileBytes: 64 * 1024, maxDecompressedBytes: 1024 * 1024 };

  async function readWith(
    paths: readonly string[],
    options: { limits: InputLimits; stdin?: NodeJS.ReadableStream },
  ): Promise<InputItem[]> {
    const items: InputItem[] = [];
    for await (const batch of readInputBatches(paths, options)) items.push(...batch);
    return items;
  }

  test('rejects a gzip that inflates past the limit, naming the limit, and reads the other files', async () => {
    // 2 MB of spaces after a Records document: a few KB compressed.
    await write(
      'a-bomb.json.gz',
      gzipSync(Buffer.concat([Buffer.from(recordsDocument(['inside'])), Buffer.alloc(2 * 1024 * 1024, 0x20)])),
    );
    await write('b-log.json.gz', gzipSync(recordsDocument(['r1'])));

    const items = await readWith([dir], { limits });

    expect(eventIds(items)).toEqual(['r1']);
    expect(rejections(items)).toEqual([
      {
        source: join(dir, 'a-bomb.json.gz'),
        error: expect.stringContaining('more than 1048576 bytes, the per-file limit'),
      },
    ]);
  });

  test('rejects a damaged gzip whose salvage would inflate past the limit', async () => {
    const cut = gzipSync(recordsDocument(idsFrom('c', 50)));
    // A member cut short, then a whole bomb member: gunzip fails on the first, the reader salvages member
    // by member, and the limit holds there too.
    const damaged = Buffer.concat([cut.subarray(0, cut.length / 2), gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20))]);
    const path = await write('damaged-bomb.json.gz', damaged);

    const items = await readWith([path], { limits });

    expect(items).toEqual([{ source: path, error: expect.stringContaining('more than 1048576 bytes') }]);
  });

  test('rejects a file larger than the per-file limit without reading it', async () => {
    const path = await write('huge.json', recordsDocument(idsFrom('h', 2000)));

    const items = await readWith([path], { limits });

    expect(items).toEqual([
      { source: path, error: 'the file is larger than 65536 bytes, the per-file limit: not read' },
    ]);
  });

  test('rejects standard input larger than the per-file limit', async () => {
    const items = await readWith(['-'], {
      limits,
      stdin: Readable.from([Buffer.from(recordsDocument(idsFrom('s', 2000)))]),
    });

    expect(items).toEqual([
      { source: '-', error: 'standard input is larger than 65536 bytes, the per-file limit: not read' },
    ]);
  });
});
