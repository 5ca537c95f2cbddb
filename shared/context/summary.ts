/**
 * Turns a principal's recent activity into answers to the Amazon Q playbook's analysis questions.
 * Answers are built from AWS-shaped values only (operation names, validated ids, counts, times);
 * source IPs and user agents stay raw in their own fields for the renderer to escape.
 */
import type { PrincipalContext } from '../alerts/model';
import { isAuthorizationFailure } from '../classify/classify';
import { PLAYBOOK_TABLE, QUESTIONS } from '../playbook';
import type { AccessKind, Category } from '../playbook/types';
import type { ActivityEntry, IdField } from './activity';

/** Our own questions for what the playbook's six do not ask directly. */
export const CONTEXT_QUESTIONS = {
  guardrails: 'Were the chat controls (guardrails) of an application changed?',
  authorization: 'Were calls by this principal denied?',
  firstSeen: 'Is this principal new to Amazon Q in this account?',
} as const;

export const MAX_LISTED = 10;
export const MAX_SOURCE_IPS = 10;
export const MAX_USER_AGENTS = 10;
const MAX_ANSWER = 1000;
const OPERATION_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** Resource kinds whose Create/Delete operations carry the new or removed id. */
const RESOURCE_KINDS: readonly { readonly noun: string; readonly label: string; readonly id: IdField }[] = [
  { noun: 'Application', label: 'application', id: 'applicationId' },
  { noun: 'Index', label: 'index', id: 'indexId' },
  { noun: 'DataSource', label: 'data source', id: 'dataSourceId' },
  { noun: 'Plugin', label: 'plugin', id: 'pluginId' },
  { noun: 'Retriever', label: 'retriever', id: 'retrieverId' },
  { noun: 'WebExperience', label: 'web experience', id: 'webExperienceId' },
  { noun: 'DataAccessor', label: 'data accessor', id: 'dataAccessorId' },
];

/** Ids found in ARNs (`…:application/<id>/index/<id>`) for the "what could Q reach" answer. */
const ARN_SEGMENTS: Readonly<Record<string, IdField>> = {
  application: 'applicationId',
  index: 'indexId',
  'data-source': 'dataSourceId',
  plugin: 'pluginId',
  retriever: 'retrieverId',
};
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const ROWS = new Map(PLAYBOOK_TABLE.map((row) => [`${row.eventSource}|${row.eventName}`, row]));

function rowOf(entry: ActivityEntry): { readonly category: Category; readonly access: AccessKind } | undefined {
  return ROWS.get(`${entry.eventSource}|${entry.eventName}`);
}

const succeeded = (entry: ActivityEntry): boolean => entry.errorCode === undefined;
/** Calls the entries stand for: a roll-up of routine events counts many (activity-rollup.ts). */
const calls = (entries: readonly ActivityEntry[]): number =>
  entries.reduce((sum, entry) => sum + (entry.count ?? 1), 0);
const operation = (entry: ActivityEntry): string =>
  OPERATION_NAME.test(entry.eventName) ? entry.eventName : 'an unnamed operation';
const minute = (time: number): string => `${new Date(time).toISOString().slice(0, 16)}Z`;

function cap(text: string): string {
  return text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER - 1)}…` : text;
}

/** "a, b, c (+2 more)". */
function list(items: readonly string[]): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, MAX_LISTED).join(', ');
  return unique.length > MAX_LISTED ? `${shown} (+${unique.length - MAX_LISTED} more)` : shown;
}

/** "ChatSync ×3, ListDocuments ×1", most frequent first. */
function tally(entries: readonly ActivityEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(operation(entry), (counts.get(operation(entry)) ?? 0) + (entry.count ?? 1));
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return list(ranked.map(([name, count]) => `${name} ×${count}`));
}

function resourceChange(entry: ActivityEntry, verb: 'Create' | 'Delete'): string | undefined {
  if (!entry.eventName.startsWith(verb)) return undefined;
  const noun = entry.eventName.slice(verb.length);
  const kind = RESOURCE_KINDS.find((candidate) => candidate.noun === noun);
  if (kind !== undefined)
    return `${kind.label} ${entry.ids[kind.id] ?? '(id not logged)'} (${operation(entry)}, ${minute(entry.time)})`;
  return `${operation(entry)} (${minute(entry.time)})`;
}

function resourcesAnswer(entries: readonly ActivityEntry[]): string {
  const writes = entries.filter((entry) => succeeded(entry) && rowOf(entry)?.access !== 'read');
  const created = writes
    .map((entry) => resourceChange(entry, 'Create'))
    .filter((text): text is string => text !== undefined);
  const deleted = writes
    .map((entry) => resourceChange(entry, 'Delete'))
    .filter((text): text is string => text !== undefined);
  if (created.length === 0 && deleted.length === 0)
    return 'None: no successful Create or Delete call by this principal.';
  const parts: string[] = [];
  if (created.length > 0) parts.push(`Created: ${list(created)}.`);
  if (deleted.length > 0) parts.push(`Deleted: ${list(deleted)}.`);
  return parts.join(' ');
}

function pluginsAnswer(entries: readonly ActivityEntry[]): string {
  const ok = entries.filter(succeeded);
  const idsOf = (name: string): string[] =>
    ok.filter((entry) => entry.eventName === name).map((entry) => entry.ids.pluginId ?? '(id not logged)');
  const used = ok.filter((entry) => rowOf(entry)?.access === 'chat' && entry.ids.pluginId !== undefined);
  const reads = ok.filter((entry) => rowOf(entry)?.category === 'plugin' && rowOf(entry)?.access === 'read');
  const parts: string[] = [];
  const created = idsOf('CreatePlugin');
  const updated = idsOf('UpdatePlugin');
  const deleted = idsOf('DeletePlugin');
  if (created.length > 0) parts.push(`Created: ${list(created)}.`);
  if (updated.length > 0) parts.push(`Updated: ${list(updated)}.`);
  if (deleted.length > 0) parts.push(`Deleted: ${list(deleted)}.`);
  if (used.length > 0)
    parts.push(`Used in ${calls(used)} chat call(s): ${list(used.map((entry) => entry.ids.pluginId ?? ''))}.`);
  if (reads.length > 0) parts.push(`Plugin configuration read: ${tally(reads)}.`);
  return parts.length > 0
    ? parts.join(' ')
    : 'None: no plugin was created, changed, read or used in chat by this principal.';
}

function reachedIds(entries: readonly ActivityEntry[]): Map<IdField, string[]> {
  const found = new Map<IdField, string[]>();
  const add = (field: IdField, id: string): void => {
    found.set(field, [...(found.get(field) ?? []), id]);
  };
  for (const entry of entries.filter(succeeded)) {
    for (const [field, id] of Object.entries(entry.ids) as [IdField, string][]) add(field, id);
    for (const arn of entry.resourceArns) {
      const segments = arn.split(':').slice(5).join(':').split('/');
      for (let index = 0; index + 1 < segments.length; index += 2) {
        const field = ARN_SEGMENTS[segments[index] as string];
        const id = segments[index + 1] as string;
        if (field !== undefined && ID_PATTERN.test(id)) add(field, id);
      }
    }
  }
  return found;
}

function applicationsAnswer(entries: readonly ActivityEntry[]): string {
  const ids = reachedIds(entries);
  const parts = (
    [
      ['applicationId', 'Applications'],
      ['indexId', 'indexes'],
      ['dataSourceId', 'data sources'],
      ['retrieverId', 'retrievers'],
    ] as const
  )
    .filter(([field]) => (ids.get(field) ?? []).length > 0)
    .map(([field, label]) => `${label}: ${list(ids.get(field) ?? [])}`);
  return parts.length > 0 ? `${parts.join('; ')}.` : "None named in this principal's successful calls.";
}

function accessedAnswer(entries: readonly ActivityEntry[]): string {
  const ok = entries.filter(succeeded);
  const chats = ok.filter((entry) => rowOf(entry)?.access === 'chat');
  const syncs = ok.filter((entry) => entry.eventName === 'StartDataSourceSyncJob');
  const reads = ok.filter((entry) => rowOf(entry)?.access === 'read' && entry.eventCategory === 'Data');
  const parts: string[] = [];
  if (chats.length > 0) parts.push(`Chat and retrieval calls: ${tally(chats)}.`);
  if (syncs.length > 0) {
    const sources = syncs.map((entry) => entry.ids.dataSourceId).filter((id): id is string => id !== undefined);
    parts.push(`Data source syncs started: ${calls(syncs)}${sources.length > 0 ? ` (${list(sources)})` : ''}.`);
  }
  if (reads.length > 0) parts.push(`Data reads: ${tally(reads)}.`);
  if (parts.length > 0) return parts.join(' ');
  const anyData = entries.some((entry) => entry.eventCategory === 'Data');
  return anyData
    ? 'No chat, retrieval or sync by this principal.'
    : 'No data events recorded for this principal; if the trail does not log Amazon Q Business data events this cannot be answered (run q-triage doctor).';
}

function uploadsAnswer(entries: readonly ActivityEntry[]): string {
  const ok = entries.filter(succeeded);
  const describe = (name: string, verb: string): string | undefined => {
    const made = ok.filter((entry) => entry.eventName === name);
    if (made.length === 0) return undefined;
    const known = made.filter((entry) => entry.documents !== undefined);
    const documents = known.reduce((sum, entry) => sum + (entry.documents ?? 0), 0);
    const count = known.length === made.length ? `${documents} document(s)` : `at least ${documents} document(s)`;
    const targets = [
      ...made
        .map((entry) => entry.ids.indexId)
        .filter((id): id is string => id !== undefined)
        .map((id) => `index ${id}`),
      ...made
        .map((entry) => entry.ids.dataSourceId)
        .filter((id): id is string => id !== undefined)
        .map((id) => `data source ${id}`),
      ...made
        .map((entry) => entry.ids.dataSourceSyncId)
        .filter((id): id is string => id !== undefined)
        .map((id) => `sync job ${id}`),
    ];
    return `${verb} ${count} in ${calls(made)} ${name} call(s)${targets.length > 0 ? ` into ${list(targets)}` : ''}.`;
  };
  const attachments = ok.filter((entry) => (entry.attachments ?? 0) > 0);
  const parts = [describe('BatchPutDocument', 'Uploaded'), describe('BatchDeleteDocument', 'Deleted')].filter(
    (text): text is string => text !== undefined,
  );
  if (attachments.length > 0) {
    parts.push(
      `Files attached to chat: ${attachments.reduce((sum, entry) => sum + (entry.attachments ?? 0), 0)} in ${calls(attachments)} call(s).`,
    );
  }
  return parts.length > 0
    ? parts.join(' ')
    : 'None: no document upload, deletion or chat attachment by this principal.';
}

function ideAnswer(entries: readonly ActivityEntry[]): string {
  const ide = entries.filter((entry) => entry.eventSource === 'codewhisperer.amazonaws.com');
  const consoleCalls = entries.filter((entry) => entry.eventSource === 'q.amazonaws.com');
  const consoleSeen = consoleCalls.length > 0 ? ` Amazon Q Developer console calls: ${tally(consoleCalls)}.` : '';
  if (ide.length > 0) return `Amazon Q Developer IDE and CLI calls: ${tally(ide)}.${consoleSeen}`;
  // codewhisperer.amazonaws.com events are data events, recorded only for Pro subscriptions by a trail that selects them.
  return `No Amazon Q Developer IDE or CLI call recorded (codewhisperer.amazonaws.com data events: Pro subscriptions, trail selectors AWS::CodeWhisperer::Profile).${consoleSeen}`;
}

function guardrailsAnswer(entries: readonly ActivityEntry[]): string {
  const changes = entries.filter(
    (entry) => succeeded(entry) && rowOf(entry)?.category === 'guardrails' && rowOf(entry)?.access === 'write',
  );
  if (changes.length === 0) return 'No chat control change by this principal.';
  const applications = changes.map((entry) => entry.ids.applicationId).filter((id): id is string => id !== undefined);
  return `${tally(changes)}${applications.length > 0 ? ` on application(s) ${list(applications)}` : ''}.`;
}

function authorizationAnswer(entries: readonly ActivityEntry[]): string {
  const denied = entries.filter((entry) => isAuthorizationFailure(entry.errorCode));
  if (denied.length === 0) return 'No denied call.';
  return `${calls(denied)} denied call(s): ${tally(denied)}; last at ${minute(Math.max(...denied.map((entry) => entry.time)))}.`;
}

function firstSeenAnswer(
  earliest: number | undefined,
  sinceMs: number,
  windowHours: number,
  retentionDays: number,
): string {
  if (earliest === undefined)
    return `Unknown: no Amazon Q activity by this principal in the last ${retentionDays} days.`;
  if (earliest >= sinceMs) {
    return `Yes, likely: its first Amazon Q event in the last ${retentionDays} days was at ${minute(earliest)}, within the last ${windowHours} h.`;
  }
  return `No: active on Amazon Q since at least ${minute(earliest)}.`;
}

export interface SummaryInput {
  readonly entries: readonly ActivityEntry[];
  readonly windowHours: number;
  readonly sinceMs: number;
  /** Time of the principal's oldest known event (activity log or CloudTrail). */
  readonly earliest?: number;
  readonly retentionDays: number;
  readonly complete: boolean;
  readonly note?: string;
}

export function summarizeActivity(input: SummaryInput): PrincipalContext {
  const entries = input.entries;
  const answers = [
    { question: QUESTIONS.resources, answer: resourcesAnswer(entries) },
    { question: QUESTIONS.plugins, answer: pluginsAnswer(entries) },
    { question: QUESTIONS.applications, answer: applicationsAnswer(entries) },
    { question: QUESTIONS.accessed, answer: accessedAnswer(entries) },
    { question: QUESTIONS.uploads, answer: uploadsAnswer(entries) },
    { question: QUESTIONS.ide, answer: ideAnswer(entries) },
    { question: CONTEXT_QUESTIONS.guardrails, answer: guardrailsAnswer(entries) },
    { question: CONTEXT_QUESTIONS.authorization, answer: authorizationAnswer(entries) },
    {
      question: CONTEXT_QUESTIONS.firstSeen,
      answer: firstSeenAnswer(input.earliest, input.sinceMs, input.windowHours, input.retentionDays),
    },
  ].map(({ question, answer }) => ({ question, answer: cap(answer) }));
  const newestFirst = [...entries].sort((a, b) => b.time - a.time);
  const distinct = (values: readonly (string | undefined)[], max: number): string[] =>
    [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))].slice(0, max);
  return {
    windowHours: input.windowHours,
    complete: input.complete,
    ...(input.note !== undefined ? { note: input.note } : {}),
    answers,
    ...(input.earliest !== undefined ? { firstSeen: new Date(input.earliest).toISOString() } : {}),
    sourceIps: distinct(
      newestFirst.flatMap((entry) => [entry.sourceIp, ...(entry.sourceIps ?? [])]),
      MAX_SOURCE_IPS,
    ),
    userAgents: distinct(
      newestFirst.flatMap((entry) => [entry.userAgent, ...(entry.userAgents ?? [])]),
      MAX_USER_AGENTS,
    ),
  };
}
