/**
 * Our alert texts in the alert locale: category titles, response steps and analysis questions, from
 * translations.ts. A text without a translation stays in English. Translated lists are made once per English
 * list (every alert of a rule shares its lists, and the renderers memoise by list).
 */
import {
  BURST_DESCRIPTIONS,
  BURST_TITLES,
  CATEGORY_TITLES,
  DENIED,
  TEXT_TRANSLATIONS,
  TRANSLATED_LANGUAGES,
  type TranslatedLanguage,
} from './translations';
import type { Category, ResponseStep } from './types';

export interface AlertTranslator {
  readonly language: TranslatedLanguage;
  /** The prefix of a denied call's title, in place of `Denied`. */
  readonly denied: string;
  categoryTitle(category: Category): string;
  /** A burst rule's title (English when the rule is not one of ours). */
  burstTitle(english: string): string;
  burstDescription(count: number, minutes: number, threshold: number): string;
  steps(steps: readonly ResponseStep[]): readonly ResponseStep[];
  questions(questions: readonly string[]): readonly string[];
}

export const isTranslatedLanguage = (value: string): value is TranslatedLanguage =>
  (TRANSLATED_LANGUAGES as readonly string[]).includes(value);

export function createTranslator(language: TranslatedLanguage): AlertTranslator {
  const text = (english: string): string => TEXT_TRANSLATIONS.get(english)?.[language] ?? english;
  const stepLists = new WeakMap<readonly ResponseStep[], readonly ResponseStep[]>();
  const questionLists = new WeakMap<readonly string[], readonly string[]>();
  return {
    language,
    denied: DENIED[language],
    categoryTitle: (category) => CATEGORY_TITLES[category][language],
    burstTitle: (english) => BURST_TITLES.get(english)?.[language] ?? english,
    burstDescription: (count, minutes, threshold) => BURST_DESCRIPTIONS[language](count, minutes, threshold),
    steps(steps) {
      let translated = stepLists.get(steps);
      if (translated === undefined)
        stepLists.set(steps, (translated = Object.freeze(steps.map((step) => ({ ...step, text: text(step.text) })))));
      return translated;
    },
    questions(questions) {
      let translated = questionLists.get(questions);
      if (translated === undefined) questionLists.set(questions, (translated = Object.freeze(questions.map(text))));
      return translated;
    },
  };
}
