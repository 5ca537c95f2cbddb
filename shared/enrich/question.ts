/**
 * One question per rule, never per event. The text is assembled from our own playbook table and rule
 * definitions plus the alert locale; the alert's CloudTrail-derived fields (title, description, samples,
 * principal, reasons, and the name of an operation our table does not know) are never read, so
 * attacker-chosen text cannot reach a prompt. Only the principal's identity type is looked at, as a yes/no
 * (stolen-credentials.ts).
 */
import type { Alert } from '../alerts/model';
import { DEFAULT_BURST_RULES } from '../classify/policy';
import { stableId } from '../ids';
import { CATEGORY_INFO } from '../playbook/categories';
import { PLAYBOOK_TABLE } from '../playbook/table';
import { CATEGORIES, PHASES, type Category, type Phase, type PlaybookRow } from '../playbook/types';
import type { AlertLocale } from './config';
import { credentialsLookStolen } from './stolen-credentials';
import type { Question } from './types';

/** Several sources share operation names (CreatePlugin, TagResource…): the alert's category tells their rows apart. */
const ROWS_BY_NAME = new Map<string, PlaybookRow[]>();
for (const row of PLAYBOOK_TABLE) ROWS_BY_NAME.set(row.eventName, [...(ROWS_BY_NAME.get(row.eventName) ?? []), row]);
const BURSTS_BY_ID = new Map(DEFAULT_BURST_RULES.map((rule) => [rule.id as string, rule]));

export const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  'detection-analysis': 'detection and analysis',
  'containment-eradication': 'containment and eradication',
  recovery: 'recovery',
};

const LANGUAGE: Readonly<Record<AlertLocale, string>> = {
  en: 'English',
  de: 'German',
  es: 'Spanish',
  fr: 'French',
  ja: 'Japanese',
  zh: 'Chinese',
};

/** What the question is about, resolved against our own tables. */
interface Subject {
  readonly rule: string;
  readonly operation?: string;
  readonly category: Category;
  readonly phase: Phase;
  /** Our own wording from the playbook table or rule definition. */
  readonly about: string;
}

function enumOr<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function subjectOf(alert: Pick<Alert, 'rule' | 'category' | 'phase'>): Subject {
  const category = enumOr(CATEGORIES, alert.category, 'unclassified');
  const phase = enumOr(PHASES, alert.phase, 'detection-analysis');
  const [kind, name = ''] = alert.rule.split('/', 2);
  if (kind === 'playbook') {
    const rows = ROWS_BY_NAME.get(name) ?? [];
    const row = rows.find((candidate) => candidate.category === category) ?? rows[0];
    if (row !== undefined) {
      return {
        rule: `playbook/${row.eventName}`,
        operation: row.eventName,
        category: row.category,
        phase: row.phase,
        about: row.description,
      };
    }
  }
  if (kind === 'playbook' || kind === 'unclassified') {
    // The name came from the event, not from our table: a forged one can spell a sentence in CamelCase
    // (and each new name would cost a call). Every unknown operation shares one question without it.
    return {
      rule: 'unclassified',
      category,
      phase,
      about: 'CloudTrail recorded an Amazon Q operation that our playbook table does not describe yet.',
    };
  }
  const burst = BURSTS_BY_ID.get(alert.rule);
  if (burst !== undefined) {
    const operations = burst.operations.length > 0 ? ` Operations counted: ${burst.operations.join(', ')}.` : '';
    return {
      rule: burst.id,
      category,
      phase,
      about: `${burst.title}: one principal exceeded ${burst.threshold} calls within a few minutes.${operations}`,
    };
  }
  // Anything else (a rule id we do not know) is reduced to its category and phase.
  return { rule: `other/${category}`, category, phase, about: `An alert about ${CATEGORY_INFO[category].title}.` };
}

/**
 * The cache key: a stable hash of what the question depends on, and nothing else. Stolen credentials add a
 * part (keys of other questions stay as they were), so an answer cached for another alert is not served.
 */
export function questionKey(
  rule: string,
  category: Category,
  phase: Phase,
  locale: AlertLocale,
  stolenCredentials = false,
): string {
  return stableId('question/v1', rule, category, phase, locale, ...(stolenCredentials ? ['stolen-credentials'] : []));
}

export function buildQuestion(
  alert: Pick<Alert, 'rule' | 'category' | 'phase'> & { readonly principal?: Pick<Alert['principal'], 'type'> },
  locale: AlertLocale,
): Question {
  const subject = subjectOf(alert);
  const stolen = credentialsLookStolen(alert);
  const area = CATEGORY_INFO[subject.category].title;
  const what =
    subject.operation !== undefined
      ? `the Amazon Q operation ${subject.operation} (${area})`
      : `the detection "${subject.rule}" (${area})`;
  const text = [
    `Using only our incident response playbooks: what should a security responder do in the ${PHASE_TITLES[subject.phase]} phase when CloudTrail records ${what}?`,
    `Context from our playbook table: ${subject.about}`,
    ...(stolen
      ? [
          `The principal's credentials may be stolen: start with the compromised-credentials playbook's steps for the ${PHASE_TITLES[subject.phase]} phase.`,
        ]
      : []),
    'Give the concrete steps in a short numbered list and name the playbook sections you used.',
    `Answer in ${LANGUAGE[locale]}.`,
  ].join('\n');
  return {
    key: questionKey(subject.rule, subject.category, subject.phase, locale, stolen),
    rule: subject.rule,
    ...(subject.operation !== undefined ? { operation: subject.operation } : {}),
    category: subject.category,
    phase: subject.phase,
    locale,
    ...(stolen ? { credentialsLookStolen: true } : {}),
    text,
  };
}
