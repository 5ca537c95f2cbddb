import type { Citation } from '../alerts/model';
import type { Category, Phase } from '../playbook/types';
import type { AlertLocale } from './config';

/**
 * What is asked about an alert. Built from our playbook table and rule definitions only
 * (see question.ts): nothing in here comes from a CloudTrail record's free text.
 */
export interface Question {
  /** Stable hash of (rule, category, phase, locale, stolen credentials): the cache key. */
  readonly key: string;
  readonly rule: string;
  /** Canonical operation name for playbook rows; absent for stateful rules. */
  readonly operation?: string;
  readonly category: Category;
  readonly phase: Phase;
  readonly locale: AlertLocale;
  /** The principal looks like it is using stolen credentials (stolen-credentials.ts): answer from that playbook first. */
  readonly credentialsLookStolen?: boolean;
  /** The prompt sent to a retrieval service. */
  readonly text: string;
}

export interface Answer {
  readonly text: string;
  readonly citations: readonly Citation[];
}

/**
 * Where answers come from. `ask` resolves with an answer or rejects with one of the named errors of
 * errors.ts (AnswerThrottledError, AnswerAbortedError, NoAnswerError, AnswerSourceError).
 */
export interface AnswerSource {
  /** `qbusiness` or `local-playbooks`: shown in the alert. */
  readonly name: string;
  ask(question: Question, options: { readonly signal: AbortSignal }): Promise<Answer>;
}
