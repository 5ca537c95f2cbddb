import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { CATEGORIES, type EventSource, type PlaybookRow } from '../../../shared/playbook/types';

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

/**
 * Operation lists of the sources without an SDK model in the registry, as documented (see the table's header):
 * severities live with the proving events (shared/playbook/proving-events.ts), not here.
 */
const QAPPS_OPERATIONS = [
  // Amazon Q Apps API reference, "Actions" (API_Operations_QApps).
  'AssociateLibraryItemReview',
  'AssociateQAppWithUser',
  'BatchCreateCategory',
  'BatchDeleteCategory',
  'BatchUpdateCategory',
  'CreateLibraryItem',
  'CreatePresignedUrl',
  'CreateQApp',
  'DeleteLibraryItem',
  'DeleteQApp',
  'DescribeQAppPermissions',
  'DisassociateLibraryItemReview',
  'DisassociateQAppFromUser',
  'ExportQAppSessionData',
  'GetLibraryItem',
  'GetQApp',
  'GetQAppSession',
  'GetQAppSessionMetadata',
  'ImportDocument',
  'ListCategories',
  'ListLibraryItems',
  'ListQApps',
  'ListQAppSessionData',
  'ListTagsForResource',
  'PredictQApp',
  'StartQAppSession',
  'StopQAppSession',
  'TagResource',
  'UntagResource',
  'UpdateLibraryItem',
  'UpdateLibraryItemMetadata',
  'UpdateQApp',
  'UpdateQAppPermissions',
  'UpdateQAppSession',
  'UpdateQAppSessionMetadata',
];
const QDEVELOPER_OPERATIONS = [
  // The q: actions of the AWS managed policy AmazonQFullAccess (v12).
  'StartConversation',
  'SendMessage',
  'GetConversation',
  'ListConversations',
  'UpdateConversation',
  'DeleteConversation',
  'PassRequest',
  'StartTroubleshootingAnalysis',
  'GetTroubleshootingResults',
  'StartTroubleshootingResolutionExplanation',
  'UpdateTroubleshootingCommandResult',
  'GetIdentityMetadata',
  'CreateAssignment',
  'DeleteAssignment',
  'GenerateCodeFromCommands',
  'CreatePlugin',
  'UpdatePlugin',
  'DeletePlugin',
  'GetPlugin',
  'UsePlugin',
  'ListPlugins',
  'ListPluginProviders',
  'ListTagsForResource',
  'UntagResource',
  'TagResource',
  'CreateArtifact',
  'GetArtifact',
  'GetArtifactActionResult',
  'PerformArtifactAction',
];
const CODEWHISPERER_OPERATIONS = [
  // CodeWhispererRuntime model (AWS Toolkit for VS Code, user-service-2.json).
  'CreateArtifactUploadUrl',
  'CreateTaskAssistConversation',
  'CreateUploadUrl',
  'CreateWorkspace',
  'DeleteTaskAssistConversation',
  'DeleteWorkspace',
  'GenerateCompletions',
  'GetCodeAnalysis',
  'GetCodeFixJob',
  'GetTaskAssistCodeGeneration',
  'GetTestGeneration',
  'GetTransformation',
  'GetTransformationPlan',
  'ListAvailableCustomizations',
  'ListAvailableProfiles',
  'ListCodeAnalysisFindings',
  'ListFeatureEvaluations',
  'ListWorkspaceMetadata',
  'ResumeTransformation',
  'SendTelemetryEvent',
  'StartCodeAnalysis',
  'StartCodeFixJob',
  'StartTaskAssistCodeGeneration',
  'StartTestGeneration',
  'StartTransformation',
  'StopTransformation',
  // Its streaming operations, and code suggestions in AWS coding environments (Q Developer permissions reference).
  'GenerateAssistantResponse',
  'ExportResultArchive',
  'GenerateRecommendations',
  // Service authorization reference for Amazon CodeWhisperer: administration.
  'AllowVendedLogDeliveryForResource',
  'AssociateCustomizationPermission',
  'CreateCustomization',
  'CreateProfile',
  'DeleteCustomization',
  'DeleteProfile',
  'DisassociateCustomizationPermission',
  'GetCustomization',
  'ListCustomizationPermissions',
  'ListCustomizationVersions',
  'ListCustomizations',
  'ListProfiles',
  'ListTagsForResource',
  'TagResource',
  'UntagResource',
  'UpdateCustomization',
  'UpdateProfile',
];
const DOCUMENTED: ReadonlyArray<readonly [EventSource, readonly string[]]> = [
  ['qapps.amazonaws.com', QAPPS_OPERATIONS],
  ['q.amazonaws.com', QDEVELOPER_OPERATIONS],
  ['codewhisperer.amazonaws.com', CODEWHISPERER_OPERATIONS],
];

/** The Amazon Q playbook's event-name table, canonicalised (singular sync-job names, no GetApplications). */
const PLAYBOOK_EVENT_NAMES: ReadonlyArray<readonly [EventSource, string]> = [
  ...(
    [
      'GetConversation',
      'GetTroubleshootingResults',
      'SendMessage',
      'StartConversation',
      'StartTroubleshootingAnalysis',
      'StartTroubleshootingResolutionExplanation',
    ] as const
  ).map((name) => [QDEV, name] as const),
  ...(
    [
      'CreateApplication',
      'DeleteApplication',
      'GetApplication',
      'ListApplications',
      'UpdateApplication',
      'CreateIndex',
      'DeleteIndex',
      'GetIndex',
      'ListIndices',
      'UpdateIndex',
      'CreateRetriever',
      'DeleteRetriever',
      'GetRetriever',
      'ListRetrievers',
      'UpdateRetriever',
      'CreateDataSource',
      'DeleteDataSource',
      'GetDataSource',
      'ListDataSources',
      'UpdateDataSource',
      'StartDataSourceSyncJob',
      'StopDataSourceSyncJob',
      'ListDataSourceSyncJobs',
      'BatchPutDocument',
      'BatchDeleteDocument',
      'Chat',
      'ChatSync',
      'DeleteConversation',
      'ListConversations',
      'ListMessages',
      'CreateUser',
      'DeleteUser',
      'GetUser',
      'UpdateUser',
      'PutGroup',
      'DeleteGroup',
      'GetGroup',
      'ListGroups',
      'CreatePlugin',
      'DeletePlugin',
      'GetPlugin',
      'UpdatePlugin',
      'UpdateChatControlsConfiguration',
      'DeleteChatControlsConfiguration',
      'GetChatControlsConfiguration',
    ] as const
  ).map((name) => [QB, name] as const),
];

describe('playbook table coverage', () => {
  test('reads a non-trivial SDK model (guards the completeness tests against an empty directory)', () => {
    expect(sdkOperations().length).toBeGreaterThanOrEqual(80);
  });

  test.each(sdkOperations())('has a qbusiness row for SDK operation %s', (operation) => {
    expect(findRow(QB, operation)).toBeDefined();
  });

  test.each(rowsOf(QB).map((row) => row.eventName))(
    'qbusiness row %s names an operation of the SDK model',
    (eventName) => {
      expect(sdkOperations()).toContain(eventName);
    },
  );

  test.each(DOCUMENTED)(
    '%s has a row for every documented operation and none for an undocumented one',
    (source, operations) => {
      expect(
        rowsOf(source)
          .map((row) => row.eventName)
          .sort(),
      ).toEqual([...operations].sort());
    },
  );

  test('has no row twice for the same event source and event name', () => {
    const keys = PLAYBOOK_TABLE.map((row) => `${row.eventSource} ${row.eventName}`);
    const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
    expect(duplicates).toEqual([]);
  });

  test.each(['StartDataSourceSyncJobs', 'StopDataSourceSyncJobs', 'GetApplications'])(
    'has no row for the misspelt or non-existent name %s',
    (eventName) => {
      expect(PLAYBOOK_TABLE.some((row) => row.eventName === eventName)).toBe(false);
    },
  );
});

describe('access and phase rules', () => {
  const CHAT_OPERATIONS = new Set([
    'Chat',
    'ChatSync',
    'PutFeedback',
    'SendMessage',
    'StartConversation',
    'GetConversation',
    'StartTroubleshootingAnalysis',
    'StartTroubleshootingResolutionExplanation',
    // Q Developer: chat history of the console, acting for the user, code generation and analysis in the IDE.
    'UpdateConversation',
    'PassRequest',
    'UpdateTroubleshootingCommandResult',
    'GenerateCodeFromCommands',
    'UsePlugin',
    'GenerateCompletions',
    'GenerateRecommendations',
    'GenerateAssistantResponse',
    'CreateTaskAssistConversation',
    'StartTaskAssistCodeGeneration',
    'StartCodeAnalysis',
    'StartCodeFixJob',
    'StartTestGeneration',
    'StartTransformation',
    // Q Apps: drafting and running an app.
    'PredictQApp',
    'StartQAppSession',
    'UpdateQAppSession',
  ]);
  const READ_PREFIX = /^(Get|List|Search|Check|Describe)/;

  test.each(ALL_ROWS)('%s has the access kind its verb implies', (_key, row) => {
    const expected = CHAT_OPERATIONS.has(row.eventName) ? 'chat' : READ_PREFIX.test(row.eventName) ? 'read' : 'write';
    expect(row.access).toBe(expected);
  });

  test.each(ALL_ROWS.filter(([, row]) => row.access !== 'write'))(
    '%s (read or chat) is in detection-analysis',
    (_key, row) => {
      expect(row.phase).toBe('detection-analysis');
    },
  );

  // Removing a user's own chat content is low impact; every other removal or stop needs restoring.
  const USER_CONTENT_DELETIONS = new Set([
    'DeleteConversation',
    'DeleteAttachment',
    'DeleteTaskAssistConversation',
    'StopQAppSession',
    'StopTransformation',
  ]);
  const REMOVALS = ALL_ROWS.filter(
    ([, row]) =>
      /^(Delete|BatchDelete|Disassociate|Cancel|Stop)/.test(row.eventName) &&
      !USER_CONTENT_DELETIONS.has(row.eventName),
  );

  test.each(REMOVALS)('%s (removes or stops something) is in recovery', (_key, row) => {
    expect(row.phase).toBe('recovery');
  });

  test.each(
    ALL_ROWS.filter(
      ([, row]) => /^(Create|Update|Put|BatchPut|Associate|Tag|Untag)/.test(row.eventName) && row.access === 'write',
    ),
  )('%s (creates or widens) is in containment-eradication', (_key, row) => {
    expect(row.phase).toBe('containment-eradication');
  });

  test.each(['DeleteConversation', 'DeleteAttachment', 'StartDataSourceSyncJob'])(
    'low-impact write %s is in detection-analysis',
    (eventName) => {
      expect(findRow(QB, eventName)?.phase).toBe('detection-analysis');
    },
  );
});

describe('row content', () => {
  test.each(ALL_ROWS)('%s has its own non-empty description', (_key, row) => {
    expect(row.description.trim().length).toBeGreaterThan(20);
    expect(row.description).not.toMatch(/grants permission/i);
  });

  test.each(ALL_ROWS)('%s has one or two response steps', (_key, row) => {
    expect(row.steps.length).toBeGreaterThanOrEqual(1);
    expect(row.steps.length).toBeLessThanOrEqual(2);
  });

  test.each(ALL_ROWS)('%s links every step to the official AWS documentation', (_key, row) => {
    for (const step of row.steps) {
      expect(step.text.trim()).not.toBe('');
      expect(step.link).toMatch(
        /^https:\/\/docs\.aws\.amazon\.com\/amazonq\/latest\/(api-reference\/API_(qapps_)?[A-Za-z]+\.html|qbusiness-ug\/[\w-]+\.html|qdeveloper-ug\/[\w-]+\.html)$/,
      );
    }
  });

  test.each(ALL_ROWS.filter(([, row]) => row.eventSource === QB))(
    '%s links API reference pages of real operations only',
    (_key, row) => {
      const operations = sdkOperations();
      const linked = row.steps.flatMap((step) => /\/API_([A-Za-z]+)\.html$/.exec(step.link ?? '')?.slice(1) ?? []);
      expect(linked.filter((op) => !operations.includes(op))).toEqual([]);
    },
  );

  test.each(ALL_ROWS.filter(([, row]) => row.eventSource === 'qapps.amazonaws.com'))(
    '%s links Q Apps API reference pages of real operations only',
    (_key, row) => {
      for (const step of row.steps)
        expect(QAPPS_OPERATIONS).toContain(/\/API_qapps_([A-Za-z]+)\.html$/.exec(step.link ?? '')?.[1]);
    },
  );

  test.each(
    ALL_ROWS.filter(([, row]) => row.eventSource === QDEV || row.eventSource === 'codewhisperer.amazonaws.com'),
  )('%s links the Q Developer guide, not the Q Business API', (_key, row) => {
    for (const step of row.steps) expect(step.link).toMatch(/\/qdeveloper-ug\//);
  });

  test.each(ALL_ROWS)('%s uses a known category other than unclassified', (_key, row) => {
    expect(CATEGORIES).toContain(row.category);
    expect(row.category).not.toBe('unclassified');
  });
});

describe('inPlaybook', () => {
  const named = new Set(PLAYBOOK_EVENT_NAMES.map(([source, name]) => `${source} ${name}`));

  test.each(PLAYBOOK_EVENT_NAMES)('%s %s is marked as named by the playbook', (source, eventName) => {
    expect(findRow(source, eventName)?.inPlaybook).toBe(true);
  });

  test.each(ALL_ROWS.filter(([key]) => !named.has(key)))('%s is not marked as named by the playbook', (_key, row) => {
    expect(row.inPlaybook).toBe(false);
  });
});
