/**
 * Which section of the real playbook corpus the local source answers from, for every operation row of the
 * playbook table in every locale: counts per phase of answers whose first citation is the Amazon Q
 * playbook's section for the row's phase (and of answers citing it at all). Needs ../shared/playbook-framework.
 *
 *   npm run bench:sections [-- --misses]
 */
import { parseArgs } from 'node:util';
import { ALERT_LOCALES, type AlertLocale } from '../shared/enrich/config';
import { NoAnswerError } from '../shared/enrich/errors';
import { createLocalPlaybookSource } from '../shared/enrich/local-playbooks';
import { buildQuestion } from '../shared/enrich/question';
import { PLAYBOOK_TABLE } from '../shared/playbook/table';
import { PHASES, type Phase } from '../shared/playbook/types';
import { corpusAbsentReason, expectedCitation, PLAYBOOK_CORPUS_DOCS } from '../test/support/amazon-q-playbook';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { misses: { type: 'boolean', default: false } } });
  const absent = corpusAbsentReason();
  if (absent !== undefined) {
    process.stdout.write(`skipped: ${absent}\n`);
    return;
  }
  const source = createLocalPlaybookSource({ dir: PLAYBOOK_CORPUS_DOCS });
  const signal = new AbortController().signal;
  const counts = new Map<string, { first: number; cited: number; total: number }>();
  const misses: string[] = [];
  for (const locale of ALERT_LOCALES as readonly AlertLocale[]) {
    for (const row of PLAYBOOK_TABLE) {
      const question = buildQuestion(
        { rule: `playbook/${row.eventName}`, category: row.category, phase: row.phase },
        locale,
      );
      const titles: string[] = await source.ask(question, { signal }).then(
        (answer) => answer.citations.map((citation) => citation.title),
        (error: unknown) => {
          if (error instanceof NoAnswerError) return [];
          throw error;
        },
      );
      const expected = expectedCitation(locale, row.phase);
      const key = `${row.phase}/${locale}`;
      const count = counts.get(key) ?? { first: 0, cited: 0, total: 0 };
      count.total += 1;
      if (titles[0] === expected) count.first += 1;
      if (titles.includes(expected)) count.cited += 1;
      counts.set(key, count);
      if (titles[0] !== expected) misses.push(`${locale} ${row.eventName} (${row.phase}): ${titles[0] ?? 'no answer'}`);
    }
  }
  process.stdout.write(
    `Answers whose first citation is the Amazon Q playbook's section for the row's phase (cited at all), ${PLAYBOOK_TABLE.length} rows:\n`,
  );
  process.stdout.write(`phase                    ${ALERT_LOCALES.map((l) => l.padEnd(12)).join('')}total\n`);
  for (const phase of PHASES as readonly Phase[]) {
    let first = 0;
    let cited = 0;
    let total = 0;
    const cells = ALERT_LOCALES.map((locale) => {
      const count = counts.get(`${phase}/${locale}`) ?? { first: 0, cited: 0, total: 0 };
      first += count.first;
      cited += count.cited;
      total += count.total;
      return `${count.first}/${count.total} (${count.cited})`.padEnd(12);
    });
    process.stdout.write(`${phase.padEnd(25)}${cells.join('')}${first}/${total} (${cited})\n`);
  }
  if (values.misses) process.stdout.write(`\n${misses.join('\n')}\n`);
}

void main();
