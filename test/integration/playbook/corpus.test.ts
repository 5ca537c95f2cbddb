/**
 * Against the real playbook framework, only when a clone sits next to the repository
 * (../shared/playbook-framework). Prints how many names of each language resolve.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { directorySource } from '../../../shared/cli/commands/playbooks';
import { readPlaybookTable, type PlaybookTableReport } from '../../../shared/playbook/parser';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';

const CORPUS = resolve(__dirname, '../../../../shared/playbook-framework');
const describeCorpus = existsSync(resolve(CORPUS, 'docs/Amazon_Q.md')) ? describe : describe.skip;

describeCorpus('real playbook corpus (../shared/playbook-framework)', () => {
  let report: PlaybookTableReport;

  beforeAll(async () => {
    report = await readPlaybookTable(
      directorySource(CORPUS),
      PLAYBOOK_TABLE.map((row) => row.eventName),
    );
    const lines = report.playbooks.map((playbook) => {
      const resolved = playbook.names.filter((n) => n.operation !== null).length;
      const how = Object.entries(
        playbook.names.reduce<Record<string, number>>(
          (counts, n) => ({ ...counts, [n.how]: (counts[n.how] ?? 0) + 1 }),
          {},
        ),
      )
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ');
      return `${playbook.language}: ${resolved}/${playbook.names.length} resolved (${how})`;
    });
    process.stdout.write(
      `Playbook name resolution on the real corpus:\n${lines.join('\n')}\ndrift: ${JSON.stringify(report.drift.missingFromTable)} missing from the table\n`,
    );
  });

  test('finds the English playbook and the five translations', () => {
    expect(report.playbooks.map((playbook) => playbook.language)).toEqual(['en', 'de', 'es', 'fr', 'ja', 'zh']);
  });

  test('reads the same number of names in every language', () => {
    const counts = new Set(report.playbooks.map((playbook) => playbook.names.length));

    expect(counts.size).toBe(1);
  });

  test('resolves every name that denotes an operation of the table', () => {
    const unresolved = report.playbooks.flatMap((playbook) =>
      playbook.names.filter((n) => n.operation === null).map((n) => `${n.language}: ${n.written}`),
    );

    expect(unresolved).toEqual([]);
  });

  test('resolves each translated name to the operation of its English original', () => {
    const english = report.playbooks.find((playbook) => playbook.language === 'en');
    const key = (n: { list: string; sectionIndex: number; rowIndex: number }): string =>
      `${n.list}/${n.sectionIndex}/${n.rowIndex}`;
    const expected = new Map(english?.names.map((n) => [key(n), n.operation]));

    const mismatches = report.playbooks.flatMap((playbook) =>
      playbook.names
        .filter((n) => expected.get(key(n)) !== n.operation)
        .map((n) => `${n.language}: ${n.written} → ${n.operation ?? 'null'}`),
    );

    expect(mismatches).toEqual([]);
  });
});
