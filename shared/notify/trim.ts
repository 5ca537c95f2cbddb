/**
 * Progressive shortening of an alert so that its message fits a size limit. Each level keeps
 * less; the caller renders, measures and moves to the next level until the message fits. The
 * last level keeps only what a responder needs to find the rest (ids, principal, counts).
 */
import type { Alert } from '../alerts/model';
import { capLength } from '../alerts/escape';

export interface TrimLevel {
  readonly eventIds: number;
  readonly samples: number;
  readonly citations: number;
  readonly contextAnswers: number;
  readonly steps: number;
  readonly questions: number;
  readonly links: number;
  readonly reasons: number;
  readonly eventNames: number;
  readonly resourcesPerSample: number;
  /** Resources kept per operation (alert.resources), and evidence items per sample. */
  readonly resourcesPerOperation: number;
  readonly contextValues: number;
  /** Characters kept of the enrichment answer and the description. */
  readonly text: number;
}

const ALL = Number.MAX_SAFE_INTEGER;

/** Level 0 keeps everything; later levels are tried in order. */
export const TRIM_LEVELS: readonly TrimLevel[] = [
  {
    eventIds: ALL,
    samples: ALL,
    citations: ALL,
    contextAnswers: ALL,
    steps: ALL,
    questions: ALL,
    links: ALL,
    reasons: ALL,
    eventNames: ALL,
    resourcesPerSample: ALL,
    resourcesPerOperation: ALL,
    contextValues: ALL,
    text: ALL,
  },
  {
    eventIds: 25,
    samples: 3,
    citations: 5,
    contextAnswers: 8,
    steps: 10,
    questions: 8,
    links: 8,
    reasons: 10,
    eventNames: 25,
    resourcesPerSample: 5,
    resourcesPerOperation: 6,
    contextValues: 10,
    text: 4000,
  },
  {
    eventIds: 5,
    samples: 1,
    citations: 3,
    contextAnswers: 4,
    steps: 5,
    questions: 4,
    links: 4,
    reasons: 5,
    eventNames: 10,
    resourcesPerSample: 2,
    resourcesPerOperation: 4,
    contextValues: 5,
    text: 1500,
  },
  // The resources of the top operations stay longest: they are what a responder goes to check.
  {
    eventIds: 1,
    samples: 0,
    citations: 1,
    contextAnswers: 1,
    steps: 3,
    questions: 2,
    links: 2,
    reasons: 2,
    eventNames: 3,
    resourcesPerSample: 0,
    resourcesPerOperation: 3,
    contextValues: 2,
    text: 400,
  },
  {
    eventIds: 1,
    samples: 0,
    citations: 0,
    contextAnswers: 0,
    steps: 1,
    questions: 0,
    links: 0,
    reasons: 1,
    eventNames: 1,
    resourcesPerSample: 0,
    resourcesPerOperation: 2,
    contextValues: 0,
    text: 120,
  },
];

function topEventNames(eventNames: Alert['eventNames'], keep: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(eventNames)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, keep),
  );
}

/** The last `n` items (`slice(-0)` would keep them all). */
function lastN<T>(list: readonly T[], n: number): T[] {
  return n <= 0 ? [] : list.slice(-n);
}

/** The alert shortened to `level`; `truncated` says whether anything was actually dropped. */
export function trimAlert(alert: Alert, level: TrimLevel): { alert: Alert; truncated: boolean } {
  const { enrichment, context } = alert;
  const eventNames = topEventNames(alert.eventNames, level.eventNames);
  const trimmed: Alert = {
    ...alert,
    description: capLength(alert.description, level.text),
    eventIds: lastN(alert.eventIds, level.eventIds),
    eventNames,
    ...(alert.resources !== undefined
      ? {
          resources: alert.resources
            .filter((operation) => Object.hasOwn(eventNames, operation.eventName))
            .map((operation) => ({
              ...operation,
              resources: operation.resources.slice(0, level.resourcesPerOperation),
            })),
        }
      : {}),
    reasons: alert.reasons.slice(0, level.reasons),
    steps: alert.steps.slice(0, level.steps),
    questions: alert.questions.slice(0, level.questions),
    links: alert.links.slice(0, level.links),
    // Newest last: keep the most recent samples.
    samples: lastN(alert.samples, level.samples).map((sample) => ({
      ...sample,
      resourceArns: sample.resourceArns.slice(0, level.resourcesPerSample),
      ...(sample.evidence !== undefined ? { evidence: sample.evidence.slice(0, level.resourcesPerOperation) } : {}),
    })),
    ...(enrichment !== undefined
      ? {
          enrichment: {
            ...enrichment,
            ...(enrichment.answer !== undefined ? { answer: capLength(enrichment.answer, level.text) } : {}),
            citations: enrichment.citations.slice(0, level.citations),
          },
        }
      : {}),
    ...(context !== undefined
      ? {
          context: {
            ...context,
            answers: context.answers.slice(0, level.contextAnswers),
            sourceIps: context.sourceIps.slice(0, level.contextValues),
            userAgents: context.userAgents.slice(0, level.contextValues),
          },
        }
      : {}),
  };
  return { alert: trimmed, truncated: shrank(alert, trimmed) };
}

/** Whether trimming dropped anything: compares lengths, never whole documents (alerts can be large). */
function shrank(before: Alert, after: Alert): boolean {
  const sizes = (alert: Alert): number[] => [
    alert.description.length,
    alert.eventIds.length,
    Object.keys(alert.eventNames).length,
    alert.reasons.length,
    alert.steps.length,
    alert.questions.length,
    alert.links.length,
    alert.samples.length,
    alert.samples.reduce((sum, sample) => sum + sample.resourceArns.length + (sample.evidence?.length ?? 0), 0),
    (alert.resources ?? []).reduce((sum, operation) => sum + operation.resources.length, 0),
    alert.enrichment?.answer?.length ?? 0,
    alert.enrichment?.citations.length ?? 0,
    alert.context?.answers.length ?? 0,
    alert.context?.sourceIps.length ?? 0,
    alert.context?.userAgents.length ?? 0,
  ];
  const a = sizes(before);
  return sizes(after).some((size, i) => size !== a[i]);
}
