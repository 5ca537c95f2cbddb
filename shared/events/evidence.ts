/**
 * The resources one event touched, as evidence for its alert: ids and ARNs from `resources[]`,
 * `requestParameters` and `responseElements`. Request fields are chosen by the caller, so values are kept
 * raw here (bounded in number and length) and escaped by every renderer; they never decide a verdict.
 */
import type { TriageEvent } from './normalize';

/** One resource an event named: `kind` is ours (a label), `value` is the caller's or AWS's text. */
export interface EvidenceItem {
  readonly kind: string;
  readonly value: string;
}

/**
 * Request and response fields worth showing, by field name (wherever they sit in the request: the plugin's
 * `roleArn` is two levels down), in the order a responder reads them. Each row names a sample operation
 * that carries it; test/unit/events/evidence.test.ts proves each row on such a record.
 */
export const EVIDENCE_FIELDS = [
  { field: 'applicationId', kind: 'application', example: 'CreatePlugin' },
  { field: 'indexId', kind: 'index', example: 'DeleteIndex' },
  { field: 'retrieverId', kind: 'retriever', example: 'DeleteRetriever' },
  { field: 'dataSourceId', kind: 'data source', example: 'StartDataSourceSyncJob' },
  { field: 'pluginId', kind: 'plugin', example: 'CreatePlugin' },
  { field: 'webExperienceId', kind: 'web experience', example: 'DeleteWebExperience' },
  { field: 'dataAccessorId', kind: 'data accessor', example: 'CreateDataAccessor' },
  { field: 'subscriptionId', kind: 'subscription', example: 'CancelSubscription' },
  { field: 'userId', kind: 'user', example: 'DeleteUser' },
  { field: 'groupName', kind: 'group', example: 'PutGroup' },
  { field: 'documentId', kind: 'document', example: 'BatchDeleteDocument' },
  { field: 'conversationId', kind: 'conversation', example: 'DeleteConversation' },
  { field: 'displayName', kind: 'name', example: 'CreatePlugin' },
  // CloudTrail's CreateApplication sample writes `name` for the API's `displayName`; deeper down, `name` is a
  // document attribute's or a filter's, not the resource's.
  { field: 'name', kind: 'name', example: 'CreateApplication', topLevel: true },
  { field: 'serverUrl', kind: 'server URL', example: 'CreatePlugin' },
  { field: 'principal', kind: 'grantee', example: 'AssociatePermission' },
  { field: 'actions', kind: 'actions', example: 'AssociatePermission' },
  { field: 'action', kind: 'actions', example: 'CreateDataAccessor' },
  { field: 'statementId', kind: 'statement', example: 'AssociatePermission' },
  { field: 'roleArn', kind: 'role', example: 'CreatePlugin' },
] as const;

const KIND_BY_FIELD: ReadonlyMap<string, string> = new Map(EVIDENCE_FIELDS.filter((row) => !('topLevel' in row)).map(({ field, kind }) => [field, kind]));
const KIND_BY_TOP_LEVEL_FIELD: ReadonlyMap<string, string> = new Map(EVIDENCE_FIELDS.map(({ field, kind }) => [field, kind]));
const FIELD_ORDER: ReadonlyMap<string, number> = new Map(EVIDENCE_FIELDS.map(({ kind }, i) => [kind, i]));

/** Resources of one event, at most; a 25-document delete names its first documents and says how many it left out. */
export const MAX_EVIDENCE_ITEMS = 12;
/** Characters kept of one value (before escaping); ARNs and URLs fit. */
export const MAX_EVIDENCE_VALUE = 300;
/** Values of one kind per event (documents of a batch, actions of a grant). */
const MAX_PER_KIND = 3;
/** Nesting followed into the request and response: plugin auth configurations sit two levels down. */
const MAX_DEPTH = 4;
const MAX_ARRAY_ITEMS = 10;
/** What CloudTrail writes in place of a secret or a prompt: nothing to show. */
const REDACTED: ReadonlySet<string> = new Set(['HIDDEN_DUE_TO_SECURITY_REASONS', '***', '']);

const capValue = (value: string): string => (value.length > MAX_EVIDENCE_VALUE ? `${value.slice(0, MAX_EVIDENCE_VALUE)}…` : value);

/** `pluginArn` → `plugin ARN`, `idcApplicationArn` → `idc application ARN`: any field CloudTrail names `…Arn`. */
function arnKind(field: string): string | undefined {
  if (field === 'roleArn') return 'role';
  if (field === 'secretArn' || !field.endsWith('Arn') || field.length === 3) return undefined;
  return `${field.slice(0, -3).replace(/[A-Z]/gu, (c) => ` ${c.toLowerCase()}`).trim()} ARN`;
}

class EvidenceCollector {
  readonly items: EvidenceItem[] = [];
  private readonly seen = new Set<string>();
  private readonly perKind = new Map<string, number>();
  omitted = 0;

  add(kind: string, raw: unknown): void {
    if (typeof raw !== 'string' || REDACTED.has(raw)) return;
    const value = capValue(raw);
    const key = `${kind}\u0000${value}`;
    if (this.seen.has(key)) return;
    const count = this.perKind.get(kind) ?? 0;
    if (count >= MAX_PER_KIND || this.items.length >= MAX_EVIDENCE_ITEMS) {
      this.omitted += 1;
      return;
    }
    this.seen.add(key);
    this.perKind.set(kind, count + 1);
    this.items.push({ kind, value });
  }

  walk(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, MAX_ARRAY_ITEMS)) this.walk(item, depth + 1);
      return;
    }
    for (const [field, child] of Object.entries(value as Record<string, unknown>)) {
      const kind = (depth === 0 ? KIND_BY_TOP_LEVEL_FIELD : KIND_BY_FIELD).get(field) ?? arnKind(field);
      if (kind === undefined) this.walk(child, depth + 1);
      else if (Array.isArray(child)) for (const item of child.slice(0, MAX_ARRAY_ITEMS)) this.add(kind, item);
      else this.add(kind, child);
    }
  }
}

/** The last path segment of a Q Business ARN (`…/plugin/<id>`): an ARN whose id is already shown adds nothing. */
function qbusinessArnId(arn: string): string | undefined {
  return arn.startsWith('arn:aws:qbusiness:') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
}

/** What the event touched, in reading order: ids and names, then grants and roles, then ARNs no id covers. */
export function evidenceOf(event: Pick<TriageEvent, 'resources' | 'requestParameters' | 'responseElements'>): readonly EvidenceItem[] {
  const collector = new EvidenceCollector();
  collector.walk(event.requestParameters, 0);
  collector.walk(event.responseElements, 0);
  for (const resource of event.resources) if (resource.arn !== undefined) collector.add('ARN', resource.arn);
  const shownIds = new Set(collector.items.filter((item) => !item.kind.endsWith('ARN')).map((item) => item.value));
  const items = collector.items
    .filter((item) => !item.kind.endsWith('ARN') || !shownIds.has(qbusinessArnId(item.value) ?? ''))
    .sort((a, b) => (FIELD_ORDER.get(a.kind) ?? FIELD_ORDER.size) - (FIELD_ORDER.get(b.kind) ?? FIELD_ORDER.size));
  return collector.omitted > 0 ? [...items, { kind: 'more', value: `${collector.omitted} more not shown` }] : items;
}

/** The resource a headline names: the most specific one the event touched. */
const HEADLINE_KINDS = ['plugin', 'data accessor', 'data source', 'retriever', 'web experience', 'index', 'grantee', 'user', 'group', 'document', 'application'] as const;

export function headlineResource(items: readonly EvidenceItem[]): EvidenceItem | undefined {
  for (const kind of HEADLINE_KINDS) {
    const item = items.find((candidate) => candidate.kind === kind);
    if (item !== undefined) return item;
  }
  return items.find((item) => item.kind !== 'more');
}
