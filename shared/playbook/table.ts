/**
 * The playbook table: every Amazon Q operation → category, base severity, IR phase and response steps.
 * Data, not code: adding an operation is one row here and one case in test/unit/playbook/table.test.ts.
 *
 * Coverage, one row per operation of each Amazon Q event source (where each list comes from):
 * - `qbusiness.amazonaws.com`: every command of the @aws-sdk/client-qbusiness model (checked by the table test);
 * - `qapps.amazonaws.com`: every action of the Amazon Q Apps API reference ("Actions", API_Operations_QApps;
 *   no @aws-sdk/client-qapps package is in the registry);
 * - `q.amazonaws.com`: every `q:` action the AWS managed policy AmazonQFullAccess (v12) allows, which covers the
 *   Q Developer permissions reference (security_iam_permissions) and the CloudTrail page's PassRequest;
 * - `codewhisperer.amazonaws.com`: the operations of the Q Developer IDE service model (CodeWhispererRuntime,
 *   `user-service-2.json` of the AWS Toolkit for VS Code), its streaming operations (GenerateAssistantResponse,
 *   ExportResultArchive) and the administrator actions of the service authorization reference for Amazon
 *   CodeWhisperer (customizations, profiles, tags). No @aws-sdk/client-codewhisperer* package is in the registry.
 * Names are canonical API names, as CloudTrail writes them; the playbook's
 * `StartDataSourceSyncJobs`/`StopDataSourceSyncJobs` are the singular operations, and its
 * `GetApplications` does not exist. `inPlaybook` marks what the playbook's event-name table lists.
 *
 * Phase rule (what a responder does about the call):
 * - detection-analysis: the call reads or uses the assistant without changing its configuration (reads,
 *   chat, feedback, starting a sync) or only removes a user's own chat content (conversations, attachments).
 *   Nothing to undo; it tells you what the principal looked at.
 * - containment-eradication: the call creates or changes something so that more people, systems or data
 *   become reachable (creations, updates, uploads, tags, permissions, plugins, data accessors, anonymous URLs).
 *   The responder reverts or deletes it.
 * - recovery: the call removes or stops something the deployment relies on (deletions of resources,
 *   identities, documents and guardrails, revoked permissions, stopped syncs, cancelled subscriptions).
 *   The responder restores it.
 *
 * Access: `read` for Get/List/Search/Check, `chat` for using the assistant, `write` for any state change.
 */
import {
  EVENT_BRIDGE_SOURCES,
  EVENT_SOURCES,
  type AccessKind,
  type Category,
  type EventSource,
  type PlaybookRow,
  type ResponseStep,
  type Severity,
} from './types';

/** Where each source's operation list comes from (see the header); `q-triage playbooks table` and the README print it. */
export const OPERATION_LISTS: Readonly<Record<EventSource, string>> = {
  'qbusiness.amazonaws.com': 'the @aws-sdk/client-qbusiness model (one command per operation)',
  'qapps.amazonaws.com': 'the Amazon Q Apps API reference, "Actions" (no SDK package in the registry)',
  'q.amazonaws.com':
    'the q: actions of the AWS managed policy AmazonQFullAccess (v12) and the Q Developer permissions reference',
  'codewhisperer.amazonaws.com':
    'the IDE service model (CodeWhispererRuntime, AWS Toolkit for VS Code) with its streaming operations, and the CodeWhisperer service authorization reference',
};

const API = 'https://docs.aws.amazon.com/amazonq/latest/api-reference';
const QB_UG = 'https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug';
const QDEV_UG = 'https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug';

const DETECT = 'detection-analysis';
const CONTAIN = 'containment-eradication';
const RECOVER = 'recovery';

/** A response step pointing at the API reference page of `operation` (the call itself or its undo). */
function api(operation: string, text: string): ResponseStep {
  return { text, link: `${API}/API_${operation}.html` };
}
function qbGuide(page: string, text: string): ResponseStep {
  return { text, link: `${QB_UG}/${page}.html` };
}
function qdevGuide(page: string, text: string): ResponseStep {
  return { text, link: `${QDEV_UG}/${page}.html` };
}

type RowFields = Omit<PlaybookRow, 'eventSource' | 'inPlaybook'> & { readonly inPlaybook?: boolean };

function qbusiness(fields: RowFields): PlaybookRow {
  return { eventSource: 'qbusiness.amazonaws.com', inPlaybook: false, ...fields };
}
function qdeveloper(fields: RowFields): PlaybookRow {
  return { eventSource: 'q.amazonaws.com', inPlaybook: false, ...fields };
}

/** A response step pointing at the Q Apps API reference page of `operation`. */
function qappsApi(operation: string, text: string): ResponseStep {
  return { text, link: `${API}/API_qapps_${operation}.html` };
}

type ShortRow = readonly [
  eventName: string,
  severity: Severity,
  phase: PlaybookRow['phase'],
  access: AccessKind,
  description: string,
  step: ResponseStep,
];

/** Rows of the newer sources, one line each: the same fields as the others, without the boilerplate. */
function rowsOf(eventSource: PlaybookRow['eventSource'], category: Category, rows: readonly ShortRow[]): PlaybookRow[] {
  return rows.map(([eventName, severity, phase, access, description, step]) => ({
    eventSource,
    eventName,
    category,
    severity,
    phase,
    access,
    description,
    steps: [step],
    inPlaybook: false,
  }));
}

const QDEV_LOGGING = 'logging-using-cloudtrail';
const QDEV_PERMISSIONS = 'security_iam_permissions';

/** Successful reads share one shape; only the description and the step differ. */
function read(
  eventName: string,
  category: Category,
  description: string,
  step: ResponseStep,
  extra: { readonly inPlaybook?: boolean; readonly severity?: Severity; readonly access?: AccessKind } = {},
): PlaybookRow {
  return qbusiness({
    eventName,
    category,
    description,
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'read',
    steps: [step],
    ...extra,
  });
}

export const PLAYBOOK_TABLE: readonly PlaybookRow[] = [
  // ── application ────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateApplication',
    category: 'application',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description: 'Creates a new Q Business application, a new place from which indexed company data can be queried.',
    steps: [
      api('GetApplication', "Read the new application's identity type, role, encryption key and attachment settings."),
      api('DeleteApplication', 'Delete the application if nobody approved it.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateApplication',
    category: 'application',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      "Changes an application's role, identity or feature settings (attachments, creator mode), which can widen what its users reach.",
    steps: [
      api(
        'UpdateApplication',
        'Compare the changed fields with the approved configuration and set back any that were not approved.',
      ),
    ],
  }),
  qbusiness({
    eventName: 'DeleteApplication',
    category: 'application',
    severity: 'HIGH',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description:
      'Deletes an application together with its indexes, retrievers, data sources and web experiences, taking the assistant away from its users.',
    steps: [
      api(
        'CreateApplication',
        'Recreate the application from its infrastructure-as-code definition, then its index and data sources, and re-sync.',
      ),
    ],
  }),
  read(
    'GetApplication',
    'application',
    "Reads one application's configuration; from an unusual principal it is reconnaissance.",
    api(
      'ListDataSources',
      'Check whether the same principal went on to enumerate data sources, plugins or data accessors.',
    ),
    { inPlaybook: true },
  ),
  read(
    'ListApplications',
    'application',
    'Enumerates the Q Business applications of the account and Region, typically the first step of reconnaissance.',
    api(
      'ListApplications',
      'Check whether the caller normally administers Q Business; an unknown caller listing applications is worth following.',
    ),
    { inPlaybook: true },
  ),
  // Tags live on every resource type; they sit with the application because tag-based (ABAC) access is decided there.
  read(
    'ListTagsForResource',
    'application',
    'Reads the tags of a Q Business resource, which can reveal the tag conditions that access policies rely on.',
    api(
      'ListTagsForResource',
      'Note which resource was inspected; reading tags before changing them is a common ABAC-abuse pattern.',
    ),
  ),
  // MEDIUM: tags used in IAM conditions (ABAC) can grant or lift access without touching a policy.
  qbusiness({
    eventName: 'TagResource',
    category: 'application',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description:
      'Adds or overwrites tags on a Q Business resource; where policies use tag conditions this silently changes who has access.',
    steps: [
      api(
        'UntagResource',
        'Compare the new tags with the tags your IAM policies test and remove or restore any that were not approved.',
      ),
    ],
  }),
  // MEDIUM: removing a tag can lift a tag-based deny or hide a resource's owner, as much as adding one.
  qbusiness({
    eventName: 'UntagResource',
    category: 'application',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description:
      'Removes tags from a Q Business resource, which can lift a tag-based deny or hide who owns the resource.',
    steps: [api('TagResource', 'Restore the removed tags if they were used in access policies or ownership tracking.')],
  }),

  // ── index ──────────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateIndex',
    category: 'index',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description: 'Creates an index that will hold a copy of company documents for the assistant to search.',
    steps: [
      api('DeleteIndex', 'If the index is unexpected, check which data sources were attached to it and delete it.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateIndex',
    category: 'index',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      "Changes an index's capacity or document attribute settings, which alters what is searchable and how results rank.",
    steps: [
      api(
        'GetIndex',
        'Compare capacity and document attribute configuration with the approved baseline and revert unapproved changes.',
      ),
    ],
  }),
  qbusiness({
    eventName: 'DeleteIndex',
    category: 'index',
    severity: 'HIGH',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description:
      'Deletes an index and every document in it; the assistant loses its knowledge until the index is rebuilt and re-synced.',
    steps: [api('CreateIndex', 'Recreate the index, reattach its retriever and data sources, and run full syncs.')],
  }),
  read(
    'GetIndex',
    'index',
    "Reads an index's configuration and document counts.",
    api(
      'ListDataSources',
      'If the caller is unexpected, check whether it also listed the data sources feeding this index.',
    ),
    { inPlaybook: true },
  ),
  read(
    'ListIndices',
    'index',
    'Enumerates the indexes of an application.',
    api('ListIndices', 'Check whether the caller normally administers this application.'),
    { inPlaybook: true },
  ),

  // ── retriever ──────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateRetriever',
    category: 'retriever',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      'Connects an application to an index (native or Amazon Kendra), deciding which content the assistant can answer from.',
    steps: [
      api('GetRetriever', 'Check which index the retriever points at and which role it uses to reach a Kendra index.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateRetriever',
    category: 'retriever',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description: 'Changes which index or role a retriever uses, which can point the assistant at different content.',
    steps: [
      api('UpdateRetriever', 'Point the retriever back at the approved index and role if the change was not approved.'),
    ],
  }),
  qbusiness({
    eventName: 'DeleteRetriever',
    category: 'retriever',
    severity: 'HIGH',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description:
      'Deletes the link between an application and its index, so the assistant can no longer answer from company content.',
    steps: [api('CreateRetriever', 'Recreate the retriever with the approved index and role.')],
  }),
  read(
    'GetRetriever',
    'retriever',
    "Reads a retriever's configuration, including the index and role it uses.",
    api(
      'GetRetriever',
      'If the caller is unexpected, note whether it learned a Kendra index or role it could target next.',
    ),
    { inPlaybook: true },
  ),
  read(
    'ListRetrievers',
    'retriever',
    'Enumerates the retrievers of an application; common in normal console use.',
    api('ListRetrievers', 'Only worth following when the caller does not normally use this application.'),
    { inPlaybook: true },
  ),

  // ── data source ────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateDataSource',
    category: 'data-source',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      'Connects a new repository to an index, so its content (and the credentials used to crawl it) enter the assistant.',
    steps: [
      api(
        'GetDataSource',
        'Check the connector type, target repository, credentials secret and role of the new data source.',
      ),
      api('DeleteDataSource', 'Delete the data source if it was not approved, then remove what it already indexed.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateDataSource',
    category: 'data-source',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      "Changes a data source's connection, scope, schedule or credentials, which can pull in other content or change whose secret is used.",
    steps: [
      api(
        'UpdateDataSource',
        'Compare the connection, inclusion filters and secret with the approved configuration and revert.',
      ),
    ],
  }),
  qbusiness({
    eventName: 'DeleteDataSource',
    category: 'data-source',
    severity: 'HIGH',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description: 'Deletes a data source and its documents from the index, so answers silently lose that content.',
    steps: [api('CreateDataSource', 'Recreate the data source from its approved definition and run a full sync.')],
  }),
  read(
    'GetDataSource',
    'data-source',
    "Reads a data source's configuration, including the repository it crawls and the secret and role it uses.",
    api(
      'GetDataSource',
      'If the caller is unexpected, check whether the secret or role it learned about was then used elsewhere.',
    ),
    { inPlaybook: true },
  ),
  read(
    'ListDataSources',
    'data-source',
    'Enumerates the data sources of an index, showing which company systems the assistant reaches.',
    api('ListDataSources', 'Only worth following when the caller does not normally administer this index.'),
    { inPlaybook: true },
  ),
  qbusiness({
    eventName: 'StartDataSourceSyncJob',
    category: 'data-source',
    severity: 'LOW',
    phase: DETECT,
    access: 'write',
    inPlaybook: true,
    description:
      'Starts a crawl that copies current repository content into the index; routine unless its timing or caller is unusual.',
    steps: [
      api('ListDataSourceSyncJobs', 'Check the job outcome and how many documents it added, changed or removed.'),
    ],
  }),
  qbusiness({
    eventName: 'StopDataSourceSyncJob',
    category: 'data-source',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description: 'Stops a running crawl, which can leave the index stale or keep removed content in it.',
    steps: [
      api(
        'StartDataSourceSyncJob',
        'Start the sync again once the caller is confirmed, so the index matches its source.',
      ),
    ],
  }),
  read(
    'ListDataSourceSyncJobs',
    'data-source',
    'Reads the sync history of a data source; routine for operators and for this backend.',
    api('ListDataSourceSyncJobs', 'Use the history to see when content last changed in the index.'),
    { inPlaybook: true },
  ),

  // ── document ───────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'BatchPutDocument',
    category: 'document',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      'Uploads documents straight into an index, bypassing data sources; planted content can steer answers or carry injected instructions.',
    steps: [
      api('ListDocuments', 'List the uploaded documents and check them against the approved sources.'),
      api('BatchDeleteDocument', 'Remove documents that were not approved.'),
    ],
  }),
  qbusiness({
    eventName: 'BatchDeleteDocument',
    category: 'document',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description: 'Removes documents from an index; in bulk it can erase knowledge the assistant relies on.',
    steps: [
      api(
        'StartDataSourceSyncJob',
        'Re-sync the affected data source (or re-upload) to restore documents removed without approval.',
      ),
    ],
  }),
  read(
    'ListDocuments',
    'document',
    'Lists the documents in an index with their status; in bulk it maps what content is available.',
    api('ListDocuments', 'If the caller is unexpected, check whether it followed up with document content downloads.'),
  ),
  // Document-access checks sit with documents: they answer who may read a given document.
  read(
    'CheckDocumentAccess',
    'document',
    "Checks whether a user can read a document and returns the document's access list, useful to an attacker choosing whom to impersonate.",
    api(
      'CheckDocumentAccess',
      'Note which user and document were checked; repeated checks across users suggest mapping of access.',
    ),
  ),
  // LOW, not INFORMATIONAL: it hands out a link to the whole source document, not a snippet or metadata.
  read(
    'GetDocumentContent',
    'document',
    'Returns a download link to the full source document behind a chat citation; repeated calls are a way to pull content out.',
    api(
      'GetDocumentContent',
      'Count the documents this principal downloaded and check whether they match its normal work.',
    ),
    { severity: 'LOW' },
  ),
  // INFORMATIONAL: the images belong to an answer the user already received, so this is part of normal chat display.
  read(
    'GetMedia',
    'document',
    'Downloads an image extracted from an indexed document so a custom chat client can show it.',
    api('GetMedia', 'Only worth following together with unusual chat or download volume from the same principal.'),
  ),
  read(
    'SearchRelevantContent',
    'document',
    'Searches the index and returns matching passages without generating an answer, a direct way to read indexed content.',
    api(
      'SearchRelevantContent',
      'Check the volume of searches by this principal; a burst suggests content harvesting.',
    ),
  ),

  // ── conversation ───────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'Chat',
    category: 'conversation',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description:
      'Asks the assistant a question over a streaming connection; normal use, relevant when the caller or volume is unusual.',
    steps: [api('ListConversations', "Review the principal's conversations if the caller is not a known user.")],
  }),
  qbusiness({
    eventName: 'ChatSync',
    category: 'conversation',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description:
      'Asks the assistant a question and waits for the whole answer; normal use, relevant when the caller or volume is unusual.',
    steps: [api('ListMessages', "Review the conversation's messages if the caller is not a known user or automation.")],
  }),
  qbusiness({
    eventName: 'PutFeedback',
    category: 'conversation',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    description: "Records a user's rating of an answer; only shows that the principal was using the assistant.",
    steps: [api('ListMessages', 'Use the rated message to see what the principal was asking about.')],
  }),
  read(
    'ListConversations',
    'conversation',
    "Lists a user's conversations with the assistant.",
    api(
      'ListConversations',
      'If the caller is not the conversation owner, check how it obtained identity-aware credentials.',
    ),
    { inPlaybook: true },
  ),
  read(
    'ListMessages',
    'conversation',
    'Reads the messages of a conversation, which can contain sensitive answers.',
    api('ListMessages', 'Check whether the caller read conversations other than its own.'),
    { inPlaybook: true },
  ),
  read(
    'ListAttachments',
    'conversation',
    'Lists files uploaded into conversations, which can contain data users shared with the assistant.',
    api('ListAttachments', 'Check whether the caller listed attachments of conversations it does not own.'),
  ),
  qbusiness({
    eventName: 'DeleteConversation',
    category: 'conversation',
    severity: 'LOW',
    phase: DETECT,
    access: 'write',
    inPlaybook: true,
    description:
      'Deletes a conversation and its history; routine for users, but it can also remove traces of what was asked.',
    steps: [
      api('DeleteConversation', 'If many conversations were deleted together, treat it as possible track-covering.'),
    ],
  }),
  // LOW like DeleteConversation: it removes a user's own chat content, which can also remove traces.
  qbusiness({
    eventName: 'DeleteAttachment',
    category: 'conversation',
    severity: 'LOW',
    phase: DETECT,
    access: 'write',
    description:
      'Deletes a file uploaded into a conversation; routine cleanup, or removal of a file that should not have been shared.',
    steps: [
      api('ListAttachments', 'Check which other attachments the same principal removed and when they were uploaded.'),
    ],
  }),

  // ── users and groups ───────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateUser',
    category: 'user-group',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      "Adds a user mapping to an application; document access follows these mappings, so a forged one can read others' documents.",
    steps: [
      api('GetUser', "Check the new user's aliases against the identity source."),
      api('DeleteUser', 'Delete the mapping if it was not approved.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateUser',
    category: 'user-group',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description: 'Adds or removes aliases of a user, which changes whose documents that user can read.',
    steps: [
      api('GetUser', "Compare the user's aliases with the identity source and remove any that were not approved."),
    ],
  }),
  qbusiness({
    eventName: 'DeleteUser',
    category: 'user-group',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description: 'Removes a user mapping, so that user loses access to documents granted through it.',
    steps: [api('CreateUser', 'Recreate the mapping from the identity source if the deletion was not approved.')],
  }),
  qbusiness({
    eventName: 'PutGroup',
    category: 'user-group',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      'Creates or replaces a group and its members; documents shared with the group become readable by every member.',
    steps: [api('GetGroup', 'Compare the group members with the identity source and restore the approved membership.')],
  }),
  qbusiness({
    eventName: 'DeleteGroup',
    category: 'user-group',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description: 'Deletes a group, so its members lose access to documents shared with it.',
    steps: [api('PutGroup', 'Recreate the group with its approved members if the deletion was not approved.')],
  }),
  read(
    'GetUser',
    'user-group',
    "Reads a user's aliases in an application.",
    api('GetUser', 'If the caller is unexpected, check whether it then changed users or groups.'),
    { inPlaybook: true },
  ),
  read(
    'GetGroup',
    'user-group',
    "Reads a group's status and membership.",
    api('GetGroup', 'If the caller is unexpected, check whether it then changed this group.'),
    { inPlaybook: true },
  ),
  read(
    'ListGroups',
    'user-group',
    'Enumerates the groups mapped in an index, revealing how document access is organised.',
    api('ListGroups', 'Only worth following when the caller does not normally administer this index.'),
    { inPlaybook: true },
  ),

  // ── plugin ─────────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreatePlugin',
    category: 'plugin',
    severity: 'HIGH',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      'Adds a plugin that lets the assistant act in another system (tickets, CRM, custom API) with stored credentials.',
    steps: [
      api('GetPlugin', "Check the plugin's type, server URL, authentication secret and role."),
      api('DeletePlugin', 'Delete the plugin if it was not approved, and rotate the secret it was given.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdatePlugin',
    category: 'plugin',
    severity: 'HIGH',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      "Changes a plugin's target, credentials or state, which can redirect the assistant's actions to another system.",
    steps: [
      api('UpdatePlugin', 'Compare the server URL, secret and role with the approved plugin and revert or disable it.'),
    ],
  }),
  qbusiness({
    eventName: 'DeletePlugin',
    category: 'plugin',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description: 'Removes a plugin, cutting an integration users rely on (or cleaning up one that was planted).',
    steps: [api('CreatePlugin', 'Recreate the plugin from its approved definition if the deletion was not approved.')],
  }),
  read(
    'GetPlugin',
    'plugin',
    "Reads a plugin's configuration, including the system it reaches and the secret it uses.",
    api('GetPlugin', 'If the caller is unexpected, check whether the plugin secret was then read in Secrets Manager.'),
    { inPlaybook: true },
  ),
  read(
    'ListPlugins',
    'plugin',
    'Enumerates the plugins of an application, showing which other systems the assistant can act in.',
    api('ListPlugins', 'Only worth following when the caller does not normally administer this application.'),
  ),
  read(
    'ListPluginActions',
    'plugin',
    'Lists the actions one plugin can perform in its target system.',
    api(
      'ListPluginActions',
      'If the caller is unexpected, note which actions (writes to the target system) it learned about.',
    ),
  ),
  read(
    'ListPluginTypeActions',
    'plugin',
    'Lists the actions available for a plugin type, typically while preparing to create a plugin.',
    api('CreatePlugin', 'Watch for a plugin creation by the same principal shortly after.'),
  ),
  read(
    'ListPluginTypeMetadata',
    'plugin',
    'Lists the plugin types the service offers, typically while preparing to create a plugin.',
    api('CreatePlugin', 'Watch for a plugin creation by the same principal shortly after.'),
  ),

  // ── guardrails (chat controls and chat response configurations) ─────────────────────────────────
  qbusiness({
    eventName: 'UpdateChatControlsConfiguration',
    category: 'guardrails',
    severity: 'HIGH',
    phase: CONTAIN,
    access: 'write',
    inPlaybook: true,
    description:
      "Changes the application's guardrails (blocked phrases, topic rules, response scope, creator mode), which can let the assistant answer what it should refuse.",
    steps: [
      api(
        'GetChatControlsConfiguration',
        'Read the current chat controls, compare them with the approved set and restore it.',
      ),
    ],
  }),
  qbusiness({
    eventName: 'DeleteChatControlsConfiguration',
    category: 'guardrails',
    severity: 'HIGH',
    phase: RECOVER,
    access: 'write',
    inPlaybook: true,
    description:
      'Removes all chat controls of an application, leaving the assistant without its blocked phrases and topic rules.',
    steps: [api('UpdateChatControlsConfiguration', 'Reapply the approved chat controls.')],
  }),
  read(
    'GetChatControlsConfiguration',
    'guardrails',
    "Reads the application's chat controls, which shows an attacker what the assistant refuses.",
    api(
      'GetChatControlsConfiguration',
      'If the caller is unexpected, check whether it then changed the chat controls.',
    ),
    { inPlaybook: true },
  ),
  // MEDIUM: custom instructions shape every answer (tone, scope, what to omit) but do not lift the chat controls themselves.
  qbusiness({
    eventName: 'CreateChatResponseConfiguration',
    category: 'guardrails',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description:
      'Adds custom response instructions to an application, which can change what every answer says or leaves out.',
    steps: [
      api(
        'GetChatResponseConfiguration',
        'Read the instructions and check them for wording that misleads users or drops required caveats.',
      ),
    ],
  }),
  // MEDIUM: same reach as creating one.
  qbusiness({
    eventName: 'UpdateChatResponseConfiguration',
    category: 'guardrails',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description: 'Changes the custom response instructions of an application, altering how every answer is written.',
    steps: [
      api('UpdateChatResponseConfiguration', 'Compare the instructions with the approved version and restore it.'),
    ],
  }),
  // MEDIUM: instructions can carry required wording (disclaimers, scope limits) that disappears with them.
  qbusiness({
    eventName: 'DeleteChatResponseConfiguration',
    category: 'guardrails',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    description:
      'Removes custom response instructions, dropping any disclaimers or scope limits they imposed on answers.',
    steps: [
      api(
        'CreateChatResponseConfiguration',
        'Recreate the approved response configuration if the deletion was not approved.',
      ),
    ],
  }),
  read(
    'GetChatResponseConfiguration',
    'guardrails',
    'Reads the custom response instructions of an application.',
    api('GetChatResponseConfiguration', 'If the caller is unexpected, check whether it then changed them.'),
  ),
  read(
    'ListChatResponseConfigurations',
    'guardrails',
    'Lists the custom response configurations of an application.',
    api(
      'ListChatResponseConfigurations',
      'Only worth following when the caller does not normally administer this application.',
    ),
  ),

  // ── web experience ─────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateWebExperience',
    category: 'web-experience',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description:
      'Publishes a web chat front end for an application, a new entry point through which users reach company data.',
    steps: [
      api('GetWebExperience', 'Check the allowed origins, identity provider and role of the new web experience.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateWebExperience',
    category: 'web-experience',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description:
      "Changes a web experience's origins, identity provider or role, which can expose the assistant to other sites or users.",
    steps: [api('UpdateWebExperience', 'Restore the approved origins, identity provider and role.')],
  }),
  qbusiness({
    eventName: 'DeleteWebExperience',
    category: 'web-experience',
    severity: 'HIGH',
    phase: RECOVER,
    access: 'write',
    description: "Deletes a web experience, taking the assistant's web front end away from its users.",
    steps: [
      api(
        'CreateWebExperience',
        'Recreate the web experience with its approved settings and tell users the new address.',
      ),
    ],
  }),
  read(
    'GetWebExperience',
    'web-experience',
    "Reads a web experience's configuration and address.",
    api('GetWebExperience', 'If the caller is unexpected, check whether it then changed the web experience.'),
  ),
  read(
    'ListWebExperiences',
    'web-experience',
    'Enumerates the web experiences of an application.',
    api('ListWebExperiences', 'Only worth following when the caller does not normally administer this application.'),
  ),
  // MEDIUM: the URL opens a session without any identity, but it only works on anonymous applications,
  // where an embedding site calls it routinely; HIGH would page on every visitor.
  qbusiness({
    eventName: 'CreateAnonymousWebExperienceUrl',
    category: 'web-experience',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description:
      'Mints a short-lived link that opens the assistant without any sign-in; whoever holds it can chat with the application.',
    steps: [
      api(
        'CreateAnonymousWebExperienceUrl',
        'Check that the caller is the approved embedding backend; any other caller is handing out anonymous sessions.',
      ),
      qbGuide(
        'supported-exp-actions',
        'If the anonymous application should not be public, delete or restrict its web experience.',
      ),
    ],
  }),

  // ── data accessor (third parties reading the index, and their permissions) ───────────────────────
  qbusiness({
    eventName: 'CreateDataAccessor',
    category: 'data-accessor',
    severity: 'HIGH',
    phase: CONTAIN,
    access: 'write',
    description:
      "Registers a third party (ISV) as a data accessor, letting it query the application's index on behalf of users.",
    steps: [
      api('GetDataAccessor', 'Identify the principal behind the data accessor and the actions granted to it.'),
      api('DeleteDataAccessor', 'Delete the data accessor if the party was not approved.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateDataAccessor',
    category: 'data-accessor',
    severity: 'HIGH',
    phase: CONTAIN,
    access: 'write',
    description:
      "Changes the actions or filters granted to a third party's data accessor, which can widen what it reads.",
    steps: [
      api('GetDataAccessor', 'Compare the granted actions and attribute filters with what was approved and revert.'),
    ],
  }),
  // MEDIUM: removes a third party's access; either cleanup of an unwanted grant or a broken integration to restore.
  qbusiness({
    eventName: 'DeleteDataAccessor',
    category: 'data-accessor',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    description:
      "Removes a third party's data accessor, cutting its access to the index (and the record of what it was allowed).",
    steps: [
      api(
        'CreateDataAccessor',
        'If the integration was approved, recreate the data accessor with its approved actions.',
      ),
    ],
  }),
  read(
    'GetDataAccessor',
    'data-accessor',
    "Reads a data accessor's principal, granted actions and filters.",
    api('GetDataAccessor', 'If the caller is unexpected, check whether it then changed data accessors or permissions.'),
  ),
  read(
    'ListDataAccessors',
    'data-accessor',
    'Enumerates the third parties that can read the application index.',
    api('ListDataAccessors', 'Only worth following when the caller does not normally administer this application.'),
  ),
  qbusiness({
    eventName: 'AssociatePermission',
    category: 'data-accessor',
    severity: 'HIGH',
    phase: CONTAIN,
    access: 'write',
    description: "Adds a statement to the application's resource policy that lets another account's principal call it.",
    steps: [
      api('GetPolicy', 'Read the application policy and identify the principal and actions the new statement allows.'),
      api('DisassociatePermission', 'Remove the statement if the cross-account access was not approved.'),
    ],
  }),
  // MEDIUM: revokes cross-account access; either cleanup of an unwanted grant or a broken integration to restore.
  qbusiness({
    eventName: 'DisassociatePermission',
    category: 'data-accessor',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    description: "Removes a statement from the application's resource policy, revoking another account's access.",
    steps: [
      api('AssociatePermission', 'If the revoked access belonged to an approved integration, add the statement back.'),
    ],
  }),
  read(
    'GetPolicy',
    'data-accessor',
    "Reads the application's resource policy, which lists the other accounts allowed to call it.",
    api('GetPolicy', 'Check the policy for statements nobody approved.'),
  ),

  // ── subscription ───────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateSubscription',
    category: 'subscription',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description: 'Subscribes a user or group to a pricing tier, giving them use of the application and adding cost.',
    steps: [api('ListSubscriptions', 'Check that the subscribed user or group is expected to use this application.')],
  }),
  qbusiness({
    eventName: 'UpdateSubscription',
    category: 'subscription',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description: "Changes a subscription's pricing tier, which changes the features (and cost) a user or group gets.",
    steps: [api('UpdateSubscription', 'Set the tier back if the change was not approved.')],
  }),
  // MEDIUM: cuts a user or group off the assistant from next month; disruptive, and a way to lock out responders.
  qbusiness({
    eventName: 'CancelSubscription',
    category: 'subscription',
    severity: 'MEDIUM',
    phase: RECOVER,
    access: 'write',
    description: 'Unsubscribes a user or group, who loses use of the application at the start of next month.',
    steps: [api('CreateSubscription', 'Subscribe the user or group again if the cancellation was not approved.')],
  }),
  read(
    'ListSubscriptions',
    'subscription',
    'Lists who is subscribed to an application and at which tier.',
    api('ListSubscriptions', 'Only worth following when the caller does not normally administer this application.'),
  ),

  // ── general (Amazon Q Developer in the console) ──────────────────────────────────────────────────
  qdeveloper({
    eventName: 'StartConversation',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description:
      'Opens a conversation with Amazon Q Developer in the console; shows the principal is using the assistant.',
    steps: [
      qdevGuide(
        'id-based-policy-examples-users',
        'Check that the principal is meant to have Amazon Q Developer chat permissions.',
      ),
    ],
  }),
  qdeveloper({
    eventName: 'SendMessage',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description:
      'Sends a question to Amazon Q Developer; the text is redacted in the log, so only caller and volume can be judged.',
    steps: [
      qdevGuide(
        'q-on-aws',
        'If the caller is unexpected, consider that questions about account resources can map the environment.',
      ),
    ],
  }),
  // `chat`, not `read`: the console opens the conversation as part of chatting, not to inspect configuration.
  qdeveloper({
    eventName: 'GetConversation',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description: 'Loads the messages of an Amazon Q Developer conversation in the console.',
    steps: [
      qdevGuide(
        'security_iam_permissions',
        'Check that the principal is meant to have Amazon Q Developer permissions.',
      ),
    ],
  }),
  qdeveloper({
    eventName: 'StartTroubleshootingAnalysis',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description:
      'Asks Amazon Q Developer to analyse a console error, which shares that error and its resource context with the assistant.',
    steps: [
      qdevGuide(
        'q-on-aws',
        'Find the console error being troubleshot; repeated access errors can mean the principal is probing permissions.',
      ),
    ],
  }),
  qdeveloper({
    eventName: 'GetTroubleshootingResults',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'read',
    inPlaybook: true,
    description: 'Reads the result of a troubleshooting analysis of a console error.',
    steps: [qdevGuide('security_iam_permissions', 'Check that the principal is meant to use console troubleshooting.')],
  }),
  qdeveloper({
    eventName: 'StartTroubleshootingResolutionExplanation',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'chat',
    inPlaybook: true,
    description:
      'Asks Amazon Q Developer for step-by-step instructions to fix a console error, which may include permission changes.',
    steps: [
      qdevGuide(
        'q-on-aws',
        'Check whether the principal then made the changes suggested (for example IAM policy edits).',
      ),
    ],
  }),

  // ── Amazon Q Developer in the console: the rest of its `q:` actions ──────────────────────────────
  ...rowsOf('q.amazonaws.com', 'general', [
    [
      'ListConversations',
      'INFORMATIONAL',
      DETECT,
      'read',
      "Lists a user's Amazon Q Developer conversations in the console.",
      qdevGuide(QDEV_PERMISSIONS, 'Check that the principal is meant to chat with Amazon Q Developer.'),
    ],
    [
      'UpdateConversation',
      'INFORMATIONAL',
      DETECT,
      'chat',
      "Renames or otherwise updates one of the caller's own Amazon Q Developer conversations.",
      qdevGuide(QDEV_PERMISSIONS, 'Nothing to undo; note it only if the caller is unexpected.'),
    ],
    [
      'DeleteConversation',
      'LOW',
      DETECT,
      'write',
      "Deletes one of the caller's Amazon Q Developer conversations, removing what was asked and answered.",
      qdevGuide(
        QDEV_LOGGING,
        'If the principal is under investigation, what it asked is gone from Amazon Q; the CloudTrail records of the chat remain.',
      ),
    ],
    // Chat-like: Amazon Q acting with the user's own permissions; the calls it then makes are judged in their own records (invokedBy q.amazonaws.com).
    [
      'PassRequest',
      'INFORMATIONAL',
      DETECT,
      'chat',
      "Amazon Q Developer acted in AWS for the user, with the user's own permissions (for example to answer a question about resources).",
      qdevGuide(
        QDEV_LOGGING,
        'Look up the calls Amazon Q made for the user (records with invokedBy q.amazonaws.com) and check that they were expected.',
      ),
    ],
    [
      'UpdateTroubleshootingCommandResult',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Feeds the result of a command back into an Amazon Q Developer troubleshooting session of a console error.',
      qdevGuide('q-on-aws', 'Check which resources the troubleshooting session looked at.'),
    ],
    [
      'GetIdentityMetadata',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Amazon Q Developer fetched identity metadata of the application for the signed-in user.',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GenerateCodeFromCommands',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Asks Amazon Q Developer to turn CLI commands into code.',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'UsePlugin',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Uses an Amazon Q Developer plugin from chat, which queries a third-party system with stored credentials.',
      qdevGuide(QDEV_LOGGING, 'Check that the plugin used is an approved one.'),
    ],
    [
      'GetPlugin',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the configuration of an Amazon Q Developer plugin.',
      qdevGuide(QDEV_PERMISSIONS, 'If the caller is unexpected, check whether it then changed plugins.'),
    ],
    [
      'ListPlugins',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the Amazon Q Developer plugins of the account, showing which third-party systems it reaches.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Only worth following when the caller does not normally administer Amazon Q Developer.',
      ),
    ],
    [
      'ListPluginProviders',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the third-party providers Amazon Q Developer plugins can connect to, typically before creating one.',
      qdevGuide(QDEV_PERMISSIONS, 'Watch for a plugin creation by the same principal shortly after.'),
    ],
    [
      'ListTagsForResource',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the tags of an Amazon Q Developer resource, which can reveal the tag conditions policies rely on.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Note which resource was inspected; reading tags before changing them is a common ABAC-abuse pattern.',
      ),
    ],
    [
      'GetArtifact',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads an artifact (a generated document or plan) of Amazon Q Developer.',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetArtifactActionResult',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the result of an action Amazon Q Developer performed on an artifact.',
      qdevGuide(QDEV_PERMISSIONS, 'Check which action was performed and on what.'),
    ],
    [
      'CreateArtifact',
      'LOW',
      CONTAIN,
      'write',
      'Creates an Amazon Q Developer artifact (a generated document or plan) from a conversation.',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    // MEDIUM: an artifact action can change resources in the account on the user's behalf.
    [
      'PerformArtifactAction',
      'MEDIUM',
      CONTAIN,
      'write',
      "Has Amazon Q Developer carry out an action on an artifact, which can change resources on the user's behalf.",
      qdevGuide(
        QDEV_LOGGING,
        'Find the calls Amazon Q made for the user right after (invokedBy q.amazonaws.com) and revert any that were not approved.',
      ),
    ],
    // MEDIUM: subscriptions of Amazon Q Developer Pro, like Q Business subscriptions.
    [
      'CreateAssignment',
      'MEDIUM',
      CONTAIN,
      'write',
      'Assigns an Amazon Q Developer subscription to a user or group, giving them Amazon Q and adding cost.',
      qdevGuide(QDEV_PERMISSIONS, 'Check that the user or group is expected to have Amazon Q Developer.'),
    ],
    [
      'DeleteAssignment',
      'MEDIUM',
      RECOVER,
      'write',
      'Removes an Amazon Q Developer subscription from a user or group.',
      qdevGuide(QDEV_PERMISSIONS, 'Assign the subscription again if the removal was not approved.'),
    ],
    // HIGH, as for Q Business: a plugin lets the assistant reach another system with stored credentials.
    [
      'CreatePlugin',
      'HIGH',
      CONTAIN,
      'write',
      'Adds an Amazon Q Developer plugin that connects chat to a third-party system with stored credentials.',
      qdevGuide(
        QDEV_LOGGING,
        "Check the plugin's provider and credentials; delete it and rotate the credentials if it was not approved.",
      ),
    ],
    [
      'UpdatePlugin',
      'HIGH',
      CONTAIN,
      'write',
      "Changes an Amazon Q Developer plugin's provider or credentials, which can point chat at another system.",
      qdevGuide(QDEV_LOGGING, 'Compare the plugin with the approved one and revert.'),
    ],
    [
      'DeletePlugin',
      'MEDIUM',
      RECOVER,
      'write',
      'Removes an Amazon Q Developer plugin, cutting an integration (or cleaning up a planted one).',
      qdevGuide(QDEV_LOGGING, 'Recreate the plugin from its approved definition if the deletion was not approved.'),
    ],
    [
      'TagResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Adds or overwrites tags on an Amazon Q Developer resource; tag conditions in policies then decide access differently.',
      qdevGuide(QDEV_PERMISSIONS, 'Compare the tags with those your IAM policies test and restore them.'),
    ],
    [
      'UntagResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Removes tags from an Amazon Q Developer resource, which can lift a tag-based deny.',
      qdevGuide(QDEV_PERMISSIONS, 'Restore the removed tags if policies or ownership tracking used them.'),
    ],
  ]),

  // ── Amazon Q Apps (qapps.amazonaws.com) ─────────────────────────────────────────────────────────
  ...rowsOf('qapps.amazonaws.com', 'q-app', [
    [
      'CreateQApp',
      'MEDIUM',
      CONTAIN,
      'write',
      'Creates a Q App, a small generative app over company data that its creator can share with others.',
      qappsApi('GetQApp', "Read the app's definition: which cards, plugins and documents it uses."),
    ],
    [
      'UpdateQApp',
      'MEDIUM',
      CONTAIN,
      'write',
      "Changes a Q App's definition (its prompts, plugins, documents), which changes what every user of it gets.",
      qappsApi('GetQApp', 'Compare the definition with the version that was published and revert unapproved changes.'),
    ],
    [
      'DeleteQApp',
      'MEDIUM',
      RECOVER,
      'write',
      'Deletes a Q App, taking it away from everyone it was shared with.',
      qappsApi('CreateQApp', 'Recreate the app from its last known definition if the deletion was not approved.'),
    ],
    [
      'GetQApp',
      'INFORMATIONAL',
      DETECT,
      'read',
      "Reads a Q App's definition.",
      qappsApi('GetQApp', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'ListQApps',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the Q Apps the caller can use.',
      qappsApi('ListQApps', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'DescribeQAppPermissions',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads who may view and use a Q App.',
      qappsApi(
        'DescribeQAppPermissions',
        'If the caller is unexpected, check whether it then changed the permissions.',
      ),
    ],
    // MEDIUM: sharing is routine for Q Apps, but it hands the app (and documents built into it) to other users.
    [
      'UpdateQAppPermissions',
      'MEDIUM',
      CONTAIN,
      'write',
      'Changes who may view and use a Q App, which can share the app and the documents built into it with more people.',
      qappsApi(
        'DescribeQAppPermissions',
        'Check the users and groups now allowed and remove those that were not approved.',
      ),
    ],
    [
      'PredictQApp',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Asks Amazon Q to draft a Q App from a description or a conversation.',
      qappsApi('PredictQApp', 'Watch for a Q App creation by the same principal shortly after.'),
    ],
    [
      'ImportDocument',
      'MEDIUM',
      CONTAIN,
      'write',
      'Uploads a file into a Q App or one of its sessions, so its content reaches the app and whoever uses it.',
      qappsApi('ImportDocument', "Check which file was uploaded and whether it may be shared with the app's users."),
    ],
    [
      'CreatePresignedUrl',
      'LOW',
      CONTAIN,
      'write',
      'Creates an upload link for a file that a Q App or session will use.',
      qappsApi('CreatePresignedUrl', 'Watch for the document import that follows and check the file.'),
    ],
    [
      'StartQAppSession',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Starts a run of a Q App.',
      qappsApi('StartQAppSession', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'UpdateQAppSession',
      'INFORMATIONAL',
      DETECT,
      'chat',
      "Sends a user's inputs to a running Q App session.",
      qappsApi('UpdateQAppSession', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'StopQAppSession',
      'INFORMATIONAL',
      DETECT,
      'write',
      'Ends a run of a Q App.',
      qappsApi('StopQAppSession', "Nothing to undo; it ends the caller's own session."),
    ],
    [
      'GetQAppSession',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the state and outputs of a Q App session.',
      qappsApi('GetQAppSession', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'GetQAppSessionMetadata',
      'INFORMATIONAL',
      DETECT,
      'read',
      "Reads a Q App session's sharing settings.",
      qappsApi('GetQAppSessionMetadata', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'UpdateQAppSessionMetadata',
      'MEDIUM',
      CONTAIN,
      'write',
      'Changes whether a Q App session is shared and collects data from others, widening who sees its inputs and outputs.',
      qappsApi('GetQAppSessionMetadata', 'Check the sharing settings and turn sharing off if it was not approved.'),
    ],
    [
      'ListQAppSessionData',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the data collected from everyone who took part in a shared Q App session.',
      qappsApi('ListQAppSessionData', 'If the caller is unexpected, check what the collected data held.'),
    ],
    // MEDIUM: takes everything a shared session collected out of Amazon Q in one file.
    [
      'ExportQAppSessionData',
      'MEDIUM',
      DETECT,
      'write',
      'Exports the data collected in a shared Q App session to a file, taking it out of Amazon Q.',
      qappsApi('ExportQAppSessionData', 'Check who exported the data and whether they may hold it.'),
    ],
    [
      'CreateLibraryItem',
      'MEDIUM',
      CONTAIN,
      'write',
      'Publishes a Q App to the library, where other users of the application can find and run it.',
      qappsApi(
        'GetLibraryItem',
        'Check that the published app is meant to be available to everyone who can see the library.',
      ),
    ],
    [
      'UpdateLibraryItem',
      'MEDIUM',
      CONTAIN,
      'write',
      "Changes a library item's status or categories, which changes who finds the app.",
      qappsApi('GetLibraryItem', 'Restore the approved status and categories.'),
    ],
    // MEDIUM: a verified mark tells users an app is trusted.
    [
      'UpdateLibraryItemMetadata',
      'MEDIUM',
      CONTAIN,
      'write',
      'Marks a library item as verified or not, which tells users whether to trust the app.',
      qappsApi('GetLibraryItem', 'Check that an administrator approved the verification.'),
    ],
    [
      'DeleteLibraryItem',
      'MEDIUM',
      RECOVER,
      'write',
      'Removes a Q App from the library, so other users can no longer find it.',
      qappsApi('CreateLibraryItem', 'Publish the app again if the removal was not approved.'),
    ],
    [
      'GetLibraryItem',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads a library item of Q Apps.',
      qappsApi('GetLibraryItem', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'ListLibraryItems',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the Q Apps published in the library.',
      qappsApi('ListLibraryItems', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'AssociateLibraryItemReview',
      'LOW',
      CONTAIN,
      'write',
      'Rates a library item, which raises the app in the library.',
      qappsApi('DisassociateLibraryItemReview', 'Only worth following when many ratings come from one principal.'),
    ],
    [
      'DisassociateLibraryItemReview',
      'LOW',
      RECOVER,
      'write',
      "Removes the caller's rating of a library item.",
      qappsApi('AssociateLibraryItemReview', 'Nothing to restore unless ratings are being manipulated.'),
    ],
    [
      'AssociateQAppWithUser',
      'LOW',
      CONTAIN,
      'write',
      "Adds a Q App to the caller's own apps (a favourite) so they can run it.",
      qappsApi('AssociateQAppWithUser', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'DisassociateQAppFromUser',
      'LOW',
      RECOVER,
      'write',
      "Removes a Q App from the caller's own apps.",
      qappsApi('DisassociateQAppFromUser', 'Nothing to restore unless it was done for another user.'),
    ],
    [
      'BatchCreateCategory',
      'LOW',
      CONTAIN,
      'write',
      'Creates library categories that organise the Q Apps of an application.',
      qappsApi('ListCategories', 'Check the new categories with the library administrators.'),
    ],
    [
      'BatchUpdateCategory',
      'LOW',
      CONTAIN,
      'write',
      'Renames or recolours library categories of Q Apps.',
      qappsApi('ListCategories', 'Check the changes with the library administrators.'),
    ],
    [
      'BatchDeleteCategory',
      'LOW',
      RECOVER,
      'write',
      'Deletes library categories of Q Apps.',
      qappsApi('BatchCreateCategory', 'Recreate the categories if the deletion was not approved.'),
    ],
    [
      'ListCategories',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the library categories of Q Apps.',
      qappsApi('ListCategories', 'Only worth following when the caller does not normally use Q Apps.'),
    ],
    [
      'ListTagsForResource',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the tags of a Q Apps resource, which can reveal the tag conditions policies rely on.',
      qappsApi(
        'ListTagsForResource',
        'Note which resource was inspected; reading tags before changing them is a common ABAC-abuse pattern.',
      ),
    ],
    [
      'TagResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Adds or overwrites tags on a Q Apps resource; tag conditions in policies then decide access differently.',
      qappsApi('UntagResource', 'Compare the tags with those your IAM policies test and restore them.'),
    ],
    [
      'UntagResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Removes tags from a Q Apps resource, which can lift a tag-based deny.',
      qappsApi('TagResource', 'Restore the removed tags if policies or ownership tracking used them.'),
    ],
  ]),

  // ── Amazon Q Developer in the IDE and CLI (codewhisperer.amazonaws.com; data events for Pro subscriptions) ──
  ...rowsOf('codewhisperer.amazonaws.com', 'developer-ide', [
    [
      'GenerateCompletions',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Inline code suggestions in the IDE; the file context around the cursor is sent to Amazon Q.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GenerateRecommendations',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Code suggestions in AWS coding environments (Lambda console, SageMaker, Glue).',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GenerateAssistantResponse',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'A chat message to Amazon Q Developer from the IDE or the CLI, with the code context the client attached.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'CreateTaskAssistConversation',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Starts an agent conversation in the IDE that will generate code across the project.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'DeleteTaskAssistConversation',
      'LOW',
      DETECT,
      'write',
      "Deletes one of the caller's agent conversations in the IDE.",
      qdevGuide(QDEV_LOGGING, 'Nothing to undo; the CloudTrail records of the conversation remain.'),
    ],
    [
      'StartTaskAssistCodeGeneration',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Asks the IDE agent to generate code for a task over the uploaded project.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetTaskAssistCodeGeneration',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the status of an IDE agent code generation.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'StartCodeAnalysis',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Starts a security scan of uploaded code.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetCodeAnalysis',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the status of a code security scan.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'ListCodeAnalysisFindings',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the findings of a code security scan, which describe weaknesses in the code.',
      qdevGuide(QDEV_LOGGING, 'If the caller is unexpected, it learned where the code is weak.'),
    ],
    [
      'StartCodeFixJob',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Asks Amazon Q Developer to generate a fix for a code finding.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetCodeFixJob',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the status and result of a code fix job.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'StartTestGeneration',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Asks Amazon Q Developer to generate unit tests for uploaded code.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetTestGeneration',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the status of a test generation job.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'StartTransformation',
      'INFORMATIONAL',
      DETECT,
      'chat',
      'Starts a code transformation (for example a Java upgrade) of an uploaded project.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetTransformation',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the status of a code transformation.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'GetTransformationPlan',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the plan of a code transformation.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'ResumeTransformation',
      'LOW',
      DETECT,
      'write',
      'Resumes a paused code transformation.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'StopTransformation',
      'LOW',
      DETECT,
      'write',
      "Stops one of the caller's code transformations.",
      qdevGuide(QDEV_LOGGING, "Nothing to undo; it stops the caller's own job."),
    ],
    // LOW: the code leaves the developer's machine for Amazon Q; from an unexpected principal it is exfiltration-shaped.
    [
      'CreateUploadUrl',
      'LOW',
      CONTAIN,
      'write',
      'Creates a link to upload a zip of the project to Amazon Q (for scans, agents and transformations).',
      qdevGuide(QDEV_LOGGING, 'Check that the principal may send this code to Amazon Q.'),
    ],
    [
      'CreateArtifactUploadUrl',
      'LOW',
      CONTAIN,
      'write',
      'Creates a link to upload build artifacts of the project to Amazon Q.',
      qdevGuide(QDEV_LOGGING, 'Check that the principal may send these artifacts to Amazon Q.'),
    ],
    [
      'ExportResultArchive',
      'LOW',
      DETECT,
      'write',
      'Downloads the result of an agent, transformation or test job (generated code) to the client.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'CreateWorkspace',
      'LOW',
      CONTAIN,
      'write',
      "Creates a remote workspace index of the caller's project, so Amazon Q keeps context of the code.",
      qdevGuide(QDEV_LOGGING, 'Check that the principal may send this code to Amazon Q.'),
    ],
    [
      'DeleteWorkspace',
      'LOW',
      RECOVER,
      'write',
      'Deletes a remote workspace index of a project.',
      qdevGuide(QDEV_LOGGING, 'Nothing to restore; the client recreates it when needed.'),
    ],
    [
      'ListWorkspaceMetadata',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the remote workspaces of the caller.',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'SendTelemetryEvent',
      'INFORMATIONAL',
      DETECT,
      'write',
      'Usage telemetry from the IDE (suggestions accepted, chat interactions).',
      qdevGuide(QDEV_LOGGING, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'ListAvailableCustomizations',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the customizations the IDE user may choose from.',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'ListAvailableProfiles',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the Amazon Q Developer profiles the IDE user may sign in to.',
      qdevGuide(QDEV_PERMISSIONS, 'Only worth following when the caller does not normally use Amazon Q Developer.'),
    ],
    [
      'ListFeatureEvaluations',
      'INFORMATIONAL',
      DETECT,
      'read',
      'The IDE reads which client features are switched on for the user.',
      qdevGuide(QDEV_LOGGING, 'Nothing to follow on its own.'),
    ],
    // Administration: customizations are trained on company code, and their permissions decide who gets suggestions from it.
    [
      'CreateCustomization',
      'MEDIUM',
      CONTAIN,
      'write',
      'Creates a customization trained on a company code repository, so suggestions can reproduce that code.',
      qdevGuide(QDEV_PERMISSIONS, 'Check which repository it was trained on and who may use it.'),
    ],
    [
      'UpdateCustomization',
      'MEDIUM',
      CONTAIN,
      'write',
      'Activates, deactivates or retrains a customization, changing the code suggestions users get.',
      qdevGuide(QDEV_PERMISSIONS, 'Compare with the approved customization and revert.'),
    ],
    [
      'DeleteCustomization',
      'MEDIUM',
      RECOVER,
      'write',
      'Deletes a customization, so its users fall back to generic suggestions.',
      qdevGuide(QDEV_PERMISSIONS, 'Recreate the customization if the deletion was not approved.'),
    ],
    [
      'AssociateCustomizationPermission',
      'MEDIUM',
      CONTAIN,
      'write',
      'Lets a user or group use a customization, and so get suggestions drawn from the code it was trained on.',
      qdevGuide(QDEV_PERMISSIONS, 'Check that the user or group may see that code.'),
    ],
    [
      'DisassociateCustomizationPermission',
      'MEDIUM',
      RECOVER,
      'write',
      'Stops a user or group from using a customization.',
      qdevGuide(QDEV_PERMISSIONS, 'Restore the permission if the removal was not approved.'),
    ],
    [
      'GetCustomization',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the details of a customization.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Only worth following when the caller does not normally administer Amazon Q Developer.',
      ),
    ],
    [
      'ListCustomizations',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the customizations of the account.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Only worth following when the caller does not normally administer Amazon Q Developer.',
      ),
    ],
    [
      'ListCustomizationVersions',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the versions of a customization.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Only worth following when the caller does not normally administer Amazon Q Developer.',
      ),
    ],
    [
      'ListCustomizationPermissions',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists who may use a customization.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Only worth following when the caller does not normally administer Amazon Q Developer.',
      ),
    ],
    // MEDIUM: log delivery sends customization logs to a destination the caller chooses.
    [
      'AllowVendedLogDeliveryForResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Lets the logs of a customization be delivered to a destination, which may be outside the usual log store.',
      qdevGuide(QDEV_PERMISSIONS, 'Check the log destination and its owner.'),
    ],
    [
      'CreateProfile',
      'MEDIUM',
      CONTAIN,
      'write',
      "Creates an Amazon Q Developer profile, the settings under which an organisation's users work.",
      qdevGuide(QDEV_PERMISSIONS, 'Check the profile settings (reference tracking, data sharing, encryption key).'),
    ],
    [
      'UpdateProfile',
      'MEDIUM',
      CONTAIN,
      'write',
      "Changes an Amazon Q Developer profile's settings, such as reference tracking, data sharing or its encryption key.",
      qdevGuide(QDEV_PERMISSIONS, 'Compare with the approved settings and revert.'),
    ],
    // HIGH: removes Amazon Q Developer Pro settings for every user of the profile.
    [
      'DeleteProfile',
      'HIGH',
      RECOVER,
      'write',
      'Deletes an Amazon Q Developer profile, taking its settings away from every user under it.',
      qdevGuide(QDEV_PERMISSIONS, 'Recreate the profile with its approved settings.'),
    ],
    [
      'ListProfiles',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Lists the Amazon Q Developer profiles of the account.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Only worth following when the caller does not normally administer Amazon Q Developer.',
      ),
    ],
    [
      'ListTagsForResource',
      'INFORMATIONAL',
      DETECT,
      'read',
      'Reads the tags of an Amazon Q Developer customization or profile.',
      qdevGuide(
        QDEV_PERMISSIONS,
        'Note which resource was inspected; reading tags before changing them is a common ABAC-abuse pattern.',
      ),
    ],
    [
      'TagResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Adds or overwrites tags on a customization or profile; tag conditions in policies then decide access differently.',
      qdevGuide(QDEV_PERMISSIONS, 'Compare the tags with those your IAM policies test and restore them.'),
    ],
    [
      'UntagResource',
      'MEDIUM',
      CONTAIN,
      'write',
      'Removes tags from a customization or profile, which can lift a tag-based deny.',
      qdevGuide(QDEV_PERMISSIONS, 'Restore the removed tags if policies or ownership tracking used them.'),
    ],
  ]),
];

/**
 * How an Amazon Q Developer call made for a user (another service's record with `invokedBy: q.amazonaws.com`)
 * is graded: a read is what Amazon Q does to answer; a change made by Amazon Q for a user deserves a look.
 */
export const Q_ON_BEHALF_ROWS: Readonly<Record<'read' | 'write', PlaybookRow>> = {
  read: qdeveloper({
    eventName: 'PassRequest',
    category: 'general',
    severity: 'INFORMATIONAL',
    phase: DETECT,
    access: 'read',
    description: "A read Amazon Q Developer made in another service for a user, with the user's own permissions.",
    steps: [qdevGuide(QDEV_LOGGING, 'Only worth following when the user is unexpected or the reads are many.')],
  }),
  write: qdeveloper({
    eventName: 'PassRequest',
    category: 'general',
    severity: 'MEDIUM',
    phase: CONTAIN,
    access: 'write',
    description: "A change Amazon Q Developer made in another service for a user, with the user's own permissions.",
    steps: [
      qdevGuide(QDEV_LOGGING, 'Check with the user that they asked Amazon Q for this change, and revert it if not.'),
    ],
  }),
};

export interface SourceCoverage {
  readonly eventSource: EventSource;
  readonly eventBridgeSource: string;
  readonly operations: number;
  readonly listFrom: string;
}

/** Per Amazon Q event source: its EventBridge source, how many operations have a row, and where the list comes from. */
export function sourceCoverage(rows: readonly PlaybookRow[] = PLAYBOOK_TABLE): SourceCoverage[] {
  return EVENT_SOURCES.map((eventSource) => ({
    eventSource,
    eventBridgeSource: EVENT_BRIDGE_SOURCES[eventSource],
    operations: rows.filter((row) => row.eventSource === eventSource).length,
    listFrom: OPERATION_LISTS[eventSource],
  }));
}
