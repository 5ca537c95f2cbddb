/**
 * Where the real Amazon Q playbook (aws-customer-playbook-framework `docs/Amazon_Q.md` and its translations)
 * tells a responder what to do in each phase: the section an answer about an operation of that phase must
 * cite. Used by the corpus test and `npm run bench:sections`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AlertLocale } from '../../shared/enrich/config';
import type { Phase } from '../../shared/playbook/types';

/** The corpus clone beside the repository, or undefined (with the reason) when it is absent. */
export const PLAYBOOK_CORPUS_DOCS = resolve(__dirname, '../../../shared/playbook-framework/docs');
export function corpusAbsentReason(): string | undefined {
  return existsSync(resolve(PLAYBOOK_CORPUS_DOCS, 'Amazon_Q.md'))
    ? undefined
    : `the playbook corpus is absent (${PLAYBOOK_CORPUS_DOCS}/Amazon_Q.md not found)`;
}

/** File of the Amazon Q playbook in each locale, relative to the docs folder. */
export const AMAZON_Q_PLAYBOOK_FILE: Readonly<Record<AlertLocale, string>> = {
  en: 'Amazon_Q.md',
  de: 'de/de.Amazon_Q.md',
  es: 'es/es.Amazon_Q.md',
  fr: 'fr/fr.Amazon_Q.md',
  ja: 'ja/ja.Amazon_Q.md',
  zh: 'zh/zh.Amazon_Q.md',
};

/** The heading of the section that says what to do in each phase, as each translation writes it. */
export const AMAZON_Q_PHASE_HEADING: Readonly<Record<AlertLocale, Readonly<Record<Phase, string>>>> = {
  en: {
    'detection-analysis': 'Analysis',
    'containment-eradication': 'Containment and Eradication',
    recovery: 'Recovery',
  },
  de: {
    'detection-analysis': 'Analyse',
    'containment-eradication': 'Eindämmung und Ausrottung',
    recovery: 'Wiederherstellung',
  },
  es: {
    'detection-analysis': 'Análisis',
    'containment-eradication': 'Contención y erradicación',
    recovery: 'Recuperación',
  },
  fr: {
    'detection-analysis': 'Analyse',
    'containment-eradication': 'Confinement et éradication',
    recovery: 'Récupération',
  },
  ja: { 'detection-analysis': '分析', 'containment-eradication': '封じ込めと根絶', recovery: 'リカバリ' },
  zh: { 'detection-analysis': '分析', 'containment-eradication': '遏制和根除', recovery: '恢复' },
};

/** The citation title the local source gives that section (`file › heading`). */
export function expectedCitation(locale: AlertLocale, phase: Phase): string {
  return `${AMAZON_Q_PLAYBOOK_FILE[locale]} › ${AMAZON_Q_PHASE_HEADING[locale][phase]}`;
}

/** The compromised-credentials playbook's section for each phase (Containment for containment and eradication). */
export const CREDENTIALS_PHASE_HEADING: Readonly<Record<AlertLocale, Readonly<Record<Phase, string>>>> = {
  en: { 'detection-analysis': 'Analysis', 'containment-eradication': 'Containment', recovery: 'Recovery' },
  de: { 'detection-analysis': 'Analyse', 'containment-eradication': 'Eindämmung', recovery: 'Erholung' },
  es: { 'detection-analysis': 'Análisis', 'containment-eradication': 'Contención', recovery: 'Recuperación' },
  fr: { 'detection-analysis': 'Analyse', 'containment-eradication': 'Confinement', recovery: 'Récupération' },
  ja: { 'detection-analysis': '分析', 'containment-eradication': '封じ込め', recovery: '回復' },
  zh: { 'detection-analysis': '分析', 'containment-eradication': '遏制', recovery: '恢复' },
};

export function expectedCredentialsCitation(locale: AlertLocale, phase: Phase): string {
  const file =
    locale === 'en' ? 'Compromised_IAM_Credentials.md' : `${locale}/${locale}.Compromised_IAM_Credentials.md`;
  return `${file} › ${CREDENTIALS_PHASE_HEADING[locale][phase]}`;
}
