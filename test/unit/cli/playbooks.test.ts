import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { playbooksCommand } from '../../../shared/cli/commands/playbooks';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { EVENT_SOURCES } from '../../../shared/playbook/types';
import { TextCapture } from '../../support/streams';

const PLAYBOOK_DIR = path.join(__dirname, '..', '..', 'fixtures', 'playbook-md');

async function run(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new TextCapture();
  const code = await playbooksCommand.run(args, {
    stdout,
    stderr: new TextCapture(),
    stdin: Readable.from([]),
    env: {},
    cwd: process.cwd(),
  });
  return { code, stdout: stdout.text };
}

const rowsOf = (source: string): number => PLAYBOOK_TABLE.filter((row) => row.eventSource === source).length;

describe('q-triage playbooks table: the sources the table covers', () => {
  test.each(EVENT_SOURCES)('the text lists %s with its EventBridge source and operation count', async (source) => {
    const { code, stdout } = await run(['table', PLAYBOOK_DIR]);

    expect(code).toBe(0);
    const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${source} `));
    expect(line?.split(/\s{2,}/).slice(0, 3)).toEqual([
      source,
      `aws.${source.split('.')[0] ?? ''}`,
      String(rowsOf(source)),
    ]);
  });

  test('the JSON has one source object per event source, before the names', async () => {
    const { stdout } = await run(['table', PLAYBOOK_DIR, '--format', 'json']);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    const sources = lines.filter((line) => line.type === 'source');
    expect(sources.map((line) => [line.eventSource, line.operations])).toEqual(
      EVENT_SOURCES.map((source) => [source, rowsOf(source)]),
    );
    expect(lines.slice(0, sources.length)).toEqual(sources);
    for (const line of sources) expect(String(line.listFrom).length).toBeGreaterThan(20);
  });
});

test.each(EVENT_SOURCES)('the README lists %s with the operation count of the table', (source) => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const line = readme.split('\n').find((candidate) => candidate.startsWith(`| \`${source}\``));
  expect(line?.split('|')[2]?.trim()).toBe(String(rowsOf(source)));
});
