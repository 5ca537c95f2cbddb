import type { EvidenceItem, Principal } from '../events';
import type { Category, Phase, ResponseStep, Severity } from '../playbook/types';

/** One line of evidence: attacker-controlled fields are kept raw here and escaped by every renderer. */
export interface EventSample {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventTime: string;
  readonly errorCode?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly resourceArns: readonly string[];
  /** The event's Region and whether it is a data event (not in CloudTrail's event history): its links depend on both. */
  readonly region?: string;
  readonly dataEvent?: boolean;
  /** The resources the event touched (see shared/events/evidence.ts). Absent in samples stored before it existed. */
  readonly evidence?: readonly EvidenceItem[];
}

/** The resources one operation of an incident touched, over all its events. */
export interface OperationEvidence {
  readonly eventName: string;
  readonly resources: readonly EvidenceItem[];
}

export type EnrichmentStatus =
  'answered' | 'timeout' | 'throttled' | 'no-answer' | 'disabled' | 'error' | 'circuit-open';

export interface Citation {
  readonly title: string;
  readonly url?: string;
}

/** What the playbook assistant (or the local playbooks) said about this kind of alert. */
export interface Enrichment {
  readonly status: EnrichmentStatus;
  /** Human-readable reason when status is not `answered`, e.g. "no answer in the playbooks". */
  readonly reason?: string;
  readonly answer?: string;
  readonly citations: readonly Citation[];
  /** `qbusiness` or `local-playbooks`. */
  readonly source?: string;
  /** ISO time the answer was produced (cached answers keep their original time). */
  readonly answeredAt?: string;
  readonly cached?: boolean;
}

/** Answers to the playbook's analysis questions, from the principal's recent activity. */
export interface PrincipalContext {
  readonly windowHours: number;
  readonly complete: boolean;
  /** Why the context is partial (budget exhausted, throttled, lookup failed). */
  readonly note?: string;
  readonly answers: readonly { readonly question: string; readonly answer: string }[];
  readonly firstSeen?: string;
  readonly sourceIps: readonly string[];
  readonly userAgents: readonly string[];
}

/** A run of an alert's steps that one subject added, at that subject's severity. */
export interface StepGroup {
  readonly severity: Severity;
  readonly size: number;
}

/** The incident's latest rise in severity: from what, to what, by which operation (and subject rule), when. */
export interface Escalation {
  readonly from: Severity;
  readonly to: Severity;
  readonly by: string;
  readonly rule: string;
  readonly at: string;
  /** Set on the rise that pages after the first message: the update number that announces it (renderers label that message). */
  readonly update?: number;
}

export interface Alert {
  /** Stable for the incident: every update of the same incident carries the same id. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: Category;
  /** `playbook/<EventName>`, `unclassified/<EventName>`, or a stateful rule id such as `bulk-delete`. */
  readonly rule: string;
  readonly title: string;
  readonly description: string;
  readonly phase: Phase;
  readonly principal: Principal;
  readonly account: string;
  readonly region: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  /** Updates published after the first message of this incident. */
  readonly updates: number;
  readonly eventIds: readonly string[];
  /** Operation name → number of events, over the whole incident. */
  readonly eventNames: Readonly<Record<string, number>>;
  readonly reasons: readonly string[];
  /** Every subject's response steps, unique, the worst subject's first (see stepGroups). */
  readonly steps: readonly ResponseStep[];
  /**
   * `steps` as consecutive runs, one per subject that added steps, most severe first: where a new subject's steps
   * go. Absent in incidents stored before it existed (then one run at the alert's severity).
   */
  readonly stepGroups?: readonly StepGroup[];
  readonly questions: readonly string[];
  readonly links: readonly string[];
  /** Most recent events, newest last. */
  readonly samples: readonly EventSample[];
  /**
   * Per operation, in order of first appearance, the resources its events touched (unique, bounded by
   * MAX_RESOURCES_PER_OPERATION). Absent in incidents stored before it existed.
   */
  readonly resources?: readonly OperationEvidence[];
  readonly paged: boolean;
  /** This message went out before its playbook answer and context: they follow in a message of kind `enrichment`. */
  readonly enrichmentFollows?: boolean;
  /**
   * When the incident closed (ISO, wall clock): its episode ended and this is its closing message, with the
   * final counts. Absent while it is open.
   */
  readonly closedAt?: string;
  readonly escalation?: Escalation;
  enrichment?: Enrichment;
  context?: PrincipalContext;
}

/** Bounds that keep alerts readable and under SNS's message limit before any trimming. */
export const MAX_EVENT_IDS = 100;
export const MAX_SAMPLES = 5;
/** Response steps an incident keeps over all its subjects (the least severe subjects' go first). */
export const MAX_STEPS = 15;
export const MAX_RESOURCES_PER_OPERATION = 10;
export const MAX_RESOURCES_PER_KIND = 3;
/** Operations whose resources an incident keeps; a forged stream of names cannot grow it further. */
export const MAX_OPERATIONS_WITH_RESOURCES = 20;
