/** Builds and grows alerts from classified events. Pure functions: the pipeline owns state and time. */
import { evidenceOf, type EvidenceItem, type TriageEvent } from '../events';
import { stableId } from '../ids';
import { CATEGORY_INFO } from '../playbook/categories';
import type { AlertTranslator } from '../playbook/translate';
import type { Category, Phase, PlaybookRow, ResponseStep, Severity } from '../playbook/types';
import { maxSeverity, severityRank } from '../playbook/types';
import type { Classification } from '../classify/classify';
import type { BurstRule } from '../classify/policy';
import {
  MAX_EVENT_IDS,
  MAX_OPERATIONS_WITH_RESOURCES,
  MAX_RESOURCES_PER_KIND,
  MAX_RESOURCES_PER_OPERATION,
  MAX_SAMPLES,
  MAX_STEPS,
  type Alert,
  type EventSample,
  type OperationEvidence,
  type StepGroup,
} from './model';

/** What an incident is about: one playbook row (or unknown operation), or one stateful rule. */
export interface AlertSubject {
  readonly rule: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly phase: Phase;
  readonly title: string;
  readonly description: string;
  readonly steps: readonly ResponseStep[];
  /** The analysis questions, when not the category's own (English) ones. */
  readonly questions?: readonly string[];
  readonly reasons: readonly string[];
}

/** The operation's texts in the alert locale: the playbook's description, and our titles, steps and questions. */
export interface LocalizedSubject {
  readonly description?: string;
  readonly translator?: AlertTranslator;
}

/**
 * A row's steps followed by its category's, one array per row and category: every alert of a rule then shares
 * its steps (and links) with the others, instead of holding a copy (replay keeps thousands of alerts).
 */
const stepsByRow = new WeakMap<PlaybookRow, Map<Category, readonly ResponseStep[]>>();
function stepsOf(row: PlaybookRow | undefined, category: Category): readonly ResponseStep[] {
  const categorySteps = CATEGORY_INFO[category].steps;
  if (row === undefined) return categorySteps;
  let byCategory = stepsByRow.get(row);
  if (byCategory === undefined) stepsByRow.set(row, (byCategory = new Map()));
  let steps = byCategory.get(category);
  if (steps === undefined) byCategory.set(category, (steps = Object.freeze([...row.steps, ...categorySteps])));
  return steps;
}

export function subjectOfEvent(
  event: TriageEvent,
  classification: Classification,
  localized?: LocalizedSubject,
): AlertSubject {
  const info = CATEGORY_INFO[classification.category];
  const translator = localized?.translator;
  const denied = classification.authFailure ? `${translator?.denied ?? 'Denied'} ` : '';
  const steps = stepsOf(classification.row, classification.category);
  return {
    rule: classification.rule,
    severity: classification.severity,
    category: classification.category,
    phase: classification.phase,
    // The category names what was touched; a playbook section heading does not ("Creating an index" holds DeleteIndex).
    title: `${denied}${event.eventName} (${translator?.categoryTitle(classification.category) ?? info.title})`,
    description:
      localized?.description ??
      classification.row?.description ??
      `${event.eventName} is an Amazon Q operation that the playbook table does not know yet; review it and update the playbook table.`,
    steps: translator === undefined ? steps : translator.steps(steps),
    ...(translator !== undefined ? { questions: translator.questions(info.questions) } : {}),
    reasons: classification.reasons,
  };
}

/** A burst's subject, in the alert locale when a translator is given (title, description, steps, questions; reasons stay English). */
export function subjectOfBurst(
  rule: BurstRule,
  count: number,
  windowMs: number,
  translator?: AlertTranslator,
): AlertSubject {
  const info = CATEGORY_INFO[rule.category];
  const minutes = Math.round(windowMs / 60_000);
  return {
    rule: rule.id,
    severity: rule.severity,
    category: rule.category,
    phase: 'detection-analysis',
    title: translator?.burstTitle(rule.title) ?? rule.title,
    description:
      translator?.burstDescription(count, minutes, rule.threshold) ??
      `${count} matching calls from one principal within ${minutes} minutes (threshold ${rule.threshold}).`,
    steps: translator === undefined ? info.steps : translator.steps(info.steps),
    ...(translator !== undefined ? { questions: translator.questions(info.questions) } : {}),
    reasons: [`stateful rule ${rule.id}: ${count} ≥ ${rule.threshold} in ${minutes} min`],
  };
}

export function incidentKey(principalKey: string, rule: string): string {
  return `${principalKey}#${rule}`;
}

/** One event as an alert sample; `evidence` when the caller has already read it from the event. */
export function sampleOf(event: TriageEvent, evidence: readonly EvidenceItem[] = evidenceOf(event)): EventSample {
  return {
    eventId: event.eventId,
    eventName: event.eventName,
    eventTime: event.eventTime,
    errorCode: event.errorCode,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
    resourceArns: event.resources.flatMap((resource) => (resource.arn === undefined ? [] : [resource.arn])).slice(0, 5),
    region: event.region,
    dataEvent: event.eventCategory === 'Data',
    evidence,
  };
}

/** Adds an event's resources to its operation's, keeping each operation's list unique and bounded. */
function withResources(
  resources: readonly OperationEvidence[],
  eventName: string,
  evidence: readonly EvidenceItem[],
): readonly OperationEvidence[] {
  const position = resources.findIndex((operation) => operation.eventName === eventName);
  const known = resources[position]?.resources ?? [];
  const perKind = (kind: string, list: readonly EvidenceItem[]): number =>
    list.filter((item) => item.kind === kind).length;
  const added: EvidenceItem[] = [];
  for (const item of evidence) {
    if (item.kind === 'more' || known.some((seen) => seen.kind === item.kind && seen.value === item.value)) continue;
    // The first few of a kind (documents of a 25-call delete): the operation's count says how many there were.
    if (perKind(item.kind, known) + perKind(item.kind, added) < MAX_RESOURCES_PER_KIND) added.push(item);
  }
  if (position >= 0 && added.length === 0) return resources;
  const merged = { eventName, resources: [...known, ...added].slice(0, MAX_RESOURCES_PER_OPERATION) };
  if (position >= 0) return resources.map((operation, i) => (i === position ? merged : operation));
  return resources.length >= MAX_OPERATIONS_WITH_RESOURCES ? resources : [...resources, merged];
}

const linksBySteps = new WeakMap<readonly ResponseStep[], readonly string[]>();
function uniqueLinks(steps: readonly ResponseStep[]): readonly string[] {
  let links = linksBySteps.get(steps);
  if (links === undefined)
    linksBySteps.set(
      steps,
      (links = Object.freeze([...new Set(steps.flatMap((step) => (step.link === undefined ? [] : [step.link])))])),
    );
  return links;
}

export function openAlert(subject: AlertSubject, event: TriageEvent, initialCount = 1): Alert {
  const info = CATEGORY_INFO[subject.category];
  const evidence = evidenceOf(event);
  return {
    id: stableId(incidentKey(event.principal.key, subject.rule), event.eventId),
    severity: subject.severity,
    category: subject.category,
    rule: subject.rule,
    title: subject.title,
    description: subject.description,
    phase: subject.phase,
    principal: event.principal,
    account: event.account,
    region: event.region,
    firstSeen: event.eventTime,
    lastSeen: event.eventTime,
    count: initialCount,
    updates: 0,
    eventIds: [event.eventId],
    eventNames: { [event.eventName]: 1 },
    reasons: subject.reasons,
    steps: subject.steps,
    stepGroups: [{ severity: subject.severity, size: subject.steps.length }],
    questions: subject.questions ?? info.questions,
    links: uniqueLinks(subject.steps),
    samples: [sampleOf(event, evidence)],
    resources: withResources([], event.eventName, evidence),
    paged: false,
  };
}

/**
 * Adds one event to an open incident. An event already in the incident is counted once (redelivery), but can
 * still raise its severity (a burst rule that the same event completed). The incident is headed by its worst
 * subject: a rise takes that subject's rule, title, description and steps.
 */
export function foldEvent(alert: Alert, subject: AlertSubject, event: TriageEvent): Alert {
  const severity = maxSeverity(alert.severity, subject.severity);
  const headed = withSubjectSteps(
    severity === alert.severity ? alert : worstOf(alert, subject, severity, event),
    alert,
    subject,
  );
  if (alert.eventIds.includes(event.eventId)) return headed;
  const eventIds = [...alert.eventIds, event.eventId];
  const evidence = evidenceOf(event);
  const samples = [...alert.samples, sampleOf(event, evidence)];
  return {
    ...headed,
    description:
      subject.rule === headed.rule && subject.severity === severity ? subject.description : headed.description,
    firstSeen: event.eventTime < alert.firstSeen ? event.eventTime : alert.firstSeen,
    lastSeen: event.eventTime > alert.lastSeen ? event.eventTime : alert.lastSeen,
    count: alert.count + 1,
    eventIds: eventIds.length > MAX_EVENT_IDS ? eventIds.slice(-MAX_EVENT_IDS) : eventIds,
    // Own counts only: a forged eventName such as `constructor` would otherwise read Object.prototype's.
    eventNames: {
      ...alert.eventNames,
      [event.eventName]:
        (Object.hasOwn(alert.eventNames, event.eventName) ? (alert.eventNames[event.eventName] ?? 0) : 0) + 1,
    },
    samples: samples.length > MAX_SAMPLES ? samples.slice(-MAX_SAMPLES) : samples,
    resources: withResources(alert.resources ?? [], event.eventName, evidence),
  };
}

function worstOf(alert: Alert, subject: AlertSubject, severity: Severity, event: TriageEvent): Alert {
  return {
    ...alert,
    escalation: { from: alert.severity, to: severity, by: event.eventName, rule: subject.rule, at: event.eventTime },
    severity,
    category: subject.category,
    rule: subject.rule,
    title: subject.title,
    description: subject.description,
    phase: subject.phase,
    // The lesser subjects' reasons stay: an incident is at most one rise per severity long.
    reasons: [...new Set([...subject.reasons, ...alert.reasons])],
    questions: subject.questions ?? CATEGORY_INFO[subject.category].questions,
  };
}

/**
 * The incident's steps with the subject's: its run goes after the runs of subjects at least as severe, and takes
 * its steps out of less severe runs, so the steps are in severity order, each once (by its text); the cap drops
 * the least severe steps first, as SNS trimming does (it keeps the first steps).
 */
function withSubjectSteps(headed: Alert, alert: Alert, subject: AlertSubject): Alert {
  const rank = severityRank(subject.severity);
  let offset = 0;
  const runs = (alert.stepGroups ?? [{ severity: alert.severity, size: alert.steps.length }]).map((group) => {
    const run = { severity: group.severity, steps: alert.steps.slice(offset, offset + group.size) };
    offset += group.size;
    return run;
  });
  const split = runs.findIndex((run) => severityRank(run.severity) < rank);
  const higher = split < 0 ? runs : runs.slice(0, split);
  const seen = new Set(higher.flatMap((run) => run.steps.map((step) => step.text)));
  const own: ResponseStep[] = [];
  for (const step of subject.steps) {
    if (seen.has(step.text)) continue;
    seen.add(step.text);
    own.push(step);
  }
  if (own.length === 0) return headed;
  const lower = (split < 0 ? [] : runs.slice(split))
    .map((run) => ({ severity: run.severity, steps: run.steps.filter((step) => !seen.has(step.text)) }))
    .filter((run) => run.steps.length > 0);
  let room = MAX_STEPS;
  const kept: { severity: Severity; steps: ResponseStep[] }[] = [];
  for (const run of [...higher, { severity: subject.severity, steps: own }, ...lower]) {
    if (room === 0) break;
    kept.push({ severity: run.severity, steps: run.steps.slice(0, room) });
    room -= Math.min(room, run.steps.length);
  }
  const steps = kept.flatMap((run) => run.steps);
  const stepGroups: StepGroup[] = kept.map((run) => ({ severity: run.severity, size: run.steps.length }));
  return { ...headed, steps, stepGroups, links: uniqueLinks(steps) };
}
