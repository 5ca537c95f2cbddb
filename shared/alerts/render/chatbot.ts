/** AWS Chatbot ("Amazon Q Developer in chat applications") custom notification of an alert. */
import type { Alert, Enrichment, EventSample, PrincipalContext } from '../model';
import type { EvidenceItem } from '../../events';
import { FIELD_LIMITS, cleanLines, cleanText, markdownCode, markdownText, trustedLink } from '../escape';
import { eventLinks } from '../event-links';
import {
  ENRICHMENT_FOLLOWS,
  contextFacts,
  contextHeading,
  enrichmentFailure,
  enrichmentHeading,
  headline,
  messageLabel,
  rankedEventNames,
  resourcesOf,
  statusSentence,
  titleLine,
  type RenderOptions,
} from './common';

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

const SEVERITY_EMOJI = {
  INFORMATIONAL: ':information_source:',
  LOW: ':large_blue_circle:',
  MEDIUM: ':large_orange_circle:',
  HIGH: ':red_circle:',
  CRITICAL: ':rotating_light:',
} as const satisfies Record<Alert['severity'], string>;

/** Our cap on the chat description; chat clients fold long messages and responders stop reading. */
export const CHATBOT_DESCRIPTION_MAX = 4000;
const CHATBOT_NEXT_STEPS_MAX = 5;
const CHATBOT_RESOURCES_MAX = 5;
const CHATBOT_OPERATIONS_MAX = 10;

function markdownLink(title: string, url: string | undefined): string {
  const link = trustedLink(url);
  const label = markdownText(title, FIELD_LIMITS.short);
  return link !== undefined ? `[${label}](${link.replace(/[()\s]/gu, encodeURIComponent)})` : label;
}

const markdownEvidence = (item: EvidenceItem): string =>
  item.kind === 'more'
    ? markdownText(item.value, FIELD_LIMITS.short)
    : `${markdownText(item.kind, FIELD_LIMITS.short)} ${markdownCode(item.value, FIELD_LIMITS.arn)}`;

function chatbotSample(sample: EventSample): string {
  const links = eventLinks(sample.eventId, sample.region, sample.dataEvent);
  const parts = [
    markdownText(sample.eventTime, FIELD_LIMITS.short),
    markdownCode(sample.eventName, FIELD_LIMITS.eventName),
    sample.errorCode !== undefined ? `error ${markdownCode(sample.errorCode)}` : undefined,
    sample.sourceIp !== undefined ? `from ${markdownCode(sample.sourceIp, FIELD_LIMITS.sourceIp)}` : undefined,
    sample.userAgent !== undefined ? `UA ${markdownCode(sample.userAgent, FIELD_LIMITS.userAgent)}` : undefined,
    ...sample.resourceArns.slice(0, 2).map((arn) => `on ${markdownCode(arn, FIELD_LIMITS.arn)}`),
    links !== undefined ? markdownLink('record', links.console) : undefined,
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
  return [
    `*Playbook assistant* ${heading}`,
    ...answer,
    ...(sources.length > 0 ? [`_Sources:_ ${sources.join(' · ')}`] : []),
  ];
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
  const update = messageLabel(alert, options.kind);
  const status = statusSentence(alert, options.kind);
  const operations = rankedEventNames(alert)
    .slice(0, CHATBOT_OPERATIONS_MAX)
    .map(([name, n]) => {
      const resources = resourcesOf(alert, name).map(markdownEvidence);
      return `• ${markdownCode(name, FIELD_LIMITS.eventName)} ×${n}${resources.length > 0 ? `: ${resources.join(', ')}` : ''}`;
    });
  const lines = [
    ...(status !== undefined ? [`*${markdownText(status, FIELD_LIMITS.sentence)}*`] : []),
    // The headline is cleaned text: as running text it needs the markdown escaping too.
    markdownText(headline(alert), FIELD_LIMITS.sentence),
    `*Principal:* ${markdownCode(principal.arn ?? principal.key, FIELD_LIMITS.principal)} (${markdownText(principal.type, FIELD_LIMITS.short)})`,
    `*Account / Region:* ${markdownCode(alert.account)} / ${markdownCode(alert.region)}`,
    `*When:* ${markdownText(alert.firstSeen, FIELD_LIMITS.short)} → ${markdownText(alert.lastSeen, FIELD_LIMITS.short)} · *Events:* ${alert.count} · *Updates:* ${alert.updates}`,
    `*Rule:* ${markdownCode(alert.rule)} · *Category:* ${alert.category}`,
    markdownText(alert.description),
    ...(operations.length > 0 ? ['*Operations:*', ...operations] : []),
    ...alert.reasons.map((reason) => `• ${markdownText(reason)}`),
    ...(alert.samples.length > 0 ? ['*Recent events:*', ...alert.samples.map(chatbotSample)] : []),
    ...(alert.enrichmentFollows === true ? [`_${markdownText(ENRICHMENT_FOLLOWS)}_`] : []),
    ...(enrichment !== undefined ? chatbotEnrichment(enrichment) : []),
    ...(alert.questions.length > 0
      ? ['*Questions to answer:*', ...alert.questions.map((question) => `• ${markdownText(question)}`)]
      : []),
    ...(context !== undefined ? chatbotContext(context) : []),
    ...(options.truncated === true ? ['_Lists were shortened to fit the message size limit._'] : []),
  ];
  const evidenceArns = (alert.resources ?? []).flatMap((operation) =>
    operation.resources.filter((item) => item.kind.endsWith('ARN') || item.kind === 'role').map((item) => item.value),
  );
  const resources = [...new Set([...alert.samples.flatMap((sample) => sample.resourceArns), ...evidenceArns])].slice(
    0,
    CHATBOT_RESOURCES_MAX,
  );
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
