/** The machine document: the same shape on SNS (sqs/lambda/firehose) and in `q-triage replay --format json`. */
import type { Alert, Escalation, EventSample } from '../model';
import type { EvidenceItem } from '../../events';
import type { PublishKind } from '../../notify/types';
import { FIELD_LIMITS, cleanLines, cleanText } from '../escape';
import { eventLinks } from '../event-links';
import {
  clean,
  cleanLinks,
  cleanOptional,
  definedEntries,
  headline,
  rankedEventNames,
  statusSentence,
  type RenderOptions,
} from './common';

export interface EvidenceDocument {
  readonly kind: string;
  readonly value: string;
}

export interface AlertDocument {
  readonly type: 'alert';
  readonly kind?: PublishKind;
  readonly alertId: string;
  readonly severity: Alert['severity'];
  readonly category: Alert['category'];
  readonly rule: string;
  readonly title: string;
  /** One line: how bad, who, did what, to which resource, where, when. */
  readonly headline: string;
  readonly description: string;
  readonly phase: Alert['phase'];
  /** The principal key: the grouping identity. Details are in `principalDetail`. */
  readonly principal: string;
  readonly principalDetail: Record<string, string | boolean>;
  readonly account: string;
  readonly region: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly updates: number;
  readonly eventIds: string[];
  readonly eventNames: Record<string, number>;
  /** Per operation, in the order the incident first saw it, the resources its events touched. */
  readonly resources: { readonly eventName: string; readonly resources: EvidenceDocument[] }[];
  readonly reasons: string[];
  /** Shared by the documents of one rule's alerts (frozen): read them, do not change them. */
  readonly steps: readonly { readonly text: string; readonly link?: string }[];
  readonly questions: readonly string[];
  readonly links: readonly string[];
  readonly samples: Record<string, string | boolean | string[] | EvidenceDocument[]>[];
  readonly paged: boolean;
  /** Present (true) on a message sent before its answer and context: a message of kind `enrichment` for this alertId follows. */
  readonly enrichmentFollows?: true;
  /** The closing message of the incident: when it closed (wall clock). */
  readonly closedAt?: string;
  /** The incident's latest rise in severity (`update` left out: `status` says whether this message announces it). */
  readonly escalation?: Omit<Escalation, 'update'>;
  /** The rise that paged, or the close, in one sentence: only on the message that announces it. */
  readonly status?: string;
  readonly enrichment?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
  readonly truncated: boolean;
}

type Step = Alert['steps'][number];
const cleanStep = (step: Step): { text: string; link?: string } =>
  definedEntries({
    text: cleanText(step.text, FIELD_LIMITS.sentence),
    link: cleanOptional(step.link, FIELD_LIMITS.arn),
  }) as { text: string; link?: string };

const evidenceDocument = (item: EvidenceItem): EvidenceDocument => ({
  kind: cleanText(item.kind, FIELD_LIMITS.short),
  value: cleanText(item.value, FIELD_LIMITS.arn),
});

function sampleDocument(sample: EventSample): Record<string, string | boolean | string[] | EvidenceDocument[]> {
  const links = eventLinks(sample.eventId, sample.region, sample.dataEvent);
  return definedEntries<string | boolean | string[] | EvidenceDocument[]>({
    eventId: cleanText(sample.eventId, FIELD_LIMITS.short),
    eventName: cleanText(sample.eventName, FIELD_LIMITS.eventName),
    eventTime: cleanText(sample.eventTime, FIELD_LIMITS.short),
    region: cleanOptional(sample.region, FIELD_LIMITS.short),
    dataEvent: sample.dataEvent,
    errorCode: cleanOptional(sample.errorCode, FIELD_LIMITS.short),
    sourceIp: cleanOptional(sample.sourceIp, FIELD_LIMITS.sourceIp),
    userAgent: cleanOptional(sample.userAgent, FIELD_LIMITS.userAgent),
    resourceArns: sample.resourceArns.map(clean(FIELD_LIMITS.arn)),
    evidence: sample.evidence?.map(evidenceDocument),
    consoleUrl: links?.console,
    lookupCommand: links?.lookupCommand,
  });
}

/** A JSON-safe document for machines; attacker-controlled strings are cleaned and capped here too. */
export function renderJson(alert: Alert, options: RenderOptions = {}): AlertDocument {
  const { principal, enrichment, context } = alert;
  const ranked = rankedEventNames(alert);
  const status = statusSentence(alert, options.kind);
  return {
    type: 'alert',
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    alertId: cleanText(alert.id, FIELD_LIMITS.short),
    severity: alert.severity,
    category: alert.category,
    rule: cleanText(alert.rule, FIELD_LIMITS.short),
    title: cleanText(alert.title, FIELD_LIMITS.short),
    headline: headline(alert),
    description: cleanText(alert.description, FIELD_LIMITS.sentence),
    phase: alert.phase,
    principal: cleanText(principal.key, FIELD_LIMITS.principal),
    principalDetail: definedEntries<string | boolean>({
      type: cleanText(principal.type, FIELD_LIMITS.short),
      arn: cleanOptional(principal.arn, FIELD_LIMITS.principal),
      accountId: cleanOptional(principal.accountId, FIELD_LIMITS.short),
      userName: cleanOptional(principal.userName, FIELD_LIMITS.principal),
      accessKeyId: cleanOptional(principal.accessKeyId, FIELD_LIMITS.short),
      sessionIssuerArn: cleanOptional(principal.sessionIssuerArn, FIELD_LIMITS.arn),
      invokedBy: cleanOptional(principal.invokedBy, FIELD_LIMITS.short),
      onBehalfOfUserId: cleanOptional(principal.onBehalfOfUserId, FIELD_LIMITS.principal),
      mfaAuthenticated: principal.mfaAuthenticated,
    }),
    account: cleanText(alert.account, FIELD_LIMITS.short),
    region: cleanText(alert.region, FIELD_LIMITS.short),
    firstSeen: cleanText(alert.firstSeen, FIELD_LIMITS.short),
    lastSeen: cleanText(alert.lastSeen, FIELD_LIMITS.short),
    count: alert.count,
    updates: alert.updates,
    eventIds: alert.eventIds.map(clean(FIELD_LIMITS.short)),
    eventNames: Object.fromEntries(ranked.map(([name, n]) => [cleanText(name, FIELD_LIMITS.eventName), n])),
    resources: (alert.resources ?? [])
      .filter((operation) => Object.hasOwn(alert.eventNames, operation.eventName))
      .map((operation) => ({
        eventName: cleanText(operation.eventName, FIELD_LIMITS.eventName),
        resources: operation.resources.map(evidenceDocument),
      })),
    reasons: alert.reasons.map(clean(FIELD_LIMITS.sentence)),
    steps: alert.steps.map(cleanStep),
    questions: alert.questions.map(clean(FIELD_LIMITS.sentence)),
    links: cleanLinks(alert.links),
    samples: alert.samples.map(sampleDocument),
    paged: alert.paged,
    ...(alert.enrichmentFollows === true ? { enrichmentFollows: true as const } : {}),
    ...(alert.closedAt !== undefined ? { closedAt: cleanText(alert.closedAt, FIELD_LIMITS.short) } : {}),
    ...(alert.escalation !== undefined
      ? {
          escalation: {
            from: alert.escalation.from,
            to: alert.escalation.to,
            by: cleanText(alert.escalation.by, FIELD_LIMITS.eventName),
            rule: cleanText(alert.escalation.rule, FIELD_LIMITS.short),
            at: cleanText(alert.escalation.at, FIELD_LIMITS.short),
          },
        }
      : {}),
    // What this message is (the page of a rise, the close), as the text and chat bodies say it.
    ...(status !== undefined ? { status } : {}),
    ...(enrichment !== undefined
      ? {
          enrichment: definedEntries<unknown>({
            status: enrichment.status,
            reason: cleanOptional(enrichment.reason, FIELD_LIMITS.sentence),
            answer: enrichment.answer === undefined ? undefined : cleanLines(enrichment.answer).join('\n'),
            citations: enrichment.citations.map((citation) =>
              definedEntries({
                title: cleanText(citation.title, FIELD_LIMITS.sentence),
                url: cleanOptional(citation.url, FIELD_LIMITS.arn),
              }),
            ),
            source: cleanOptional(enrichment.source, FIELD_LIMITS.short),
            answeredAt: cleanOptional(enrichment.answeredAt, FIELD_LIMITS.short),
            cached: enrichment.cached,
          }),
        }
      : {}),
    ...(context !== undefined
      ? {
          context: definedEntries<unknown>({
            windowHours: context.windowHours,
            complete: context.complete,
            note: cleanOptional(context.note, FIELD_LIMITS.sentence),
            answers: context.answers.map(({ question, answer }) => ({
              question: cleanText(question, FIELD_LIMITS.sentence),
              answer: cleanText(answer, FIELD_LIMITS.sentence),
            })),
            firstSeen: cleanOptional(context.firstSeen, FIELD_LIMITS.short),
            sourceIps: context.sourceIps.map(clean(FIELD_LIMITS.sourceIp)),
            userAgents: context.userAgents.map(clean(FIELD_LIMITS.userAgent)),
          }),
        }
      : {}),
    truncated: options.truncated === true,
  };
}
