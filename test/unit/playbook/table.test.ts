import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { CATEGORIES, type EventSource, type PlaybookRow, type Severity } from '../../../shared/playbook/types';

const QB: EventSource = 'qbusiness.amazonaws.com';
const QDEV: EventSource = 'q.amazonaws.com';

/** Operation names of the installed Q Business SDK model: one `<Op>Command.d.ts` per operation. */
function sdkOperations(): string[] {
  const commandsDir = join(dirname(require.resolve('@aws-sdk/client-qbusiness')), '..', 'dist-types', 'commands');
  return readdirSync(commandsDir)
    .filter((file) => file.endsWith('Command.d.ts'))
    .map((file) => file.slice(0, -'Command.d.ts'.length))
    .sort();
}

function rowsOf(source: EventSource): PlaybookRow[] {
  return PLAYBOOK_TABLE.filter((row) => row.eventSource === source);
}

function findRow(source: EventSource, eventName: string): PlaybookRow | undefined {
  return PLAYBOOK_TABLE.find((row) => row.eventSource === source && row.eventName === eventName);
}

const ALL_ROWS = PLAYBOOK_TABLE.map((row) => [`${row.eventSource} ${row.eventName}`, row] as const);

/** The severity policy of the "Core triage" issue, one line per operation; a changed severity fails here. */
const QBUSINESS_SEVERITY: ReadonlyArray<readonly [string, Severity]> = [
  // Successful reads, chat and conversation use, sync history.
  ['GetApplication', 'INFORMATIONAL'],
  ['ListApplications', 'INFORMATIONAL'],
  ['ListTagsForResource', 'INFORMATIONAL'],
  ['GetIndex', 'INFORMATIONAL'],
  ['ListIndices', 'INFORMATIONAL'],
  ['GetRetriever', 'INFORMATIONAL'],
  ['ListRetrievers', 'INFORMATIONAL'],
  ['GetDataSource', 'INFORMATIONAL'],
  ['ListDataSources', 'INFORMATIONAL'],
  ['ListDataSourceSyncJobs', 'INFORMATIONAL'],
  ['ListDocuments', 'INFORMATIONAL'],
  ['CheckDocumentAccess', 'INFORMATIONAL'],
  ['GetMedia', 'INFORMATIONAL'],
  ['SearchRelevantContent', 'INFORMATIONAL'],
  ['Chat', 'INFORMATIONAL'],
  ['ChatSync', 'INFORMATIONAL'],
  ['PutFeedback', 'INFORMATIONAL'],
  ['ListConversations', 'INFORMATIONAL'],
  ['ListMessages', 'INFORMATIONAL'],
  ['ListAttachments', 'INFORMATIONAL'],
  ['GetUser', 'INFORMATIONAL'],
  ['GetGroup', 'INFORMATIONAL'],
  ['ListGroups', 'INFORMATIONAL'],
  ['GetPlugin', 'INFORMATIONAL'],
  ['ListPlugins', 'INFORMATIONAL'],
  ['ListPluginActions', 'INFORMATIONAL'],
  ['ListPluginTypeActions', 'INFORMATIONAL'],
  ['ListPluginTypeMetadata', 'INFORMATIONAL'],
  ['GetChatControlsConfiguration', 'INFORMATIONAL'],
  ['GetChatResponseConfiguration', 'INFORMATIONAL'],
  ['ListChatResponseConfigurations', 'INFORMATIONAL'],
  ['GetWebExperience', 'INFORMATIONAL'],
  ['ListWebExperiences', 'INFORMATIONAL'],
  ['GetDataAccessor', 'INFORMATIONAL'],
  ['ListDataAccessors', 'INFORMATIONAL'],
  ['GetPolicy', 'INFORMATIONAL'],
  ['ListSubscriptions', 'INFORMATIONAL'],
  // Low-impact writes; GetDocumentContent hands out the whole source document.
  ['StartDataSourceSyncJob', 'LOW'],
  ['DeleteConversation', 'LOW'],
  ['DeleteAttachment', 'LOW'],
  ['GetDocumentContent', 'LOW'],
  // Creations and changes of the building blocks, uploads, identities, tags, subscriptions.
  ['CreateApplication', 'MEDIUM'],
  ['UpdateApplication', 'MEDIUM'],
  ['CreateIndex', 'MEDIUM'],
  ['UpdateIndex', 'MEDIUM'],
  ['CreateRetriever', 'MEDIUM'],
  ['UpdateRetriever', 'MEDIUM'],
  ['CreateDataSource', 'MEDIUM'],
  ['UpdateDataSource', 'MEDIUM'],
  ['StopDataSourceSyncJob', 'MEDIUM'],
  ['CreateWebExperience', 'MEDIUM'],
  ['UpdateWebExperience', 'MEDIUM'],
  ['CreateAnonymousWebExperienceUrl', 'MEDIUM'],
  ['CreateSubscription', 'MEDIUM'],
  ['UpdateSubscription', 'MEDIUM'],
  ['CancelSubscription', 'MEDIUM'],
  ['BatchPutDocument', 'MEDIUM'],
  ['BatchDeleteDocument', 'MEDIUM'],
  ['CreateUser', 'MEDIUM'],
  ['UpdateUser', 'MEDIUM'],
  ['DeleteUser', 'MEDIUM'],
  ['PutGroup', 'MEDIUM'],
  ['DeleteGroup', 'MEDIUM'],
  ['DeletePlugin', 'MEDIUM'],
  ['TagResource', 'MEDIUM'],
  ['UntagResource', 'MEDIUM'],
  ['CreateChatResponseConfiguration', 'MEDIUM'],
  ['UpdateChatResponseConfiguration', 'MEDIUM'],
  ['DeleteChatResponseConfiguration', 'MEDIUM'],
  ['DeleteDataAccessor', 'MEDIUM'],
  ['DisassociatePermission', 'MEDIUM'],
  // Destruction of the building blocks, guardrail changes, new capability or third-party access.
  ['DeleteApplication', 'HIGH'],
  ['DeleteIndex', 'HIGH'],
  ['DeleteRetriever', 'HIGH'],
  ['DeleteDataSource', 'HIGH'],
  ['DeleteWebExperience', 'HIGH'],
  ['UpdateChatControlsConfiguration', 'HIGH'],
  ['DeleteChatControlsConfiguration', 'HIGH'],
  ['CreatePlugin', 'HIGH'],
  ['UpdatePlugin', 'HIGH'],
  ['CreateDataAccessor', 'HIGH'],
  ['UpdateDataAccessor', 'HIGH'],
  ['AssociatePermission', 'HIGH'],
];

const QDEVELOPER_SEVERITY: ReadonlyArray<readonly [string, Severity]> = [
  ['GetConversation', 'INFORMATIONAL'],
  ['GetTroubleshootingResults', 'INFORMATIONAL'],
  ['SendMessage', 'INFORMATIONAL'],
  ['StartConversation', 'INFORMATIONAL'],
  ['StartTroubleshootingAnalysis', 'INFORMATIONAL'],
  ['StartTroubleshootingResolutionExplanation', 'INFORMATIONAL'],
];

/** The Amazon Q playbook's event-name table, canonicalised (singular sync-job names, no GetApplications). */
const PLAYBOOK_EVENT_NAMES: ReadonlyArray<readonly [EventSource, string]> = [
  ...(['GetConversation', 'GetTroubleshootingResults', 'SendMessage', 'StartConversation', 'StartTroubleshootingAnalysis', 'StartTroubleshootingResolutionExplanation'] as const).map(
    (name) => [QDEV, name] as const,
  ),
  ...([
    'CreateApplication', 'DeleteApplication', 'GetApplication', 'ListApplications', 'UpdateApplication',
    'CreateIndex', 'DeleteIndex', 'GetIndex', 'ListIndices', 'UpdateIndex',
    'CreateRetriever', 'DeleteRetriever', 'GetRetriever', 'ListRetrievers', 'UpdateRetriever',
    'CreateDataSource', 'DeleteDataSource', 'GetDataSource', 'ListDataSources', 'UpdateDataSource',
    'StartDataSourceSyncJob', 'StopDataSourceSyncJob', 'ListDataSourceSyncJobs',
    'BatchPutDocument', 'BatchDeleteDocument',
    'Chat', 'ChatSync', 'DeleteConversation', 'ListConversations', 'ListMessages',
    'CreateUser', 'DeleteUser', 'GetUser', 'UpdateUser', 'PutGroup', 'DeleteGroup', 'GetGroup', 'ListGroups',
    'CreatePlugin', 'DeletePlugin', 'GetPlugin', 'UpdatePlugin',
    'UpdateChatControlsConfiguration', 'DeleteChatControlsConfiguration', 'GetChatControlsConfiguration',
  ] as const).map((name) => [QB, name] as const),
];

describe('playbook table coverage', () => {
  it('reads a non-trivial SDK model (guards the completeness tests against an empty directory)', () => {
    expect(sdkOperations().length).toBeGreaterThanOrEqual(80);
  });

  it.each(sdkOperations())('has a qbusiness row for SDK operation %s', (operation) => {
    expect(findRow(QB, operation)).toBeDefined();
  });

  it.each(rowsOf(QB).map((row) => row.eventName))('qbusiness row %s names an operation of the SDK model', (eventName) => {
    expect(sdkOperations()).toContain(eventName);
  });

  it.each(QDEVELOPER_SEVERITY.map(([name]) => name))('has a q.amazonaws.com row for Q Developer operation %s', (eventName) => {
    expect(findRow(QDEV, eventName)?.category).toBe('general');
  });

  it('has no row twice for the same event source and event name', () => {
    const keys = PLAYBOOK_TABLE.map((row) => `${row.eventSource} ${row.eventName}`);
    const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
    expect(duplicates).toEqual([]);
  });

  it.each(['StartDataSourceSyncJobs', 'StopDataSourceSyncJobs', 'GetApplications'])('has no row for the misspelt or non-existent name %s', (eventName) => {
    expect(PLAYBOOK_TABLE.some((row) => row.eventName === eventName)).toBe(false);
  });
});

describe('severity policy', () => {
  it.each(QBUSINESS_SEVERITY)('qbusiness %s is %s', (eventName, severity) => {
    expect(findRow(QB, eventName)?.severity).toBe(severity);
  });

  it.each(QDEVELOPER_SEVERITY)('q %s is %s', (eventName, severity) => {
    expect(findRow(QDEV, eventName)?.severity).toBe(severity);
  });

  it('has an expected severity for every row, so a new row needs a decision here', () => {
    const expected = new Set([...QBUSINESS_SEVERITY.map(([n]) => `${QB} ${n}`), ...QDEVELOPER_SEVERITY.map(([n]) => `${QDEV} ${n}`)]);
    const unlisted = PLAYBOOK_TABLE.map((row) => `${row.eventSource} ${row.eventName}`).filter((key) => !expected.has(key));
    expect(unlisted).toEqual([]);
  });

  it('lists each operation once in the expected-severity tables', () => {
    const names = QBUSINESS_SEVERITY.map(([n]) => n);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe('access and phase rules', () => {
  const CHAT_OPERATIONS = new Set(['Chat', 'ChatSync', 'PutFeedback', 'SendMessage', 'StartConversation', 'GetConversation', 'StartTroubleshootingAnalysis', 'StartTroubleshootingResolutionExplanation']);
  const READ_PREFIX = /^(Get|List|Search|Check)/;

  it.each(ALL_ROWS)('%s has the access kind its verb implies', (_key, row) => {
    const expected = CHAT_OPERATIONS.has(row.eventName) ? 'chat' : READ_PREFIX.test(row.eventName) ? 'read' : 'write';
    expect(row.access).toBe(expected);
  });

  it.each(ALL_ROWS.filter(([, row]) => row.access !== 'write'))('%s (read or chat) is in detection-analysis', (_key, row) => {
    expect(row.phase).toBe('detection-analysis');
  });

  // Removing a user's own chat content is low impact; every other removal or stop needs restoring.
  const USER_CONTENT_DELETIONS = new Set(['DeleteConversation', 'DeleteAttachment']);
  const REMOVALS = ALL_ROWS.filter(([, row]) => /^(Delete|BatchDelete|Disassociate|Cancel|Stop)/.test(row.eventName) && !USER_CONTENT_DELETIONS.has(row.eventName));

  it.each(REMOVALS)('%s (removes or stops something) is in recovery', (_key, row) => {
    expect(row.phase).toBe('recovery');
  });

  it.each(ALL_ROWS.filter(([, row]) => /^(Create|Update|Put|BatchPut|Associate|Tag|Untag)/.test(row.eventName) && row.access === 'write'))(
    '%s (creates or widens) is in containment-eradication',
    (_key, row) => {
      expect(row.phase).toBe('containment-eradication');
    },
  );

  it.each([...USER_CONTENT_DELETIONS, 'StartDataSourceSyncJob'])('low-impact write %s is in detection-analysis', (eventName) => {
    expect(findRow(QB, eventName)?.phase).toBe('detection-analysis');
  });
});

describe('row content', () => {
  it.each(ALL_ROWS)('%s has its own non-empty description', (_key, row) => {
    expect(row.description.trim().length).toBeGreaterThan(20);
    expect(row.description).not.toMatch(/grants permission/i);
  });

  it.each(ALL_ROWS)('%s has one or two response steps', (_key, row) => {
    expect(row.steps.length).toBeGreaterThanOrEqual(1);
    expect(row.steps.length).toBeLessThanOrEqual(2);
  });

  it.each(ALL_ROWS)('%s links every step to the official AWS documentation', (_key, row) => {
    for (const step of row.steps) {
      expect(step.text.trim()).not.toBe('');
      expect(step.link).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/amazonq\/latest\/(api-reference\/API_[A-Za-z]+\.html|qbusiness-ug\/[\w-]+\.html|qdeveloper-ug\/[\w-]+\.html)$/);
    }
  });

  it.each(ALL_ROWS.filter(([, row]) => row.eventSource === QB))('%s links API reference pages of real operations only', (_key, row) => {
    const operations = sdkOperations();
    const linked = row.steps.flatMap((step) => /\/API_([A-Za-z]+)\.html$/.exec(step.link ?? '')?.slice(1) ?? []);
    expect(linked.filter((op) => !operations.includes(op))).toEqual([]);
  });

  it.each(ALL_ROWS.filter(([, row]) => row.eventSource === QDEV))('%s links the Q Developer guide, not the Q Business API', (_key, row) => {
    for (const step of row.steps) expect(step.link).toMatch(/\/qdeveloper-ug\//);
  });

  it.each(ALL_ROWS)('%s uses a known category other than unclassified', (_key, row) => {
    expect(CATEGORIES).toContain(row.category);
    expect(row.category).not.toBe('unclassified');
  });
});

describe('inPlaybook', () => {
  const named = new Set(PLAYBOOK_EVENT_NAMES.map(([source, name]) => `${source} ${name}`));

  it.each(PLAYBOOK_EVENT_NAMES)('%s %s is marked as named by the playbook', (source, eventName) => {
    expect(findRow(source, eventName)?.inPlaybook).toBe(true);
  });

  it.each(ALL_ROWS.filter(([key]) => !named.has(key)))('%s is not marked as named by the playbook', (_key, row) => {
    expect(row.inPlaybook).toBe(false);
  });
});
