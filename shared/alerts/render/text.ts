/**
 * Readable text for email and the terminal. Two forms: `compact` (what a responder acts on: headline, why,
 * operations with their resources, next steps, event ids and where to read them) and `full` (everything the
 * alert holds). Lines are wrapped at `width` at spaces; a link or id longer than a line stays whole.
 */
import type { Alert, EventSample } from '../model';
import { FIELD_LIMITS, cleanLines, cleanText } from '../escape';
import { DATA_EVENT_NOTE, eventLinks } from '../event-links';
import {
  ENRICHMENT_FOLLOWS,
  cleanLinks,
  contextFacts,
  contextHeading,
  enrichmentFailure,
  enrichmentHeading,
  evidenceText,
  headline,
  principalDetails,
  principalLabel,
  rankedEventNames,
  resourcesOf,
  messageLabel,
  statusSentence,
  titleLine,
  type RenderOptions,
} from './common';

export interface TextOptions extends RenderOptions {
  /** `full` (default: email) or `compact` (the terminal, unless --verbose). */
  readonly form?: 'full' | 'compact';
  /** Columns to wrap at. */
  readonly width?: number;
}

export const DEFAULT_TEXT_WIDTH = 100;
/** Steps and event ids the compact form shows; the full form shows them all. */
const COMPACT_STEPS = 3;
const COMPACT_EVENT_IDS = 5;

/** East Asian wide characters: two terminal columns each, and a line may break between any two of them. */
const WIDE_CHAR =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const WIDE_OR_RUN =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+/gu;

/** Terminal columns `text` takes. */
export function columns(text: string): number {
  if (!WIDE_CHAR.test(text)) return text.length;
  let n = 0;
  for (const char of text) n += WIDE_CHAR.test(char) ? 2 : 1;
  return n;
}

/** The pieces a line may break between: words, and each wide character within a word. */
function breakUnits(text: string): { readonly text: string; readonly space: boolean }[] {
  return text
    .split(' ')
    .filter((word) => word !== '')
    .flatMap((word) =>
      WIDE_CHAR.test(word)
        ? (word.match(WIDE_OR_RUN) ?? [word]).map((piece, i) => ({ text: piece, space: i === 0 }))
        : [{ text: word, space: true }],
    );
}

/** Words of `text` on lines of at most `width` columns, the first after `first`, the others after `next`. */
export function wrap(text: string, width: number, first = '', next = first): string[] {
  const lines: string[] = [];
  let line = first;
  let used = columns(first);
  let empty = true;
  for (const unit of breakUnits(text)) {
    const gap = empty || !unit.space ? '' : ' ';
    const size = columns(unit.text);
    if (!empty && used + gap.length + size > width) {
      lines.push(line);
      line = next + unit.text;
      used = columns(next) + size;
    } else {
      line += gap + unit.text;
      used += gap.length + size;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

function section(heading: string, lines: readonly string[]): string[] {
  return lines.length > 0 ? ['', `${heading}:`, ...lines] : [];
}

function stepLines(alert: Alert, count: number, withLinks: boolean, width: number): string[] {
  return alert.steps.slice(0, count).flatMap((step, i) => {
    const text = cleanText(step.text, FIELD_LIMITS.sentence);
    const link = withLinks && step.link !== undefined ? cleanText(step.link, FIELD_LIMITS.arn) : undefined;
    return wrap(link !== undefined ? `${text} <${link}>` : text, width, `  ${i + 1}. `, '     ');
  });
}

/** Each operation with its count and the resources its events touched. */
function operationLines(alert: Alert, width: number): string[] {
  return rankedEventNames(alert).flatMap(([name, n]) => {
    const resources = resourcesOf(alert, name).map(evidenceText);
    const head = `${cleanText(name, FIELD_LIMITS.eventName)} x${n}`;
    return wrap(resources.length > 0 ? `${head}: ${resources.join(', ')}` : head, width, '  ', '      ');
  });
}

/** Where to read an event's record: the console page and the CLI call (split so that it fits a line). */
function eventLinkLines(sample: EventSample, indent: string, width: number): string[] {
  const links = eventLinks(sample.eventId, sample.region, sample.dataEvent);
  if (links === undefined) return sample.dataEvent === true ? wrap(DATA_EVENT_NOTE, width, indent, `${indent}  `) : [];
  const [command, attributes] = links.lookupCommand.split(' --lookup-attributes ');
  return [`${indent}${links.console}`, `${indent}${command} \\`, `${indent}  --lookup-attributes ${attributes}`];
}

/** The ids, and (compact form) where to read the newest record: the full form gives each recent event its links. */
function eventIdLines(alert: Alert, keep: number, width: number, withLinks: boolean): string[] {
  const ids = alert.eventIds.slice(-keep).map((id) => cleanText(id, FIELD_LIMITS.short));
  const shown = ids.length < alert.count ? `${ids.length} of ${alert.count}, newest` : `${alert.count}`;
  const newest = alert.samples.at(-1);
  const links = newest === undefined || !withLinks ? [] : eventLinkLines(newest, '    ', width);
  return [
    '',
    `Events (${shown}):`,
    ...wrap(ids.join(' '), width, '  '),
    ...(newest !== undefined && links.length > 0
      ? [`  The newest, ${cleanText(newest.eventId, FIELD_LIMITS.short)}:`, ...links]
      : []),
  ];
}

function sampleLines(sample: EventSample, width: number): string[] {
  const parts = [
    cleanText(sample.eventTime, FIELD_LIMITS.short),
    cleanText(sample.eventName, FIELD_LIMITS.eventName),
    `id=${cleanText(sample.eventId, FIELD_LIMITS.short)}`,
    sample.errorCode !== undefined ? `error=${cleanText(sample.errorCode, FIELD_LIMITS.short)}` : undefined,
    sample.sourceIp !== undefined ? `ip=${cleanText(sample.sourceIp, FIELD_LIMITS.sourceIp)}` : undefined,
    sample.userAgent !== undefined ? `ua="${cleanText(sample.userAgent, FIELD_LIMITS.userAgent)}"` : undefined,
  ];
  // Samples stored before evidence existed still name their resources' ARNs.
  const touched = (sample.evidence ?? sample.resourceArns.map((arn) => ({ kind: 'ARN', value: arn }))).map(
    evidenceText,
  );
  const text = `${parts.filter((part): part is string => part !== undefined).join(' ')}${touched.length > 0 ? `; on ${touched.join(', ')}` : ''}`;
  return [...wrap(text, width, '  - ', '    '), ...eventLinkLines(sample, '    ', width)];
}

function compactText(alert: Alert, options: TextOptions, width: number): string[] {
  return [
    ...wrap(headline(alert), width, '', '  '),
    ...wrap(alert.reasons.map((reason) => cleanText(reason, FIELD_LIMITS.sentence)).join('; '), width, 'Why: ', '  '),
    ...section('Operations', operationLines(alert, width)),
    ...section('Next steps', stepLines(alert, COMPACT_STEPS, false, width)),
    ...eventIdLines(alert, COMPACT_EVENT_IDS, width, true),
    `Alert ${cleanText(alert.id, FIELD_LIMITS.short)}${options.kind === 'update' ? `, update ${alert.updates}` : ''}${alert.paged ? ', paged' : ''}`,
    ...(alert.enrichmentFollows === true ? wrap(ENRICHMENT_FOLLOWS, width) : []),
  ];
}

function fullText(alert: Alert, width: number): string[] {
  const { enrichment, context } = alert;
  const lines: string[] = [
    ...wrap(headline(alert), width, '', '  '),
    `Rule: ${cleanText(alert.rule, FIELD_LIMITS.short)} | Category: ${alert.category} | Phase: ${alert.phase}`,
    ...wrap(`Principal: ${principalLabel(alert.principal)} (${principalDetails(alert.principal)})`, width, '', '  '),
    `Account/Region: ${cleanText(alert.account, FIELD_LIMITS.short)} / ${cleanText(alert.region, FIELD_LIMITS.short)}`,
    `Time: ${cleanText(alert.firstSeen, FIELD_LIMITS.short)} to ${cleanText(alert.lastSeen, FIELD_LIMITS.short)}`,
    `Events: ${alert.count} | Updates: ${alert.updates}${alert.paged ? ' | Paged' : ''}`,
    `Alert id: ${cleanText(alert.id, FIELD_LIMITS.short)}`,
    '',
    ...wrap(cleanText(alert.description, FIELD_LIMITS.sentence), width),
    ...section(
      'Why',
      alert.reasons.flatMap((reason) => wrap(cleanText(reason, FIELD_LIMITS.sentence), width, '  - ', '    ')),
    ),
    ...section('Operations', operationLines(alert, width)),
    ...section(
      'Recent events (newest last)',
      alert.samples.flatMap((sample) => sampleLines(sample, width)),
    ),
    ...section('Response steps', stepLines(alert, alert.steps.length, true, width)),
    ...section(
      'Analysis questions',
      alert.questions.flatMap((question) => wrap(cleanText(question, FIELD_LIMITS.sentence), width, '  - ', '    ')),
    ),
  ];
  if (alert.enrichmentFollows === true) lines.push('', ...wrap(ENRICHMENT_FOLLOWS, width));
  if (enrichment !== undefined) {
    if (enrichment.status === 'answered' && enrichment.answer !== undefined) {
      const citations = enrichment.citations.map(
        (citation, i) =>
          `    [${i + 1}] ${cleanText(citation.title, FIELD_LIMITS.sentence)}${citation.url !== undefined ? ` <${cleanText(citation.url, FIELD_LIMITS.arn)}>` : ''}`,
      );
      lines.push(
        '',
        `Playbook assistant${enrichmentHeading(enrichment)}:`,
        ...cleanLines(enrichment.answer).flatMap((line) => wrap(line, width, '  ')),
      );
      if (citations.length > 0) lines.push('  Sources:', ...citations);
    } else lines.push('', `Playbook assistant: ${enrichmentFailure(enrichment)}`);
  }
  if (context !== undefined) {
    const answers = context.answers.flatMap(({ question, answer }) => [
      ...wrap(`Q: ${cleanText(question, FIELD_LIMITS.sentence)}`, width, '  ', '     '),
      ...wrap(`A: ${cleanText(answer, FIELD_LIMITS.sentence)}`, width, '  ', '     '),
    ]);
    lines.push(
      '',
      `${contextHeading(context)}:`,
      ...answers,
      ...contextFacts(context).flatMap((fact) => wrap(fact, width, '  ', '    ')),
    );
  }
  // The steps already show their links: only links that no step carries are listed again.
  const stepLinkSet = new Set(alert.steps.map((step) => step.link));
  lines.push(
    ...section(
      'Other links',
      cleanLinks(alert.links.filter((link) => !stepLinkSet.has(link))).map((link) => `  ${link}`),
    ),
  );
  lines.push(...eventIdLines(alert, alert.eventIds.length, width, false));
  return lines;
}

/** The escalation or the close, first: what the reader of a page or a closing message must see. */
function statusLines(alert: Alert, options: TextOptions, width: number): string[] {
  const status = statusSentence(alert, options.kind);
  return status === undefined ? [] : wrap(status, width, '', '  ');
}

/** Readable text for email and the terminal: the title line first, then the form asked for. */
export function renderText(alert: Alert, options: TextOptions = {}): string {
  const width = options.width ?? DEFAULT_TEXT_WIDTH;
  const lines = [
    `${titleLine(alert)}${messageLabel(alert, options.kind)}`,
    ...statusLines(alert, options, width),
    ...(options.form === 'compact' ? compactText(alert, options, width) : fullText(alert, width)),
  ];
  if (options.truncated === true) lines.push('', 'Note: lists were shortened to fit the message size limit.');
  return lines.join('\n');
}
