/**
 * The local source over the real AWS playbook corpus (../shared/playbook-framework/docs, what resync mirrors),
 * only when a clone sits next to the repository: for every operation row of the playbook table, in English and
 * each translation, the answer's first citation is the Amazon Q playbook's section for the row's phase, not
 * its event-name table. `npm run bench:sections` prints the same figures per phase and locale. An auth-failures
 * alert (credentials look stolen) cites the compromised-credentials playbook's section for its phase first.
 */
import { ALERT_LOCALES, type AlertLocale } from '../../../shared/enrich/config';
import { createLocalPlaybookSource } from '../../../shared/enrich/local-playbooks';
import { buildQuestion } from '../../../shared/enrich/question';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { PHASES } from '../../../shared/playbook/types';
import {
  corpusAbsentReason,
  expectedCitation,
  expectedCredentialsCitation,
  PLAYBOOK_CORPUS_DOCS,
} from '../../support/amazon-q-playbook';

const absent = corpusAbsentReason();
if (absent !== undefined) process.stdout.write(`local-playbooks corpus test skipped: ${absent}\n`);
const describeCorpus = absent === undefined ? describe : describe.skip;

const cases = (ALERT_LOCALES as readonly AlertLocale[]).flatMap((locale) =>
  PLAYBOOK_TABLE.map((row) => ({ locale, row, expected: expectedCitation(locale, row.phase) })),
);

describeCorpus('local playbook answers on the real corpus (../shared/playbook-framework/docs)', () => {
  const source = createLocalPlaybookSource({ dir: PLAYBOOK_CORPUS_DOCS });
  const signal = new AbortController().signal;

  test.each(cases.map((c) => [`${c.locale} ${c.row.eventName} (${c.row.phase})`, c] as const))(
    '%s cites the phase section first',
    async (_name, c) => {
      const question = buildQuestion(
        { rule: `playbook/${c.row.eventName}`, category: c.row.category, phase: c.row.phase },
        c.locale,
      );

      const answer = await source.ask(question, { signal });

      expect(answer.citations[0]?.title).toBe(c.expected);
    },
  );

  const stolen = (ALERT_LOCALES as readonly AlertLocale[]).flatMap((locale) =>
    PHASES.map((phase) => ({ locale, phase })),
  );

  test.each(stolen.map((c) => [`${c.locale} auth-failures (${c.phase})`, c] as const))(
    '%s cites the compromised-credentials playbook first',
    async (_name, c) => {
      const question = buildQuestion({ rule: 'auth-failures', category: 'application', phase: c.phase }, c.locale);

      const answer = await source.ask(question, { signal });

      expect(answer.citations.slice(0, 2).map((citation) => citation.title)).toEqual([
        expectedCredentialsCitation(c.locale, c.phase),
        expectedCitation(c.locale, c.phase),
      ]);
    },
  );
});
