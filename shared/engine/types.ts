/**
 * The engine's types: what callers give it and get back (re-exported by shared/triage.ts), and what its
 * stages hand each other.
 */
import type { Alert, Enrichment, EventSample, PrincipalContext } from '../alerts/model';
import type { LocalizedSubject } from '../alerts/builder';
import type { Classification } from '../classify/classify';
import type { Policy } from '../classify/policy';
import type { SelfMatcher } from '../classify/self';
import type { Clock } from '../clock';
import type { TriageEvent } from '../events';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { Notifier, PublishKind } from '../notify/types';
import type { EventFingerprint, StateStore } from '../state/store';
import type { Sweep } from './sweep';

/**
 * One input: a parsed value, or the reason it was refused before it got here (malformed JSON, bad gzip,
 * an SQS message without a body…).
 */
export type TriageInput =
  | {
      /** Where the input came from: an SQS message id, or FILE:LINE in replay. */
      readonly id: string;
      readonly value: unknown;
      readonly bytes?: number;
    }
  | { readonly id: string; readonly error: string };

export type InputOutcome =
  | { readonly id: string; readonly status: 'rejected'; readonly reason: string; readonly eventId?: string }
  /** Another service's record: a real trail is mostly these. Counted, never listed, never a failure. */
  | { readonly id: string; readonly status: 'passed-over' }
  | { readonly id: string; readonly status: 'duplicate'; readonly event: TriageEvent }
  | {
      readonly id: string;
      readonly status: 'classified' | 'alerted';
      readonly event: TriageEvent;
      readonly classification: Classification;
      readonly alertIds: readonly string[];
    }
  | { readonly id: string; readonly status: 'failed'; readonly reason: string; readonly event: TriageEvent };

export interface BatchResult {
  readonly outcomes: readonly InputOutcome[];
  /** Messages published for this batch (empty in deferred mode until `flush`). */
  readonly published: readonly { readonly alert: Alert; readonly kind: PublishKind }[];
}

export type { Notifier } from '../notify/types';
export interface Enricher {
  enrich(alert: Alert): Promise<Enrichment>;
  /** Set when enrichment is turned off: what every alert carries, known without asking, so no follow-up waits for it. */
  readonly turnedOff?: Enrichment;
}
export interface ContextProvider {
  describe(alert: Alert): Promise<PrincipalContext>;
}
/** Which held roll-ups to write: the ones due, or every one of the principals named. */
export type RollupScope = 'due' | { readonly principalKeys: readonly string[] };

export interface ActivitySink {
  /** One entry per event: the events that can alert or count. */
  append(events: readonly TriageEvent[]): Promise<void>;
  /** Routine events, counted per principal per hour (shared/context/activity-rollup.ts); without it, they are appended. */
  rollUp?(events: readonly TriageEvent[]): void;
  /** Writes the held roll-ups: those due, or those of these principals (before their alerts' context is read). */
  flushRollUps?(scope: RollupScope): Promise<void>;
}

export interface TriageDeps {
  readonly policy: Policy;
  readonly self: SelfMatcher;
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly enricher?: Enricher;
  readonly context?: ContextProvider;
  readonly activity?: ActivitySink;
  /** HIGH and CRITICAL pages allowed per hour; beyond it alerts still go out, unpaged, and one summary pages. */
  readonly pagesPerHour?: number;
  /** At most one update message per incident per this many milliseconds; a page or the incident's close is not held back. Default 15 minutes. */
  readonly updateIntervalMs?: number;
  /**
   * `immediate` (Lambda): publish what each batch touched at its end.
   * `deferred` (replay): publish every incident once, in its final state, on `flush()`.
   */
  readonly mode?: 'immediate' | 'deferred';
  /** Publishing stops when fewer than this many milliseconds remain before the caller's deadline. */
  readonly reserveMs?: number;
  readonly publishConcurrency?: number;
  /** Alert texts in the alert locale, loaded once before the first batch (see shared/playbook/localized-table.ts). */
  readonly localizedText?: () => Promise<(operation: string) => LocalizedSubject | undefined>;
}

export interface ProcessOptions {
  /** Milliseconds left before this call's deadline (the Lambda invocation's); without it, no deadline. */
  readonly remainingMs?: () => number;
}

export interface Triage {
  /** One batch (the Lambda's): every input to its outcome. */
  process(inputs: readonly TriageInput[], options?: ProcessOptions): Promise<BatchResult>;
  /** A run over more input than one batch should hold (replay): see TriageRun. */
  open(options?: TriageRunOptions): TriageRun;
  /**
   * Deferred mode: publish the incidents no event at or after `settledThrough` (event time) can change, in
   * first-seen order, or every incident when it is not given. Immediate mode: nothing to do.
   */
  flush(settledThrough?: number): Promise<readonly Alert[]>;
  /** Immediate mode, on a schedule: the closing and held-back updates no event brings (engine/sweep.ts). */
  sweep: Sweep;
}

export interface TriageRunOptions {
  /**
   * How far (event time) an event may come behind a newer one that was already read: CloudTrail log files
   * overlap. Held events older than the newest event read minus this are settled. Default: hold every one
   * until `finish` (exact, but memory grows with the input).
   */
  readonly reorderWindowMs?: number;
  /**
   * How far (event time) behind the settled events the run remembers event ids (to find duplicates) and
   * incidents (that a late event can still join). A copy of an event from further back is triaged again, and a
   * late event from further back opens an incident of its own. Default: everything, for the whole run.
   */
  readonly horizonMs?: number;
}

/** An input's outcome and its position (input i of the n-th batch is the sum of earlier batch sizes + i). */
export interface SettledInput {
  readonly position: number;
  readonly outcome: InputOutcome;
}

/**
 * Replay's way through the engine: the inputs come in batches (one per log file) and only the events a
 * stateful rule or an incident can use are held, until the reorder window has passed them, so a long log is
 * never all in memory. The outcomes are those of one `process` call over all the inputs, as long as no event
 * comes later than the window: duplicates across batches are found, and the stateful rules run in event-time
 * order over every batch. An event later than that is still triaged when it comes, and counted in `late`.
 */
export interface TriageRun {
  /** The outcomes settled by this batch: its own inputs that need no state, and held events the window passed. */
  add(inputs: readonly TriageInput[]): Promise<readonly SettledInput[]>;
  /** The outcomes of every event still held, by position. */
  finish(): Promise<readonly SettledInput[]>;
  /** Event time up to which every held event is settled (-Infinity before any). */
  settledThrough(): number;
  /** Events that came later than the reorder window allows (see TriageRunOptions). */
  late(): number;
}

/** A classified event on its way through the stateful part; `index` is its input position. */
export interface Admitted {
  readonly index: number;
  readonly id: string;
  readonly event: TriageEvent;
  readonly classification: Classification;
  readonly fingerprint: EventFingerprint;
  /** Set when an earlier record carried this eventID with other content: that record's sample, if it was kept. */
  readonly reused?: { readonly sample?: EventSample };
}

/** Records the outcome of the input at a position. */
export type Settle = (index: number, outcome: InputOutcome) => void;
/** A message the engine published for a batch. */
export type Published = BatchResult['published'][number];
