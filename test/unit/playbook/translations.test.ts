/** Our alert texts in every language of the playbook translations, and the title of each operation. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CATEGORY_INFO, QUESTIONS } from '../../../shared/playbook/categories';
import { directoryPlaybookSource, loadLocalizedText } from '../../../shared/playbook/localized-table';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { CATEGORY_TITLES, TEXT_TRANSLATIONS, TRANSLATED_LANGUAGES } from '../../../shared/playbook/translations';
import { CATEGORIES } from '../../../shared/playbook/types';
import { testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const STEP_TEXTS = [...new Set([...PLAYBOOK_TABLE.flatMap((row) => row.steps), ...Object.values(CATEGORY_INFO).flatMap((info) => info.steps)].map((step) => step.text))];

describe('translations of our alert texts', () => {
  test.each(TRANSLATED_LANGUAGES)('every response step, analysis question and category title has a %s translation', (language) => {
    const missing = [...STEP_TEXTS, ...Object.values(QUESTIONS)].filter((text) => TEXT_TRANSLATIONS.get(text)?.[language] === undefined);

    expect(missing).toEqual([]);
    for (const category of CATEGORIES) expect(CATEGORY_TITLES[category][language]).not.toBe('');
  });

  test('every translation is of a text the alerts use (none left behind by a rewording)', () => {
    const used = new Set([...STEP_TEXTS, ...Object.values(QUESTIONS)]);

    expect([...TEXT_TRANSLATIONS.keys()].filter((text) => !used.has(text))).toEqual([]);
  });

  test('no translation is the English text left in place', () => {
    const untranslated = [...TEXT_TRANSLATIONS].flatMap(([english, translations]) => TRANSLATED_LANGUAGES.filter((language) => translations[language] === english).map((language) => `${language}: ${english}`));

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
    expect(alert?.steps.map((step) => step.text)).toEqual([...(row?.steps ?? []), ...CATEGORY_INFO.index.steps].map((step) => TEXT_TRANSLATIONS.get(step.text)?.[language]));
    expect(alert?.questions).toEqual(CATEGORY_INFO.index.questions.map((question) => TEXT_TRANSLATIONS.get(question)?.[language]));
  });
});

const CORPUS = resolve(__dirname, '../../../../shared/playbook-framework');
const corpusPresent = existsSync(resolve(CORPUS, 'docs/Amazon_Q.md'));
if (!corpusPresent) process.stdout.write(`skipping the real-corpus localisation tests: no playbook framework at ${CORPUS}\n`);

(corpusPresent ? describe : describe.skip)('with the real playbook translations (../shared/playbook-framework)', () => {
  // The section heading that holds every index operation, in each language: it names none of them but CreateIndex.
  const CREATE_AN_INDEX = { de: 'Einen Index erstellen', es: 'Crear un índice', fr: "Création d'un index", ja: 'インデックスの作成', zh: '创建索引' } as const;
  const DELETE_IN_DESCRIPTION = { de: 'löschen', es: 'eliminar', fr: 'supprimer', ja: '削除', zh: '删除' } as const;

  test.each(TRANSLATED_LANGUAGES)('%s: DeleteIndex takes its own row description and no section heading', async (language) => {
    const localized = await loadLocalizedText(directoryPlaybookSource(CORPUS), language);
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });

    await triage.process(inputs([record({ eventName: 'DeleteIndex' })]));

    const alert = notifier.messages[0]?.alert;
    expect(alert?.title).not.toContain(CREATE_AN_INDEX[language]);
    expect(alert?.title).toBe(`DeleteIndex (${CATEGORY_TITLES.index[language]})`);
    expect(alert?.description).toContain(DELETE_IN_DESCRIPTION[language]);
  });
});
