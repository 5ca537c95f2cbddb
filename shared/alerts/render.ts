/**
 * Renderers of an alert: plain text (email, CLI), a JSON document (machines; also the one JSON
 * line the CLI prints) and an AWS Chatbot custom notification (chat). Every field that an
 * attacker can choose goes through shared/alerts/escape.ts on the way out.
 */
import type { Alert, Enrichment, EventSample, PrincipalContext } from './model';
import type { Principal } from '../events';
import { FIELD_LIMITS, cleanLines, cleanText, markdownCode, markdownText, trustedLink } from './escape';

export interface RenderOptions {
  /** Whether this is the first message of the incident or an update. */
  readonly kind?: 'new' | 'update';
  /** Set when lists were shortened to fit a size limit (see shared/notify/trim.ts). */
  readonly truncated?: boolean;
}

const SEVERITY_EMOJI = {
  INFORMATIONAL: ':information_source:',
  LOW: ':large_blue_circle:',
  MEDIUM: ':large_orange_circle:',
  HIGH: ':red_circle:',
  CRITICAL: ':rotating_light:',
} as const satisfies Record<Alert['severity'], string>;

/** Operation names, most frequent first (ties by name), so the top of the list is what dominated. */
export function rankedEventNames(alert: Alert): [string, number][] {
  return Object.entries(alert.eventNames).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

/** The operation that dominated the incident: the SNS `eventName` attribute. */
export function dominantEventName(alert: Alert): string {
  return rankedEventNames(alert)[0]?.[0] ?? 'unknown';
}

export function titleLine(alert: Alert): string {
  return `[${alert.severity}] ${cleanText(alert.title, FIELD_LIMITS.short)}`;
}

function principalLabel(principal: Principal): string {
  return cleanText(principal.arn ?? principal.key, FIELD_LIMITS.principal);
}

function principalDetails(principal: Principal): string {
  const parts = [
    `type ${cleanText(principal.type, FIELD_LIMITS.short)}`,
    principal.userName !== undefined ? `user ${cleanText(principal.userName, FIELD_LIMITS.principal)}` : undefined,
    principal.accessKeyId !== undefined ? `key ${cleanText(principal.accessKeyId, FIELD_LIMITS.short)}` : undefined,
    principal.sessionIssuerArn !== undefined ? `issuer ${cleanText(principal.sessionIssuerArn, FIELD_LIMITS.arn)}` : undefined,
    principal.onBehalfOfUserId !== undefined ? `on behalf of ${cleanText(principal.onBehalfOfUserId, FIELD_LIMITS.principal)}` : undefined,
    principal.invokedBy !== undefined ? `invoked by ${cleanText(principal.invokedBy, FIELD_LIMITS.short)}` : undefined,
    principal.mfaAuthenticated !== undefined ? `MFA ${principal.mfaAuthenticated ? 'yes' : 'no'}` : undefined,
  ];
  return parts.filter((part): part is string => part !== undefined).join(', ');
}

function sampleLine(sample: EventSample): string {
  const parts = [
    cleanText(sample.eventTime, FIELD_LIMITS.short),
    cleanText(sample.eventName, FIELD_LIMITS.eventName),
    `id=${cleanText(sample.eventId, FIELD_LIMITS.short)}`,
    sample.errorCode !== undefined ? `error=${cleanText(sample.errorCode, FIELD_LIMITS.short)}` : undefined,
    sample.sourceIp !== undefined ? `ip=${cleanText(sample.sourceIp, FIELD_LIMITS.sourceIp)}` : undefined,
    sample.userAgent !== undefined ? `ua="${cleanText(sample.userAgent, FIELD_LIMITS.userAgent)}"` : undefined,
    sample.resourceArns.length > 0 ? `resources=${sample.resourceArns.map((arn) => cleanText(arn, FIELD_LIMITS.arn)).join(' ')}` : undefined,
  ];
  return parts.filter((part): part is string => part !== undefined).join(' ');
}

function enrichmentHeading(enrichment: Enrichment): string {
  const details = [
    enrichment.source !== undefined ? cleanText(enrichment.source, FIELD_LIMITS.short) : undefined,
    enrichment.cached === true ? 'cached' : undefined,
    enrichment.answeredAt !== undefined ? `answered ${cleanText(enrichment.answeredAt, FIELD_LIMITS.short)}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return details.length > 0 ? ` (${details.join(', ')})` : '';
}

function enrichmentFailure(enrichment: Enrichment): string {
  const reason = enrichment.reason !== undefined ? `: ${cleanText(enrichment.reason, FIELD_LIMITS.sentence)}` : '';
  return `no answer (${enrichment.status}${reason})`;
}

function contextHeading(context: PrincipalContext): string {
  const partial = context.complete ? '' : `, partial${context.note !== undefined ? `: ${cleanText(context.note, FIELD_LIMITS.sentence)}` : ''}`;
  return `Principal activity (last ${context.windowHours} h${partial})`;
}

function contextFacts(context: PrincipalContext): string[] {
  return [
    context.firstSeen !== undefined ? `First seen: ${cleanText(context.firstSeen, FIELD_LIMITS.short)}` : undefined,
    context.sourceIps.length > 0 ? `Source IPs: ${context.sourceIps.map((ip) => cleanText(ip, FIELD_LIMITS.sourceIp)).join(', ')}` : undefined,
    context.userAgents.length > 0
      ? `User agents: ${context.userAgents.map((ua) => `"${cleanText(ua, FIELD_LIMITS.userAgent)}"`).join(', ')}`
      : undefined,
  ].filter((line): line is string => line !== undefined);
}

const indent = (lines: readonly string[], prefix = '  '): string[] => lines.map((line) => `${prefix}${line}`);

function section(heading: string, lines: readonly string[]): string[] {
  return lines.length > 0 ? ['', `${heading}:`, ...indent(lines)] : [];
}

function definedEntries<T>(record: Record<string, T | undefined>): Record<string, T> {
  // A loop, not fromEntries(entries().filter()): it runs for every sample and step of every alert.
  const defined: Record<string, T> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined;
}

const clean = (limit: number) => (value: string): string => cleanText(value, limit);
const cleanOptional = (value: string | undefined, limit: number): string | undefined => (value === undefined ? undefined : cleanText(value, limit));

/**
 * Every alert of a rule shares its playbook steps, questions and links (one array per rule: see
 * alerts/builder.ts), so each renderer renders each shared list once. Lists built per alert, or read back
 * from the state store, leave the memo with their alert: it holds them weakly.
 */
function memoized<T, R>(memo: WeakMap<readonly T[], readonly R[]>, list: readonly T[], render: (item: T, index: number) => R): readonly R[] {
  let rendered = memo.get(list);
  if (rendered === undefined) memo.set(list, (rendered = Object.freeze(list.map(render))));
  return rendered;
}

type Step = Alert['steps'][number];
// Both renderers: links are cleaned the same way for text and JSON.
const cleanedLinks = new WeakMap<readonly string[], readonly string[]>();
// Text (renderText)
const stepLines = new WeakMap<readonly Step[], readonly string[]>();
const questionLines = new WeakMap<readonly string[], readonly string[]>();
const stepLine = (step: Step, i: number): string =>
  `${i + 1}. ${cleanText(step.text, FIELD_LIMITS.sentence)}${step.link !== undefined ? ` <${cleanText(step.link, FIELD_LIMITS.arn)}>` : ''}`;
// JSON (renderJson)
const cleanedSteps = new WeakMap<readonly Step[], readonly { text: string; link?: string }[]>();
const cleanedQuestions = new WeakMap<readonly string[], readonly string[]>();
const cleanStep = (step: Step): { text: string; link?: string } =>
  definedEntries({ text: cleanText(step.text, FIELD_LIMITS.sentence), link: cleanOptional(step.link, FIELD_LIMITS.arn) }) as { text: string; link?: string };

/** Readable text for email and the terminal. */
export function renderText(alert: Alert, options: RenderOptions = {}): string {
  const { enrichment, context } = alert;
  const lines: string[] = [
    `${titleLine(alert)}${options.kind === 'update' ? ` (update ${alert.updates})` : ''}`,
    `Rule: ${cleanText(alert.rule, FIELD_LIMITS.short)} | Category: ${alert.category} | Phase: ${alert.phase}`,
    `Principal: ${principalLabel(alert.principal)} (${principalDetails(alert.principal)})`,
    `Account/Region: ${cleanText(alert.account, FIELD_LIMITS.short)} / ${cleanText(alert.region, FIELD_LIMITS.short)}`,
    `Time: ${cleanText(alert.firstSeen, FIELD_LIMITS.short)} to ${cleanText(alert.lastSeen, FIELD_LIMITS.short)}`,
    `Events: ${alert.count} | Updates: ${alert.updates}${alert.paged ? ' | Paged' : ''}`,
    `Alert id: ${cleanText(alert.id, FIELD_LIMITS.short)}`,
    '',
    cleanText(alert.description, FIELD_LIMITS.sentence),
    ...section('Why', alert.reasons.map((reason) => `- ${cleanText(reason, FIELD_LIMITS.sentence)}`)),
    ...section('Operations', rankedEventNames(alert).map(([name, n]) => `${cleanText(name, FIELD_LIMITS.eventName)} x${n}`)),
    ...section('Recent events (newest last)', alert.samples.map((sample) => `- ${sampleLine(sample)}`)),
    ...section('Response steps', memoized(stepLines, alert.steps, stepLine)),
    ...section('Analysis questions', memoized(questionLines, alert.questions, (question) => `- ${cleanText(question, FIELD_LIMITS.sentence)}`)),
  ];
  if (enrichment !== undefined) {
    if (enrichment.status === 'answered' && enrichment.answer !== undefined) {
      const citations = enrichment.citations.map(
        (citation, i) => `[${i + 1}] ${cleanText(citation.title, FIELD_LIMITS.sentence)}${citation.url !== undefined ? ` <${cleanText(citation.url, FIELD_LIMITS.arn)}>` : ''}`,
      );
      lines.push('', `Playbook assistant${enrichmentHeading(enrichment)}:`, ...indent(cleanLines(enrichment.answer)));
      if (citations.length > 0) lines.push('  Sources:', ...indent(citations, '    '));
    } else lines.push('', `Playbook assistant: ${enrichmentFailure(enrichment)}`);
  }
  if (context !== undefined) {
    const answers = context.answers.flatMap(({ question, answer }) => [
      `Q: ${cleanText(question, FIELD_LIMITS.sentence)}`,
      `A: ${cleanText(answer, FIELD_LIMITS.sentence)}`,
    ]);
    lines.push('', `${contextHeading(context)}:`, ...indent([...answers, ...contextFacts(context)]));
  }
  lines.push(...section('Links', memoized(cleanedLinks, alert.links, clean(FIELD_LIMITS.arn))));
  lines.push(...section(`Event ids (${alert.eventIds.length} of ${alert.count})`, [alert.eventIds.map((id) => cleanText(id, FIELD_LIMITS.short)).join(' ')]));
  if (options.truncated === true) lines.push('', 'Note: lists were shortened to fit the message size limit.');
  return lines.join('\n');
}

/** The machine document: the same shape on SNS (sqs/lambda/firehose) and in `q-triage replay --json`. */
export interface AlertDocument {
  readonly type: 'alert';
  readonly kind?: 'new' | 'update';
  readonly alertId: string;
  readonly severity: Alert['severity'];
  readonly category: Alert['category'];
  readonly rule: string;
  readonly title: string;
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
  readonly reasons: string[];
  /** Shared by the documents of one rule's alerts (frozen): read them, do not change them. */
  readonly steps: readonly { readonly text: string; readonly link?: string }[];
  readonly questions: readonly string[];
  readonly links: readonly string[];
  readonly samples: Record<string, string | string[]>[];
  readonly paged: boolean;
  readonly enrichment?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
  readonly truncated: boolean;
}

/** A JSON-safe document for machines; attacker-controlled strings are cleaned and capped here too. */
export function renderJson(alert: Alert, options: RenderOptions = {}): AlertDocument {
  const { principal, enrichment, context } = alert;
  return {
    type: 'alert',
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    alertId: cleanText(alert.id, FIELD_LIMITS.short),
    severity: alert.severity,
    category: alert.category,
    rule: cleanText(alert.rule, FIELD_LIMITS.short),
    title: cleanText(alert.title, FIELD_LIMITS.short),
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
    eventNames: Object.fromEntries(rankedEventNames(alert).map(([name, n]) => [cleanText(name, FIELD_LIMITS.eventName), n])),
    reasons: alert.reasons.map(clean(FIELD_LIMITS.sentence)),
    steps: memoized(cleanedSteps, alert.steps, cleanStep),
    questions: memoized(cleanedQuestions, alert.questions, clean(FIELD_LIMITS.sentence)),
    links: memoized(cleanedLinks, alert.links, clean(FIELD_LIMITS.arn)),
    samples: alert.samples.map((sample) =>
      definedEntries<string | string[]>({
        eventId: cleanText(sample.eventId, FIELD_LIMITS.short),
        eventName: cleanText(sample.eventName, FIELD_LIMITS.eventName),
        eventTime: cleanText(sample.eventTime, FIELD_LIMITS.short),
        errorCode: cleanOptional(sample.errorCode, FIELD_LIMITS.short),
        sourceIp: cleanOptional(sample.sourceIp, FIELD_LIMITS.sourceIp),
        userAgent: cleanOptional(sample.userAgent, FIELD_LIMITS.userAgent),
        resourceArns: sample.resourceArns.map(clean(FIELD_LIMITS.arn)),
      }),
    ),
    paged: alert.paged,
    ...(enrichment !== undefined
      ? {
          enrichment: definedEntries<unknown>({
            status: enrichment.status,
            reason: cleanOptional(enrichment.reason, FIELD_LIMITS.sentence),
            answer: enrichment.answer === undefined ? undefined : cleanLines(enrichment.answer).join('\n'),
            citations: enrichment.citations.map((citation) =>
              definedEntries({ title: cleanText(citation.title, FIELD_LIMITS.sentence), url: cleanOptional(citation.url, FIELD_LIMITS.arn) }),
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

/** AWS Chatbot ("Amazon Q Developer in chat applications") custom notification. */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: string[];
    readonly keywords: string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: string[];
    readonly additionalContext: Record<string, string>;
  };
}

/** Our cap on the chat description; chat clients fold long messages and responders stop reading. */
export const CHATBOT_DESCRIPTION_MAX = 4000;
const CHATBOT_NEXT_STEPS_MAX = 5;
const CHATBOT_RESOURCES_MAX = 5;

function markdownLink(title: string, url: string | undefined): string {
  const link = trustedLink(url);
  const label = markdownText(title, FIELD_LIMITS.short);
  return link !== undefined ? `[${label}](${link.replace(/[()\s]/gu, encodeURIComponent)})` : label;
}

function chatbotSample(sample: EventSample): string {
  const parts = [
    markdownText(sample.eventTime, FIELD_LIMITS.short),
    markdownCode(sample.eventName, FIELD_LIMITS.eventName),
    sample.errorCode !== undefined ? `error ${markdownCode(sample.errorCode)}` : undefined,
    sample.sourceIp !== undefined ? `from ${markdownCode(sample.sourceIp, FIELD_LIMITS.sourceIp)}` : undefined,
    sample.userAgent !== undefined ? `UA ${markdownCode(sample.userAgent, FIELD_LIMITS.userAgent)}` : undefined,
    ...sample.resourceArns.slice(0, 2).map((arn) => `on ${markdownCode(arn, FIELD_LIMITS.arn)}`),
  ];
  return `• ${parts.filter((part): part is string => part !== undefined).join(' ')}`;
}

function chatbotEnrichment(enrichment: Enrichment): string[] {
  if (enrichment.status !== 'answered' || enrichment.answer === undefined) {
    return [`*Playbook assistant:* ${markdownText(enrichmentFailure(enrichment))}`];
  }
  const heading = markdownText(enrichmentHeading(enrichment).trim());
  const answer = cleanLines(enrichment.answer, 1500).map((line) => markdownText(line, 1500));
  const sources = enrichment.citations.map((citation, i) => `[${i + 1}] ${markdownLink(citation.title, citation.url)}`);
  return [`*Playbook assistant* ${heading}`, ...answer, ...(sources.length > 0 ? [`_Sources:_ ${sources.join(' · ')}`] : [])];
}

function chatbotContext(context: PrincipalContext): string[] {
  return [
    `*${markdownText(contextHeading(context))}*`,
    ...context.answers.map(({ question, answer }) => `• ${markdownText(question)} ${markdownText(answer)}`),
    ...contextFacts(context).map((fact) => `• ${markdownText(fact)}`),
  ];
}

function fitDescription(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > max - 40) {
      kept.push('_…shortened; the email and JSON messages carry the rest._');
      break;
    }
    kept.push(line);
    size += line.length + 1;
  }
  return kept.join('\n');
}

export function renderChatbot(alert: Alert, options: RenderOptions = {}): ChatbotNotification {
  const { principal, enrichment, context } = alert;
  const update = options.kind === 'update' ? ` (update ${alert.updates})` : '';
  const operations = rankedEventNames(alert)
    .slice(0, 10)
    .map(([name, n]) => `${markdownCode(name, FIELD_LIMITS.eventName)} ×${n}`);
  const lines = [
    `*Principal:* ${markdownCode(principal.arn ?? principal.key, FIELD_LIMITS.principal)} (${markdownText(principal.type, FIELD_LIMITS.short)})`,
    `*Account / Region:* ${markdownCode(alert.account)} / ${markdownCode(alert.region)}`,
    `*When:* ${markdownText(alert.firstSeen, FIELD_LIMITS.short)} → ${markdownText(alert.lastSeen, FIELD_LIMITS.short)} · *Events:* ${alert.count} · *Updates:* ${alert.updates}`,
    `*Rule:* ${markdownCode(alert.rule)} · *Category:* ${alert.category}`,
    markdownText(alert.description),
    ...(operations.length > 0 ? [`*Operations:* ${operations.join(', ')}`] : []),
    ...alert.reasons.map((reason) => `• ${markdownText(reason)}`),
    ...(alert.samples.length > 0 ? ['*Recent events:*', ...alert.samples.map(chatbotSample)] : []),
    ...(enrichment !== undefined ? chatbotEnrichment(enrichment) : []),
    ...(alert.questions.length > 0 ? ['*Questions to answer:*', ...alert.questions.map((question) => `• ${markdownText(question)}`)] : []),
    ...(context !== undefined ? chatbotContext(context) : []),
    ...(options.truncated === true ? ['_Lists were shortened to fit the message size limit._'] : []),
  ];
  const resources = [...new Set(alert.samples.flatMap((sample) => sample.resourceArns))].slice(0, CHATBOT_RESOURCES_MAX);
  return {
    version: '1.0',
    source: 'custom',
    id: `${cleanText(alert.id, FIELD_LIMITS.short)}-${alert.updates}`,
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_EMOJI[alert.severity]} ${alert.severity}: ${markdownText(alert.title, FIELD_LIMITS.short)}${update}`,
      description: fitDescription(lines, CHATBOT_DESCRIPTION_MAX),
      nextSteps: alert.steps.slice(0, CHATBOT_NEXT_STEPS_MAX).map((step) => markdownText(step.text)),
      keywords: [alert.severity, alert.category, markdownText(alert.rule, 64), markdownText(alert.account, 32)],
    },
    metadata: {
      // One thread per incident: updates land under the first message.
      threadId: cleanText(alert.id, FIELD_LIMITS.short),
      summary: cleanText(titleLine(alert), FIELD_LIMITS.short + 20),
      eventType: cleanText(alert.rule, FIELD_LIMITS.short),
      relatedResources: resources.map((arn) => cleanText(arn, FIELD_LIMITS.arn)),
      additionalContext: {
        alertId: cleanText(alert.id, FIELD_LIMITS.short),
        severity: alert.severity,
        category: alert.category,
        rule: cleanText(alert.rule, FIELD_LIMITS.short),
        account: cleanText(alert.account, FIELD_LIMITS.short),
        region: cleanText(alert.region, FIELD_LIMITS.short),
        principal: cleanText(principal.key, FIELD_LIMITS.principal),
        count: String(alert.count),
        updates: String(alert.updates),
      },
    },
  };
}
