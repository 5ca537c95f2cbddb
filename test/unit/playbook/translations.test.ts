/** Our alert texts in every language of the playbook translations, and the title of each operation. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CATEGORY_INFO, QUESTIONS } from '../../../shared/playbook/categories';
import { directoryPlaybookSource, loadLocalizedText } from '../../../shared/playbook/localized-table';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { DEFAULT_BURST_RULES } from '../../../shared/classify/policy';
import {
  BURST_TITLES,
  CATEGORY_TITLES,
  TEXT_TRANSLATIONS,
  TRANSLATED_LANGUAGES,
} from '../../../shared/playbook/translations';
import { CATEGORIES } from '../../../shared/playbook/types';
import { testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const STEP_TEXTS = [
  ...new Set(
    [...PLAYBOOK_TABLE.flatMap((row) => row.steps), ...Object.values(CATEGORY_INFO).flatMap((info) => info.steps)].map(
      (step) => step.text,
    ),
  ),
];

describe('translations of our alert texts', () => {
  test.each(TRANSLATED_LANGUAGES)(
    'every response step, analysis question and category title has a %s translation',
    (language) => {
      const missing = [...STEP_TEXTS, ...Object.values(QUESTIONS)].filter(
        (text) => TEXT_TRANSLATIONS.get(text)?.[language] === undefined,
      );

      expect(missing).toEqual([]);
      for (const category of CATEGORIES) expect(CATEGORY_TITLES[category][language]).not.toBe('');
    },
  );

  test.each(TRANSLATED_LANGUAGES)(
    'every burst rule title has a %s translation, none the English left in place',
    (language) => {
      const titles = DEFAULT_BURST_RULES.map((rule) => BURST_TITLES.get(rule.title)?.[language]);

      expect(
        titles.filter((title) => title === undefined || DEFAULT_BURST_RULES.some((rule) => rule.title === title)),
      ).toEqual([]);
      expect([...BURST_TITLES.keys()].sort()).toEqual(DEFAULT_BURST_RULES.map((rule) => rule.title).sort());
    },
  );

  test('every translation is of a text the alerts use (none left behind by a rewording)', () => {
    const used = new Set([...STEP_TEXTS, ...Object.values(QUESTIONS)]);

    expect([...TEXT_TRANSLATIONS.keys()].filter((text) => !used.has(text))).toEqual([]);
  });

  test('no translation is the English text left in place', () => {
    const untranslated = [...TEXT_TRANSLATIONS].flatMap(([english, translations]) =>
      TRANSLATED_LANGUAGES.filter((language) => translations[language] === english).map(
        (language) => `${language}: ${english}`,
      ),
    );

    expect(untranslated).toEqual([]);
  });
});

describe.each(TRANSLATED_LANGUAGES)('a %s alert', (language) => {
  test('translates the title, the steps and the analysis questions; DeleteIndex is titled by its category, not "Create an index"', async () => {
    const localized = await loadLocalizedText(undefined, language);
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });

    await triage.process(inputs([record({ eventName: 'DeleteIndex' })]));

    const alert = notifier.messages[0]?.alert;
    const row = PLAYBOOK_TABLE.find((candidate) => candidate.eventName === 'DeleteIndex');
    expect(alert?.title).toBe(`DeleteIndex (${CATEGORY_TITLES.index[language]})`);
    expect(alert?.steps.map((step) => step.text)).toEqual(
      [...(row?.steps ?? []), ...CATEGORY_INFO.index.steps].map((step) => TEXT_TRANSLATIONS.get(step.text)?.[language]),
    );
    expect(alert?.questions).toEqual(
      CATEGORY_INFO.index.questions.map((question) => TEXT_TRANSLATIONS.get(question)?.[language]),
    );
  });

  test('a burst alert translates its title, description, steps and questions too; its reason stays English', async () => {
    const localized = await loadLocalizedText(undefined, language);
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });
    const rule = DEFAULT_BURST_RULES.find((candidate) => candidate.id === 'auth-failures');

    await triage.process(
      inputs(
        Array.from({ length: 10 }, (_, i) =>
          record({ eventName: 'GetIndex', errorCode: 'AccessDeniedException', second: i }),
        ),
      ),
    );

    const alert = notifier.messages[0]?.alert;
    expect(alert?.rule).toBe('auth-failures');
    expect(alert?.title).toBe(BURST_TITLES.get(rule?.title ?? '')?.[language]);
    expect(alert?.description).toContain('10');
    expect(alert?.description).not.toContain('matching calls');
    // The burst's category steps first (its severity is the incident's), then the denied reads' own, each translated.
    const getIndex = PLAYBOOK_TABLE.find((candidate) => candidate.eventName === 'GetIndex');
    const english = [
      ...new Set(
        [...CATEGORY_INFO.application.steps, ...(getIndex?.steps ?? []), ...CATEGORY_INFO.index.steps].map(
          (step) => step.text,
        ),
      ),
    ];
    expect(alert?.steps.map((step) => step.text)).toEqual(
      english.map((text) => TEXT_TRANSLATIONS.get(text)?.[language]),
    );
    expect(alert?.questions).toEqual(
      CATEGORY_INFO.application.questions.map((question) => TEXT_TRANSLATIONS.get(question)?.[language]),
    );
    expect(alert?.reasons.some((reason) => reason.startsWith('stateful rule auth-failures: 10'))).toBe(true);
  });
});

const CORPUS = resolve(__dirname, '../../../../shared/playbook-framework');
const corpusPresent = existsSync(resolve(CORPUS, 'docs/Amazon_Q.md'));
if (!corpusPresent)
  process.stdout.write(`skipping the real-corpus localisation tests: no playbook framework at ${CORPUS}\n`);

(corpusPresent ? describe : describe.skip)('with the real playbook translations (../shared/playbook-framework)', () => {
  // The section heading that holds every index operation, in each language: it names none of them but CreateIndex.
  const CREATE_AN_INDEX = {
    de: 'Einen Index erstellen',
    es: 'Crear un índice',
    fr: "Création d'un index",
    ja: 'インデックスの作成',
    zh: '创建索引',
  } as const;
  const DELETE_IN_DESCRIPTION = { de: 'löschen', es: 'eliminar', fr: 'supprimer', ja: '削除', zh: '删除' } as const;

  test.each(TRANSLATED_LANGUAGES)(
    '%s: DeleteIndex takes its own row description and no section heading',
    async (language) => {
      const localized = await loadLocalizedText(directoryPlaybookSource(CORPUS), language);
      const { triage, notifier } = testPipeline({ localizedText: async () => localized });

      await triage.process(inputs([record({ eventName: 'DeleteIndex' })]));

      const alert = notifier.messages[0]?.alert;
      expect(alert?.title).not.toContain(CREATE_AN_INDEX[language]);
      expect(alert?.title).toBe(`DeleteIndex (${CATEGORY_TITLES.index[language]})`);
      expect(alert?.description).toContain(DELETE_IN_DESCRIPTION[language]);
    },
  );
});
