/** `q-triage playbooks table DIR`: how the Amazon Q playbook's event names resolve, and the drift against the table. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { cleanText } from '../../alerts/escape';
import { PLAYBOOK_TABLE, sourceCoverage } from '../../playbook/table';
import { readPlaybookTable, type PlaybookSource, type PlaybookTableReport } from '../../playbook/parser';
import { UsageError, type CliIo, type Command } from '../command';
import { outputFormat, parseCliArgs } from '../options';
import { formatTable, writeJsonLines, writeText } from '../output';

const USAGE = `Usage: q-triage playbooks table DIR [--format text|json]

First, the Amazon Q event sources the table covers: each with its EventBridge source, the number of
operations that have a row, and where the operation list comes from.
Then reads the Amazon Q playbook (docs/Amazon_Q.md) and its translations (docs/<lang>/<lang>.Amazon_Q.md)
from DIR (a clone of the playbook framework, or its docs folder) and shows, per file and language,
each event name as written and the canonical operation it resolves to:
  exact, case (case-insensitive), edit-distance (close to one known operation),
  position (same row as the English original), or unresolved (with the reason).
Then the drift: operations the playbook names that the table lacks, and table operations the
playbook does not mention.

Options:
  --format text|json   text (default): the sources, a table per file and the drift;
                       json: one {"type":"source","eventSource","eventBridgeSource","operations","listFrom"}
                       object per source, one {"file","language","written","operation","how"} object
                       per name, then one {"type":"drift",...}
  -h, --help           this help`;

/** Reads repository paths from a clone's root or from its docs folder. */
export function directorySource(dir: string): PlaybookSource {
  const tryRead = async (path: string): Promise<string | undefined> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    read: async (path) => (await tryRead(join(dir, path))) ?? (await tryRead(join(dir, path.replace(/^docs\//, '')))),
  };
}

function jsonLines(report: PlaybookTableReport): unknown[] {
  const names = report.playbooks.flatMap((playbook) =>
    playbook.names.map((name) => ({
      file: name.file,
      language: name.language,
      written: name.written,
      operation: name.operation,
      how: name.how,
      ...(name.reason !== undefined ? { reason: name.reason } : {}),
      list: name.list,
    })),
  );
  return [
    ...sourceCoverage().map((source) => ({ type: 'source', ...source })),
    ...names,
    { type: 'drift', ...report.drift },
  ];
}

function sourcesText(): string {
  const sources = sourceCoverage();
  const rows = sources.map((source) => [
    source.eventSource,
    source.eventBridgeSource,
    String(source.operations),
    source.listFrom,
  ]);
  const total = sources.reduce((sum, source) => sum + source.operations, 0);
  return `Playbook table: ${total} operations of ${sources.length} Amazon Q event sources\n${formatTable(['eventSource', 'EventBridge source', 'operations', 'list from'], rows)}`;
}

function text(report: PlaybookTableReport): string {
  const blocks = report.playbooks.map((playbook) => {
    const rows = playbook.names.map((name) => [
      name.list,
      cleanText(name.written, 80),
      name.operation ?? 'null',
      name.how,
      name.reason !== undefined ? cleanText(name.reason, 120) : '',
    ]);
    const resolved = playbook.names.filter((name) => name.operation !== null).length;
    return `${playbook.file} (${playbook.language}): ${resolved}/${playbook.names.length} names resolved\n${formatTable(['list', 'written', 'operation', 'how', 'reason'], rows)}`;
  });
  const list = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));
  const drift = [
    'Drift',
    `  named by the playbook, missing from the table: ${list(report.drift.missingFromTable)}`,
    `  in the table, not mentioned by the playbook:   ${list(report.drift.notInPlaybook)}`,
  ].join('\n');
  return [sourcesText(), ...blocks, drift].join('\n\n');
}

export const playbooksCommand: Command = {
  name: 'playbooks',
  summary: 'Show how the playbook event tables resolve to operations, and the drift',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCliArgs({
      args: [...args],
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' } },
    });
    const [sub, dir, ...extra] = parsed.positionals;
    if (sub !== 'table')
      throw new UsageError(sub === undefined ? 'missing sub-command (table)' : `unknown sub-command "${sub}"`);
    if (dir === undefined || extra.length > 0) throw new UsageError('expected exactly one DIR');
    const format = outputFormat(parsed.values.format);
    // Several sources share operation names (TagResource, CreatePlugin…): the playbook names operations, not sources.
    const report = await readPlaybookTable(directorySource(resolve(io.cwd, dir)), [
      ...new Set(PLAYBOOK_TABLE.map((row) => row.eventName)),
    ]);
    if (report.playbooks.length === 0) {
      io.stderr.write(`q-triage playbooks: no Amazon_Q.md playbook found under ${dir}\n`);
      return 1;
    }
    if (format === 'json') writeJsonLines(io.stdout as Writable, jsonLines(report));
    else writeText(io.stdout as Writable, text(report));
    return 0;
  },
};
