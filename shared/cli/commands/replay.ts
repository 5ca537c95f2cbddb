/**
 * `q-triage replay`: the Lambda's pipeline over CloudTrail log files, with local adapters
 * (memory state, stdout alerts, local playbooks for enrichment). Stateful rules run in event-time order.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Alert } from '../../alerts/model';
import { cleanText, FIELD_LIMITS } from '../../alerts/escape';
import { DEFAULT_TEXT_WIDTH, principalShortName, wrap } from '../../alerts/render';
import type { Classification } from '../../classify/classify';
import { applyRules } from '../../classify/overrides';
import { parseRulesFile } from '../../classify/rules-file';
import { defaultPolicy, type Policy } from '../../classify/policy';
import { createSelfMatcher, parseSelfPrincipals } from '../../classify/self';
import { systemClock } from '../../clock';
import { createLogger } from '../../logger';
import { CountingMetrics } from '../../metrics';
import { alertTextBlock, createStdoutNotifier, type Notifier } from '../../notify';
import { SEVERITIES, severityRank, type Severity } from '../../playbook/types';
import { directoryPlaybookSource, loadLocalizedText } from '../../playbook/localized-table';
import { MemoryStateStore } from '../../state';
import { createTriage, type Enricher, type InputOutcome, type SettledInput, type TriageInput } from '../../triage';
import { ALERT_LOCALES } from '../../config-core';
import { markdownFiles } from '../../enrich/local-playbooks';
import { ExitCode, UsageError, type CliIo, type Command } from '../command';
import { didYouMean, outputFormat, parseCliArgs } from '../options';
import { fsReason, readInputBatches, STDIN_PATH } from '../input';
import { formatTable, writeJsonLine, writeLines, writeText } from '../output';
import { countFiles, createProgress } from '../progress';
import { errorMessage } from '../../errors';

const USAGE = `Usage: q-triage replay [options] PATH...

Triage CloudTrail activity exactly as the triage Lambda does, locally.
PATH is a file, a directory (read recursively) or - for standard input. Accepted: CloudTrail log
files as delivered to S3 ({"Records":[...]}, .json.gz), JSON lines, JSON arrays, single events,
and SQS event files; each event an EventBridge envelope or a bare CloudTrail record.

Options:
  --format text|json       text (default): a summary, the alert table and the alerts, most severe
                           first; json: one object per line
  --min-severity LEVEL     show only alerts at LEVEL or above: INFORMATIONAL, LOW, MEDIUM, HIGH or
                           CRITICAL
  --verbose                each alert in full (text): samples, all steps with links, analysis
                           questions, the playbook answer and the principal's activity
  --self-principal GLOB    the backend's own principals (repeatable; * matches any run of characters);
                           also read from SELF_PRINCIPALS (comma-separated)
  --rules FILE             JSON or YAML file overriding thresholds, severities and rows
  --playbooks DIR          answer each alert from this folder of playbook markdown
  --locale LANG            alert and question language: en (default), de, es, fr, ja, zh
  --no-enrich              do not enrich alerts
  --strict                 exit 1 when any input is rejected, naming the first ones on stderr
  -h, --help               this help

Exit status: 0 done (rejected inputs are reported, not failures); 1 --strict and an input was rejected;
2 a PATH that cannot be read, no events in any PATH, or a bad option value (--format,
--min-severity, --locale, --rules, --playbooks with no *.md in it). Warnings and errors go to stderr, one line each.`;

interface ReplayOptions {
  readonly format: 'text' | 'json';
  readonly minSeverity?: Severity;
  readonly verbose: boolean;
  readonly selfPrincipals: readonly string[];
  readonly rulesFile?: string;
  readonly playbooks?: string;
  readonly locale: string;
  readonly enrich: boolean;
  readonly strict: boolean;
  readonly paths: readonly string[];
}

function parseOptions(args: readonly string[], env: NodeJS.ProcessEnv): ReplayOptions {
  const { values, positionals } = parseCliArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'self-principal': { type: 'string', multiple: true, default: [] },
      rules: { type: 'string' },
      playbooks: { type: 'string' },
      locale: { type: 'string', default: env.ALERT_LOCALE ?? 'en' },
      'no-enrich': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      'min-severity': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const format = outputFormat(values.format);
  const minSeverity = values['min-severity']?.toUpperCase();
  const severity = SEVERITIES.find((candidate) => candidate === minSeverity);
  if (minSeverity !== undefined && severity === undefined) {
    const suggestion = didYouMean(minSeverity, SEVERITIES);
    throw new UsageError(
      `--min-severity must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(values['min-severity'])}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    );
  }
  if (!(ALERT_LOCALES as readonly string[]).includes(values.locale)) {
    const suggestion = didYouMean(values.locale.toLowerCase(), ALERT_LOCALES);
    throw new UsageError(
      `--locale must be one of ${ALERT_LOCALES.join(', ')}, not ${JSON.stringify(values.locale)}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    );
  }
  if (positionals.length === 0) throw new UsageError('give at least one PATH (a file, a directory or -)');
  return {
    format,
    minSeverity: severity,
    verbose: values.verbose,
    selfPrincipals: [...values['self-principal'], ...parseSelfPrincipals(env.SELF_PRINCIPALS)],
    rulesFile: values.rules,
    playbooks: values.playbooks,
    locale: values.locale,
    enrich: !values['no-enrich'],
    strict: values.strict,
    paths: positionals,
  };
}

/** A rules file that cannot be read or is not valid is a bad option value: the run does not start. */
async function loadPolicy(rulesFile: string | undefined, cwd: string): Promise<Policy> {
  const policy = defaultPolicy();
  if (rulesFile === undefined) return policy;
  let text: string;
  try {
    text = await readFile(resolve(cwd, rulesFile), 'utf8');
  } catch (error) {
    throw new UsageError(`--rules ${rulesFile}: ${fsReason(error)}`);
  }
  try {
    return applyRules(policy, parseRulesFile(text, rulesFile), rulesFile);
  } catch (error) {
    throw new UsageError(`--rules ${errorMessage(error)}`);
  }
}

/** Every PATH exists and can be read before anything is printed (what is inside a directory is the reader's to report). */
async function checkPaths(paths: readonly string[], cwd: string): Promise<void> {
  for (const path of paths) {
    if (path === STDIN_PATH) continue;
    try {
      await stat(resolve(cwd, path));
    } catch (error) {
      throw new UsageError(`${path}: ${fsReason(error)}`);
    }
  }
}

/** A playbooks folder that answers nothing would make every alert say "answer source failed": refuse it up front. */
async function checkPlaybooks(dir: string | undefined, cwd: string): Promise<void> {
  if (dir === undefined) return;
  let found: readonly string[];
  try {
    found = await markdownFiles(resolve(cwd, dir));
  } catch (error) {
    throw new UsageError(`--playbooks ${dir}: ${fsReason(error)}`);
  }
  if (found.length === 0) throw new UsageError(`--playbooks ${dir}: no playbook markdown (*.md) in it`);
}

function loadEnricher(options: ReplayOptions, cwd: string): Enricher | undefined {
  if (!options.enrich || options.playbooks === undefined) return undefined;
  // Loaded only when asked for (require, not import(): tsx and esbuild both resolve it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const enrich = require('../../enrich') as typeof import('../../enrich');
  const { createEnricher, createLocalPlaybookSource, MemoryAnswerCache } = enrich;
  const locale = ALERT_LOCALES.find((candidate) => candidate === options.locale) ?? 'en';
  return createEnricher({
    source: createLocalPlaybookSource({ dir: resolve(cwd, options.playbooks) }),
    cache: new MemoryAnswerCache(systemClock, 86_400),
    playbookVersion: async () => 'local',
    clock: systemClock,
    logger: createLogger({ silent: true }),
    budgetMs: 5000,
    locale,
  });
}

interface Tally {
  inputs: number;
  events: number;
  rejected: number;
  /** Records of other services: counted once in the summary, never listed. */
  otherServices: number;
  duplicates: number;
  self: number;
  alertedEvents: number;
  bySeverity: Record<string, number>;
  byCategory: Record<string, number>;
}

type Rejected = Extract<InputOutcome, { status: 'rejected' }>;
/** What replay shows of an outcome: a failed input appears as a rejection; other services only in the count. */
type Shown = Exclude<InputOutcome, { status: 'failed' | 'passed-over' }>;

const emptyTally = (): Tally => ({
  inputs: 0,
  events: 0,
  rejected: 0,
  otherServices: 0,
  duplicates: 0,
  self: 0,
  alertedEvents: 0,
  bySeverity: {},
  byCategory: {},
});

function count(tally: Tally, outcome: Shown): void {
  tally.inputs += 1;
  if (outcome.status === 'rejected') tally.rejected += 1;
  else if (outcome.status === 'duplicate') tally.duplicates += 1;
  else if (outcome.status === 'classified' || outcome.status === 'alerted') {
    tally.events += 1;
    if (outcome.classification.self) tally.self += 1;
    if (outcome.status === 'alerted') tally.alertedEvents += 1;
    const { severity, category } = outcome.classification;
    tally.bySeverity[severity] = (tally.bySeverity[severity] ?? 0) + 1;
    tally.byCategory[category] = (tally.byCategory[category] ?? 0) + 1;
  }
}

function countBy<T>(alerts: Iterable<T>, key: (alert: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const alert of alerts) counts[key(alert)] = (counts[key(alert)] ?? 0) + 1;
  return counts;
}

/**
 * An event's JSON line while it waits for its turn (lines go out in input order, after the held events settle):
 * the event id, and two fragments shared by every event of its operation and of its classification. Parts,
 * not the line: 100k line strings were copied by every young-generation collection until they grew old.
 */
interface EventLine {
  readonly eventId: string;
  /** The normalised ISO time (made by normalizeEvent, never the input's text). */
  readonly eventTime: string;
  readonly operation: string;
  readonly principal: string;
  readonly classification: string;
  /** The alerts the event is part of (one shared empty list for the others). */
  readonly alertIds: readonly string[];
}
type Line = string | EventLine;

/** `alertId` names the event's alert; `alertIds` lists them all when it is part of more than one. */
function alertFields(alertIds: readonly string[]): string {
  if (alertIds.length === 0) return '';
  const ids = alertIds.map((id) => cleanText(id, FIELD_LIMITS.short));
  return `,"alertId":${JSON.stringify(ids[0])}${ids.length > 1 ? `,"alertIds":${JSON.stringify(ids)}` : ''}`;
}

const lineText = (line: Line): string =>
  typeof line === 'string'
    ? line
    : `{"type":"event","eventId":${JSON.stringify(cleanText(line.eventId, FIELD_LIMITS.short))},"eventTime":"${line.eventTime}",${line.operation},${line.principal},${line.classification}${alertFields(line.alertIds)}}`;

const NO_ALERT_IDS: readonly string[] = Object.freeze([]);

/** Operation names remembered per event source; past this, an unknown name's fragment is made per event. */
const MAX_OPERATION_FRAGMENTS = 10_000;

/**
 * The shared parts of event lines, serialised once: per classification (and alert flag), and per event source
 * and name. A replay has a handful of classifications, a few hundred operations and 100k events.
 */
class LineFragments {
  private readonly classifications = new Map<Classification, readonly [string, string]>();
  private readonly operations = new Map<string, Map<string, string>>();
  private operationCount = 0;
  private readonly principals = new Map<string, string>();

  /** `"principal":"<key>"`, once per principal (as many as operation names are remembered). */
  principal(key: string): string {
    let fragment = this.principals.get(key);
    if (fragment === undefined) {
      fragment = `"principal":${JSON.stringify(cleanText(key, FIELD_LIMITS.principal))}`;
      if (this.principals.size < MAX_OPERATION_FRAGMENTS) this.principals.set(key, fragment);
    }
    return fragment;
  }

  classification(classification: Classification, alert: boolean): string {
    let parts = this.classifications.get(classification);
    if (parts === undefined) {
      const { category, severity, self, reasons } = classification;
      const cleanReasons = reasons.map((reason) => cleanText(reason, FIELD_LIMITS.sentence));
      const part = (flag: boolean): string =>
        JSON.stringify({ category, severity, alert: flag, self, reasons: cleanReasons }).slice(1, -1);
      parts = [part(false), part(true)];
      this.classifications.set(classification, parts);
    }
    return parts[alert ? 1 : 0];
  }

  operation(eventSource: string, eventName: string): string {
    let names = this.operations.get(eventSource);
    if (names === undefined) this.operations.set(eventSource, (names = new Map()));
    let fragment = names.get(eventName);
    if (fragment === undefined) {
      fragment = `"eventSource":${JSON.stringify(cleanText(eventSource, FIELD_LIMITS.short))},"eventName":${JSON.stringify(cleanText(eventName, FIELD_LIMITS.eventName))}`;
      if (this.operationCount < MAX_OPERATION_FRAGMENTS) {
        names.set(eventName, fragment);
        this.operationCount += 1;
      }
    }
    return fragment;
  }
}

/**
 * An input's JSON line (see the usage): an event's own fields, then its classification. Every text that came
 * from the input goes through cleanText, as in the alert lines: JSON.stringify leaves DEL, C1 controls, bidi
 * overrides and invisible characters as they are.
 */
function outcomeLine(fragments: LineFragments, outcome: Shown): Line {
  switch (outcome.status) {
    case 'rejected':
      return JSON.stringify({
        type: 'rejected',
        source: cleanText(outcome.id, FIELD_LIMITS.arn),
        reason: cleanText(outcome.reason, FIELD_LIMITS.sentence),
        ...(outcome.eventId === undefined ? {} : { eventId: cleanText(outcome.eventId, FIELD_LIMITS.short) }),
      });
    case 'duplicate':
      return JSON.stringify({
        type: 'duplicate',
        source: cleanText(outcome.id, FIELD_LIMITS.arn),
        eventId: cleanText(outcome.event.eventId, FIELD_LIMITS.short),
      });
    case 'classified':
    case 'alerted': {
      const { event, classification } = outcome;
      return {
        eventId: event.eventId,
        eventTime: event.eventTime,
        operation: fragments.operation(event.eventSource, event.eventName),
        principal: fragments.principal(event.principal.key),
        classification: fragments.classification(classification, outcome.status === 'alerted'),
        alertIds: outcome.status === 'alerted' ? outcome.alertIds : NO_ALERT_IDS,
      };
    }
  }
}

/** Only a state store or notifier failure fails an input (replay's are in memory and on stdout): shown as a rejection, never dropped. */
function asRejection(outcome: Extract<InputOutcome, { status: 'failed' }>): Rejected {
  return { id: outcome.id, status: 'rejected', reason: outcome.reason, eventId: outcome.event.eventId };
}

/**
 * What replay keeps of each outcome as it comes: the counts, the rejections (text), and the JSON lines (json)
 * until every earlier input has settled (lines go out in input order). Never the events themselves.
 */
class Report {
  readonly tally = emptyTally();
  readonly rejected: Rejected[] = [];
  /** The first rejections, in input order, whatever the format: --strict names them. */
  readonly firstRejected: Rejected[] = [];
  /** JSON lines of settled inputs that wait for an earlier, held one (json format); undefined: no line. */
  private readonly waiting = new Map<number, Line | undefined>();
  private nextPosition = 0;
  private readonly fragments = new LineFragments();

  constructor(private readonly format: 'text' | 'json') {}

  record({ position, outcome: settled }: SettledInput): void {
    if (settled.status === 'passed-over') {
      this.tally.inputs += 1;
      this.tally.otherServices += 1;
      // No line of its own; the lines after it need not wait for it.
      if (this.format === 'json') this.waiting.set(position, undefined);
      return;
    }
    const outcome = settled.status === 'failed' ? asRejection(settled) : settled;
    count(this.tally, outcome);
    if (outcome.status === 'rejected' && this.firstRejected.length < STRICT_NAMED) this.firstRejected.push(outcome);
    if (this.format === 'json') this.waiting.set(position, outcomeLine(this.fragments, outcome));
    else if (outcome.status === 'rejected') this.rejected.push(outcome);
  }

  /** Writes the JSON lines whose turn has come: every input before them has settled. */
  writeReady(stream: Writable): void {
    if (this.format !== 'json') return;
    writeLines(stream, this.ready());
  }

  private *ready(): Generator<string> {
    while (this.waiting.has(this.nextPosition)) {
      const line = this.waiting.get(this.nextPosition);
      this.waiting.delete(this.nextPosition);
      this.nextPosition += 1;
      // Other services' records leave their positions empty.
      if (line !== undefined) yield lineText(line);
    }
  }
}

/**
 * The run's alerts as the report needs them: every alert's severity and page flag for the counts, and (text)
 * the alerts shown, in their latest state. JSON writes each alert line as it is sent and keeps no alert.
 */
class AlertReport {
  private readonly counted = new Map<string, { readonly severity: string; readonly paged: boolean }>();
  private readonly shownById = new Map<string, Alert>();

  /** `keep`: the alerts the text report prints (none for JSON). */
  constructor(private readonly keep: (alert: Alert) => boolean) {}

  /** An alert's first message. */
  add(alert: Alert): void {
    this.counted.set(alert.id, { severity: alert.severity, paged: alert.paged });
    if (this.keep(alert)) this.shownById.set(alert.id, alert);
  }

  /** An update of an alert already out (a late event joined it): shown as it is now. */
  update(alert: Alert): void {
    const earlier = this.counted.get(alert.id);
    if (earlier === undefined) return;
    this.counted.set(alert.id, { severity: alert.severity, paged: earlier.paged || alert.paged });
    if (this.shownById.has(alert.id) || this.keep(alert)) this.shownById.set(alert.id, alert);
  }

  get total(): number {
    return this.counted.size;
  }

  get paged(): number {
    let paged = 0;
    for (const alert of this.counted.values()) if (alert.paged) paged += 1;
    return paged;
  }

  bySeverity(): Record<string, number> {
    return countBy(this.counted.values(), (alert) => alert.severity);
  }

  shown(): Alert[] {
    return [...this.shownById.values()];
  }
}

function severityOrder(counts: Record<string, number>): Record<string, number> {
  const ordered: Record<string, number> = {};
  for (const severity of [...SEVERITIES].reverse())
    if (counts[severity] !== undefined) ordered[severity] = counts[severity];
  return ordered;
}

/** Most events first, then by name: the same order whatever order the inputs came in. */
function categoryOrder(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  );
}

/** Most severe first, then paged, then by time: the order a responder works through them. */
function bySeverity(a: Alert, b: Alert): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(b.paged) - Number(a.paged) ||
    a.firstSeen.localeCompare(b.firstSeen) ||
    a.id.localeCompare(b.id)
  );
}

/** Cuts `text` to `width` columns in the middle: the start says what kind of thing it is, the end which one. */
export function fitMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  const tail = Math.ceil((width - 1) * 0.6);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/**
 * A principal name cut to `width` by shortening its longest `/` segment in the middle, again while needed:
 * `assumed-role/CIDeployRole/i-0abc123def4567890` keeps its role and both ends of its session.
 */
export function fitPrincipal(name: string, width: number): string {
  const segments = name.split('/');
  for (let excess = name.length - width; excess > 0; excess = segments.join('/').length - width) {
    const longest = segments.reduce(
      (best, segment, i) => (segment.length > (segments[best]?.length ?? 0) ? i : best),
      0,
    );
    const segment = segments[longest] ?? '';
    if (segment.length <= 5) return fitMiddle(segments.join('/'), width);
    segments[longest] = fitMiddle(segment, Math.max(5, segment.length - excess));
  }
  return segments.join('/');
}
/** Rejections listed in text; the JSON output has every one. */
const MAX_REJECTED_SHOWN = 20;

/** A playbook rule is its operation; other rules (bursts, unclassified operations) keep their id. */
const ruleLabel = (rule: string): string => (rule.startsWith('playbook/') ? rule.slice('playbook/'.length) : rule);

function alertTable(alerts: readonly Alert[], width: number): string {
  const rows = alerts.map((alert, i) => {
    const operations = Object.keys(alert.eventNames).length;
    return [
      String(i + 1),
      alert.severity,
      alert.paged ? 'yes' : '',
      `${alert.count}${operations > 1 ? `/${operations} ops` : ''}`,
      cleanText(principalShortName(alert.principal, alert.account), FIELD_LIMITS.principal),
      cleanText(ruleLabel(alert.rule), FIELD_LIMITS.short),
    ];
  });
  const natural = (column: number, header: string): number =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0));
  // The narrow columns as they are; the principal and the rule share the rest, the principal first.
  const fixed = natural(0, '#') + 'CRITICAL'.length + natural(2, 'PAGED') + natural(3, 'EVENTS') + 5 * 2;
  const rest = Math.max(40, width - fixed);
  const ruleWidth = Math.min(natural(5, 'RULE'), Math.max(24, rest - natural(4, 'PRINCIPAL')));
  const principalWidth = rest - ruleWidth;
  const fitted = rows.map((row) =>
    row.map((cell, column) =>
      column === 4 ? fitPrincipal(cell, principalWidth) : column === 5 ? fitMiddle(cell, ruleWidth) : cell,
    ),
  );
  return formatTable(['#', 'SEVERITY', 'PAGED', 'EVENTS', 'PRINCIPAL', 'RULE'], fitted);
}

function countsLine(label: string, counts: Record<string, number>, width: number): string[] {
  const text =
    Object.entries(counts)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ') || 'none';
  return wrap(`${label}: ${text}`, width, '  ', '    ');
}

/**
 * The text report: the summary and the alert table first (most severe first), then the rejected inputs, then
 * each alert, numbered as in the table, compact unless --verbose.
 */
function writeTextReport(
  stream: Writable,
  rejected: readonly Rejected[],
  alerts: AlertReport,
  summary: Tally,
  options: ReplayOptions,
  width: number,
): void {
  // AlertReport keeps only the alerts at --min-severity or above.
  const shown = alerts.shown().sort(bySeverity);
  const alertCounts =
    Object.entries(severityOrder(alerts.bySeverity()))
      .map(([severity, count]) => `${severity} ${count}`)
      .join(', ') || 'none';
  const filter = options.minSeverity !== undefined ? `; ${shown.length} at ${options.minSeverity} or above shown` : '';
  writeText(
    stream,
    [
      'Summary',
      ...wrap(
        `inputs ${summary.inputs}: ${summary.events} events, ${summary.rejected} rejected, ${summary.duplicates} duplicates, ${summary.self} from q-triage itself, other services: ${summary.otherServices}`,
        width,
        '  ',
        '    ',
      ),
      ...countsLine('events by severity', severityOrder(summary.bySeverity), width),
      ...countsLine('events by category', categoryOrder(summary.byCategory), width),
      ...wrap(`alerts: ${alerts.total} (${alertCounts}), ${alerts.paged} paged${filter}`, width, '  ', '    '),
    ].join('\n'),
  );
  if (shown.length > 0) writeText(stream, `\nAlerts, most severe first\n${alertTable(shown, width)}`);
  if (rejected.length > 0) {
    const listed = rejected
      .slice(0, MAX_REJECTED_SHOWN)
      .flatMap((outcome) => [
        `  ${fitMiddle(cleanText(outcome.id, FIELD_LIMITS.arn), width - 2)}`,
        ...wrap(cleanText(outcome.reason, FIELD_LIMITS.sentence), width, '    '),
      ]);
    const more =
      rejected.length > MAX_REJECTED_SHOWN
        ? [`  …and ${rejected.length - MAX_REJECTED_SHOWN} more (--format json lists every one)`]
        : [];
    writeText(stream, ['', `Rejected inputs (${rejected.length})`, ...listed, ...more].join('\n'));
  }
  const form = options.verbose ? 'full' : 'compact';
  shown.forEach((alert, i) => writeText(stream, `\n#${i + 1} ${alertTextBlock(alert, 'new', { form, width })}`));
}

/**
 * JSON: each alert line as the run publishes it. Text: nothing while the run publishes; the report is written
 * after it, so that the summary and the most severe alerts come first. Either way an update (a late event
 * joined an alert already out) brings the report's alert up to date.
 */
function replayNotifier(options: ReplayOptions, stdout: Writable, alerts: AlertReport): Notifier {
  const json =
    options.format === 'json'
      ? createStdoutNotifier({ stream: stdout, format: 'json', minSeverity: options.minSeverity })
      : undefined;
  return {
    async send(message) {
      if (message.route === 'alerts' && message.kind === 'update') alerts.update(message.alert);
      if (json !== undefined) await json.send(message);
    },
  };
}

/** The terminal's width when writing to one; the default for files and pipes, so that their output does not vary. */
function terminalWidth(stream: NodeJS.WritableStream): number {
  const { isTTY, columns } = stream as { isTTY?: boolean; columns?: number };
  return isTTY === true && typeof columns === 'number' && columns >= 60 ? columns : DEFAULT_TEXT_WIDTH;
}

export async function replay(options: ReplayOptions, io: CliIo): Promise<number> {
  await checkPaths(options.paths, io.cwd);
  await checkPlaybooks(options.playbooks, io.cwd);
  const policy = await loadPolicy(options.rulesFile, io.cwd);
  const metrics = new CountingMetrics();
  const minRank = options.minSeverity === undefined ? 0 : severityRank(options.minSeverity);
  const alerts = new AlertReport((alert) => options.format === 'text' && severityRank(alert.severity) >= minRank);
  const triage = createTriage({
    policy,
    self: createSelfMatcher(options.selfPrincipals),
    // The run finds duplicates itself, within HORIZON_MS.
    store: new MemoryStateStore({ rememberProcessed: false }),
    notifier: replayNotifier(options, io.stdout as Writable, alerts),
    clock: systemClock,
    logger: createLogger({ silent: true }),
    metrics,
    enricher: loadEnricher(options, io.cwd),
    mode: 'deferred',
    localizedText:
      options.locale === 'en'
        ? undefined
        : () =>
            loadLocalizedText(
              options.playbooks === undefined ? undefined : directoryPlaybookSource(resolve(io.cwd, options.playbooks)),
              options.locale,
            ),
  });
  // One batch per file: only the events a stateful rule can use are held, until the reorder window passes them.
  const report = new Report(options.format);
  const stdout = io.stdout as Writable;
  const run = triage.open({ reorderWindowMs: REORDER_WINDOW_MS, horizonMs: HORIZON_MS });
  const progress = createProgress(io.stderr, () =>
    countFiles(
      options.paths.filter((path) => path !== STDIN_PATH),
      io.cwd,
    ),
  );
  for await (const batch of readInputBatches(options.paths, { stdin: io.stdin, cwd: io.cwd })) {
    const inputs = batch.map((item): TriageInput =>
      'error' in item
        ? { id: item.source, error: item.error }
        : { id: item.source, value: item.value, bytes: item.bytes },
    );
    for (const settled of await run.add(inputs)) report.record(settled);
    report.writeReady(stdout);
    // Incidents no later event can join are published now (JSON: their lines), and forgotten by the engine.
    for (const alert of await triage.flush(run.settledThrough())) alerts.add(alert);
    progress.batch(batch.length);
  }
  progress.done();
  for (const settled of await run.finish()) report.record(settled);
  report.writeReady(stdout);
  for (const alert of await triage.flush()) alerts.add(alert);
  const summary = report.tally;
  if (options.format === 'json') {
    writeJsonLine(stdout, {
      type: 'summary',
      ...summary,
      bySeverity: severityOrder(summary.bySeverity),
      byCategory: categoryOrder(summary.byCategory),
      alerts: alerts.total,
      alertsBySeverity: severityOrder(alerts.bySeverity()),
      paged: alerts.paged,
    });
  } else {
    writeTextReport(stdout, report.rejected, alerts, summary, options, terminalWidth(io.stdout));
  }
  return verdict(options, report, run.late(), io.stderr as Writable);
}

/**
 * How far (event time) replay waits for an event to come behind a newer one before it settles the older:
 * CloudTrail writes a log file about every 5 minutes, and its files (and those of several Regions or
 * accounts, read one after the other in key-time order) overlap by minutes. Memory holds this much activity.
 */
const REORDER_WINDOW_MS = 15 * 60_000;
/**
 * How far (event time) behind the settled events replay remembers event ids and incidents: CloudTrail and
 * EventBridge redeliver within minutes. A copy from further back (the same logs given twice) comes late, is
 * triaged again, and is warned about.
 */
const HORIZON_MS = 2 * 60 * 60_000;

/** How many rejected inputs --strict names. */
const STRICT_NAMED = 3;

/** The exit status, and the one-line warnings and errors that explain it (stderr: stdout may be JSON for a pipe). */
function verdict(options: ReplayOptions, report: Report, late: number, stderr: Writable): number {
  const { events, duplicates, self, rejected } = report.tally;
  if (late > 0) {
    writeText(
      stderr,
      `q-triage replay: warning: ${late} events came more than ${REORDER_WINDOW_MS / 60_000} minutes (event time) behind events already read; they were triaged as they came, so incidents and bursts around them may differ from a time-ordered run. Are the paths given in time order?`,
    );
  }
  if (events + duplicates === 0) {
    writeText(
      stderr,
      `q-triage replay: no events in ${options.paths.join(' ')}${rejected > 0 ? ` (${rejected} inputs rejected)` : ''}`,
    );
    return ExitCode.usage;
  }
  // A glob that matches most of an account's activity hides it from every rule: likely a mistake, never silent.
  if (self > 0 && self * 2 > events) {
    writeText(
      stderr,
      `q-triage replay: warning: ${self} of ${events} events match --self-principal/SELF_PRINCIPALS and are never alerted; is a glob too wide?`,
    );
  }
  if (options.strict && rejected > 0) {
    const named = report.firstRejected
      .map((outcome) => `${cleanText(outcome.id, FIELD_LIMITS.arn)} (${cleanText(outcome.reason, 80)})`)
      .join('; ');
    writeText(
      stderr,
      `q-triage replay: --strict: ${rejected} input${rejected === 1 ? '' : 's'} rejected: ${named}${rejected > STRICT_NAMED ? `; and ${rejected - STRICT_NAMED} more` : ''}`,
    );
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Triage CloudTrail log files locally and print the alerts',
  usage: USAGE,
  run: (args, io) => replay(parseOptions(args, io.env), io),
};
