/**
 * The playbook table: every Amazon Q operation → category, base severity, IR phase and response steps.
 * Data, not code: adding an operation is one row here and one case in test/unit/playbook/table.test.ts.
 *
 * Coverage: every operation of the Q Business API (`qbusiness.amazonaws.com`, one row per command in the
 * @aws-sdk/client-qbusiness model) and the Q Developer console operations (`q.amazonaws.com`) that the
 * Amazon Q playbook names. Names are canonical API names, as CloudTrail writes them; the playbook's
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
import type { AccessKind, Category, PlaybookRow, ResponseStep, Severity } from './types';

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

/** Successful reads share one shape; only the description and the step differ. */
function read(
  eventName: string,
  category: Category,
  description: string,
  step: ResponseStep,
  extra: { readonly inPlaybook?: boolean; readonly severity?: Severity; readonly access?: AccessKind } = {},
): PlaybookRow {
  return qbusiness({ eventName, category, description, severity: 'INFORMATIONAL', phase: DETECT, access: 'read', steps: [step], ...extra });
}

export const PLAYBOOK_TABLE: readonly PlaybookRow[] = [
  // ── application ────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateApplication', category: 'application', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Creates a new Q Business application, a new place from which indexed company data can be queried.',
    steps: [
      api('GetApplication', "Read the new application's identity type, role, encryption key and attachment settings."),
      api('DeleteApplication', 'Delete the application if nobody approved it.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateApplication', category: 'application', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: "Changes an application's role, identity or feature settings (attachments, creator mode), which can widen what its users reach.",
    steps: [api('UpdateApplication', 'Compare the changed fields with the approved configuration and set back any that were not approved.')],
  }),
  qbusiness({
    eventName: 'DeleteApplication', category: 'application', severity: 'HIGH', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Deletes an application together with its indexes, retrievers, data sources and web experiences, taking the assistant away from its users.',
    steps: [api('CreateApplication', 'Recreate the application from its infrastructure-as-code definition, then its index and data sources, and re-sync.')],
  }),
  read('GetApplication', 'application', "Reads one application's configuration; from an unusual principal it is reconnaissance.",
    api('ListDataSources', 'Check whether the same principal went on to enumerate data sources, plugins or data accessors.'), { inPlaybook: true }),
  read('ListApplications', 'application', 'Enumerates the Q Business applications of the account and Region, typically the first step of reconnaissance.',
    api('ListApplications', 'Check whether the caller normally administers Q Business; an unknown caller listing applications is worth following.'), { inPlaybook: true }),
  // Tags live on every resource type; they sit with the application because tag-based (ABAC) access is decided there.
  read('ListTagsForResource', 'application', 'Reads the tags of a Q Business resource, which can reveal the tag conditions that access policies rely on.',
    api('ListTagsForResource', 'Note which resource was inspected; reading tags before changing them is a common ABAC-abuse pattern.')),
  // MEDIUM: tags used in IAM conditions (ABAC) can grant or lift access without touching a policy.
  qbusiness({
    eventName: 'TagResource', category: 'application', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Adds or overwrites tags on a Q Business resource; where policies use tag conditions this silently changes who has access.',
    steps: [api('UntagResource', 'Compare the new tags with the tags your IAM policies test and remove or restore any that were not approved.')],
  }),
  // MEDIUM: removing a tag can lift a tag-based deny or hide a resource's owner, as much as adding one.
  qbusiness({
    eventName: 'UntagResource', category: 'application', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Removes tags from a Q Business resource, which can lift a tag-based deny or hide who owns the resource.',
    steps: [api('TagResource', 'Restore the removed tags if they were used in access policies or ownership tracking.')],
  }),

  // ── index ──────────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateIndex', category: 'index', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Creates an index that will hold a copy of company documents for the assistant to search.',
    steps: [api('DeleteIndex', 'If the index is unexpected, check which data sources were attached to it and delete it.')],
  }),
  qbusiness({
    eventName: 'UpdateIndex', category: 'index', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: "Changes an index's capacity or document attribute settings, which alters what is searchable and how results rank.",
    steps: [api('GetIndex', 'Compare capacity and document attribute configuration with the approved baseline and revert unapproved changes.')],
  }),
  qbusiness({
    eventName: 'DeleteIndex', category: 'index', severity: 'HIGH', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Deletes an index and every document in it; the assistant loses its knowledge until the index is rebuilt and re-synced.',
    steps: [api('CreateIndex', 'Recreate the index, reattach its retriever and data sources, and run full syncs.')],
  }),
  read('GetIndex', 'index', "Reads an index's configuration and document counts.",
    api('ListDataSources', 'If the caller is unexpected, check whether it also listed the data sources feeding this index.'), { inPlaybook: true }),
  read('ListIndices', 'index', 'Enumerates the indexes of an application.',
    api('ListIndices', 'Check whether the caller normally administers this application.'), { inPlaybook: true }),

  // ── retriever ──────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateRetriever', category: 'retriever', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Connects an application to an index (native or Amazon Kendra), deciding which content the assistant can answer from.',
    steps: [api('GetRetriever', 'Check which index the retriever points at and which role it uses to reach a Kendra index.')],
  }),
  qbusiness({
    eventName: 'UpdateRetriever', category: 'retriever', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Changes which index or role a retriever uses, which can point the assistant at different content.',
    steps: [api('UpdateRetriever', 'Point the retriever back at the approved index and role if the change was not approved.')],
  }),
  qbusiness({
    eventName: 'DeleteRetriever', category: 'retriever', severity: 'HIGH', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Deletes the link between an application and its index, so the assistant can no longer answer from company content.',
    steps: [api('CreateRetriever', 'Recreate the retriever with the approved index and role.')],
  }),
  read('GetRetriever', 'retriever', "Reads a retriever's configuration, including the index and role it uses.",
    api('GetRetriever', 'If the caller is unexpected, note whether it learned a Kendra index or role it could target next.'), { inPlaybook: true }),
  read('ListRetrievers', 'retriever', 'Enumerates the retrievers of an application; common in normal console use.',
    api('ListRetrievers', 'Only worth following when the caller does not normally use this application.'), { inPlaybook: true }),

  // ── data source ────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateDataSource', category: 'data-source', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Connects a new repository to an index, so its content (and the credentials used to crawl it) enter the assistant.',
    steps: [
      api('GetDataSource', 'Check the connector type, target repository, credentials secret and role of the new data source.'),
      api('DeleteDataSource', 'Delete the data source if it was not approved, then remove what it already indexed.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateDataSource', category: 'data-source', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: "Changes a data source's connection, scope, schedule or credentials, which can pull in other content or change whose secret is used.",
    steps: [api('UpdateDataSource', 'Compare the connection, inclusion filters and secret with the approved configuration and revert.')],
  }),
  qbusiness({
    eventName: 'DeleteDataSource', category: 'data-source', severity: 'HIGH', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Deletes a data source and its documents from the index, so answers silently lose that content.',
    steps: [api('CreateDataSource', 'Recreate the data source from its approved definition and run a full sync.')],
  }),
  read('GetDataSource', 'data-source', "Reads a data source's configuration, including the repository it crawls and the secret and role it uses.",
    api('GetDataSource', 'If the caller is unexpected, check whether the secret or role it learned about was then used elsewhere.'), { inPlaybook: true }),
  read('ListDataSources', 'data-source', 'Enumerates the data sources of an index, showing which company systems the assistant reaches.',
    api('ListDataSources', 'Only worth following when the caller does not normally administer this index.'), { inPlaybook: true }),
  qbusiness({
    eventName: 'StartDataSourceSyncJob', category: 'data-source', severity: 'LOW', phase: DETECT, access: 'write', inPlaybook: true,
    description: 'Starts a crawl that copies current repository content into the index; routine unless its timing or caller is unusual.',
    steps: [api('ListDataSourceSyncJobs', 'Check the job outcome and how many documents it added, changed or removed.')],
  }),
  qbusiness({
    eventName: 'StopDataSourceSyncJob', category: 'data-source', severity: 'MEDIUM', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Stops a running crawl, which can leave the index stale or keep removed content in it.',
    steps: [api('StartDataSourceSyncJob', 'Start the sync again once the caller is confirmed, so the index matches its source.')],
  }),
  read('ListDataSourceSyncJobs', 'data-source', 'Reads the sync history of a data source; routine for operators and for this backend.',
    api('ListDataSourceSyncJobs', 'Use the history to see when content last changed in the index.'), { inPlaybook: true }),

  // ── document ───────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'BatchPutDocument', category: 'document', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Uploads documents straight into an index, bypassing data sources; planted content can steer answers or carry injected instructions.',
    steps: [
      api('ListDocuments', 'List the uploaded documents and check them against the approved sources.'),
      api('BatchDeleteDocument', 'Remove documents that were not approved.'),
    ],
  }),
  qbusiness({
    eventName: 'BatchDeleteDocument', category: 'document', severity: 'MEDIUM', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Removes documents from an index; in bulk it can erase knowledge the assistant relies on.',
    steps: [api('StartDataSourceSyncJob', 'Re-sync the affected data source (or re-upload) to restore documents removed without approval.')],
  }),
  read('ListDocuments', 'document', 'Lists the documents in an index with their status; in bulk it maps what content is available.',
    api('ListDocuments', 'If the caller is unexpected, check whether it followed up with document content downloads.')),
  // Document-access checks sit with documents: they answer who may read a given document.
  read('CheckDocumentAccess', 'document', "Checks whether a user can read a document and returns the document's access list, useful to an attacker choosing whom to impersonate.",
    api('CheckDocumentAccess', 'Note which user and document were checked; repeated checks across users suggest mapping of access.')),
  // LOW, not INFORMATIONAL: it hands out a link to the whole source document, not a snippet or metadata.
  read('GetDocumentContent', 'document', 'Returns a download link to the full source document behind a chat citation; repeated calls are a way to pull content out.',
    api('GetDocumentContent', 'Count the documents this principal downloaded and check whether they match its normal work.'), { severity: 'LOW' }),
  // INFORMATIONAL: the images belong to an answer the user already received, so this is part of normal chat display.
  read('GetMedia', 'document', 'Downloads an image extracted from an indexed document so a custom chat client can show it.',
    api('GetMedia', 'Only worth following together with unusual chat or download volume from the same principal.')),
  read('SearchRelevantContent', 'document', 'Searches the index and returns matching passages without generating an answer, a direct way to read indexed content.',
    api('SearchRelevantContent', 'Check the volume of searches by this principal; a burst suggests content harvesting.')),

  // ── conversation ───────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'Chat', category: 'conversation', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Asks the assistant a question over a streaming connection; normal use, relevant when the caller or volume is unusual.',
    steps: [api('ListConversations', "Review the principal's conversations if the caller is not a known user.")],
  }),
  qbusiness({
    eventName: 'ChatSync', category: 'conversation', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Asks the assistant a question and waits for the whole answer; normal use, relevant when the caller or volume is unusual.',
    steps: [api('ListMessages', "Review the conversation's messages if the caller is not a known user or automation.")],
  }),
  qbusiness({
    eventName: 'PutFeedback', category: 'conversation', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat',
    description: "Records a user's rating of an answer; only shows that the principal was using the assistant.",
    steps: [api('ListMessages', 'Use the rated message to see what the principal was asking about.')],
  }),
  read('ListConversations', 'conversation', "Lists a user's conversations with the assistant.",
    api('ListConversations', 'If the caller is not the conversation owner, check how it obtained identity-aware credentials.'), { inPlaybook: true }),
  read('ListMessages', 'conversation', 'Reads the messages of a conversation, which can contain sensitive answers.',
    api('ListMessages', 'Check whether the caller read conversations other than its own.'), { inPlaybook: true }),
  read('ListAttachments', 'conversation', 'Lists files uploaded into conversations, which can contain data users shared with the assistant.',
    api('ListAttachments', 'Check whether the caller listed attachments of conversations it does not own.')),
  qbusiness({
    eventName: 'DeleteConversation', category: 'conversation', severity: 'LOW', phase: DETECT, access: 'write', inPlaybook: true,
    description: 'Deletes a conversation and its history; routine for users, but it can also remove traces of what was asked.',
    steps: [api('DeleteConversation', 'If many conversations were deleted together, treat it as possible track-covering.')],
  }),
  // LOW like DeleteConversation: it removes a user's own chat content, which can also remove traces.
  qbusiness({
    eventName: 'DeleteAttachment', category: 'conversation', severity: 'LOW', phase: DETECT, access: 'write',
    description: 'Deletes a file uploaded into a conversation; routine cleanup, or removal of a file that should not have been shared.',
    steps: [api('ListAttachments', 'Check which other attachments the same principal removed and when they were uploaded.')],
  }),

  // ── users and groups ───────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateUser', category: 'user-group', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Adds a user mapping to an application; document access follows these mappings, so a forged one can read others\' documents.',
    steps: [api('GetUser', "Check the new user's aliases against the identity source."), api('DeleteUser', 'Delete the mapping if it was not approved.')],
  }),
  qbusiness({
    eventName: 'UpdateUser', category: 'user-group', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: "Adds or removes aliases of a user, which changes whose documents that user can read.",
    steps: [api('GetUser', "Compare the user's aliases with the identity source and remove any that were not approved.")],
  }),
  qbusiness({
    eventName: 'DeleteUser', category: 'user-group', severity: 'MEDIUM', phase: RECOVER, access: 'write', inPlaybook: true,
    description: "Removes a user mapping, so that user loses access to documents granted through it.",
    steps: [api('CreateUser', 'Recreate the mapping from the identity source if the deletion was not approved.')],
  }),
  qbusiness({
    eventName: 'PutGroup', category: 'user-group', severity: 'MEDIUM', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Creates or replaces a group and its members; documents shared with the group become readable by every member.',
    steps: [api('GetGroup', 'Compare the group members with the identity source and restore the approved membership.')],
  }),
  qbusiness({
    eventName: 'DeleteGroup', category: 'user-group', severity: 'MEDIUM', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Deletes a group, so its members lose access to documents shared with it.',
    steps: [api('PutGroup', 'Recreate the group with its approved members if the deletion was not approved.')],
  }),
  read('GetUser', 'user-group', "Reads a user's aliases in an application.",
    api('GetUser', 'If the caller is unexpected, check whether it then changed users or groups.'), { inPlaybook: true }),
  read('GetGroup', 'user-group', "Reads a group's status and membership.",
    api('GetGroup', 'If the caller is unexpected, check whether it then changed this group.'), { inPlaybook: true }),
  read('ListGroups', 'user-group', 'Enumerates the groups mapped in an index, revealing how document access is organised.',
    api('ListGroups', 'Only worth following when the caller does not normally administer this index.'), { inPlaybook: true }),

  // ── plugin ─────────────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreatePlugin', category: 'plugin', severity: 'HIGH', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: 'Adds a plugin that lets the assistant act in another system (tickets, CRM, custom API) with stored credentials.',
    steps: [
      api('GetPlugin', "Check the plugin's type, server URL, authentication secret and role."),
      api('DeletePlugin', 'Delete the plugin if it was not approved, and rotate the secret it was given.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdatePlugin', category: 'plugin', severity: 'HIGH', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: "Changes a plugin's target, credentials or state, which can redirect the assistant's actions to another system.",
    steps: [api('UpdatePlugin', 'Compare the server URL, secret and role with the approved plugin and revert or disable it.')],
  }),
  qbusiness({
    eventName: 'DeletePlugin', category: 'plugin', severity: 'MEDIUM', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Removes a plugin, cutting an integration users rely on (or cleaning up one that was planted).',
    steps: [api('CreatePlugin', 'Recreate the plugin from its approved definition if the deletion was not approved.')],
  }),
  read('GetPlugin', 'plugin', "Reads a plugin's configuration, including the system it reaches and the secret it uses.",
    api('GetPlugin', 'If the caller is unexpected, check whether the plugin secret was then read in Secrets Manager.'), { inPlaybook: true }),
  read('ListPlugins', 'plugin', 'Enumerates the plugins of an application, showing which other systems the assistant can act in.',
    api('ListPlugins', 'Only worth following when the caller does not normally administer this application.')),
  read('ListPluginActions', 'plugin', 'Lists the actions one plugin can perform in its target system.',
    api('ListPluginActions', 'If the caller is unexpected, note which actions (writes to the target system) it learned about.')),
  read('ListPluginTypeActions', 'plugin', 'Lists the actions available for a plugin type, typically while preparing to create a plugin.',
    api('CreatePlugin', 'Watch for a plugin creation by the same principal shortly after.')),
  read('ListPluginTypeMetadata', 'plugin', 'Lists the plugin types the service offers, typically while preparing to create a plugin.',
    api('CreatePlugin', 'Watch for a plugin creation by the same principal shortly after.')),

  // ── guardrails (chat controls and chat response configurations) ─────────────────────────────────
  qbusiness({
    eventName: 'UpdateChatControlsConfiguration', category: 'guardrails', severity: 'HIGH', phase: CONTAIN, access: 'write', inPlaybook: true,
    description: "Changes the application's guardrails (blocked phrases, topic rules, response scope, creator mode), which can let the assistant answer what it should refuse.",
    steps: [api('GetChatControlsConfiguration', 'Read the current chat controls, compare them with the approved set and restore it.')],
  }),
  qbusiness({
    eventName: 'DeleteChatControlsConfiguration', category: 'guardrails', severity: 'HIGH', phase: RECOVER, access: 'write', inPlaybook: true,
    description: 'Removes all chat controls of an application, leaving the assistant without its blocked phrases and topic rules.',
    steps: [api('UpdateChatControlsConfiguration', 'Reapply the approved chat controls.')],
  }),
  read('GetChatControlsConfiguration', 'guardrails', "Reads the application's chat controls, which shows an attacker what the assistant refuses.",
    api('GetChatControlsConfiguration', 'If the caller is unexpected, check whether it then changed the chat controls.'), { inPlaybook: true }),
  // MEDIUM: custom instructions shape every answer (tone, scope, what to omit) but do not lift the chat controls themselves.
  qbusiness({
    eventName: 'CreateChatResponseConfiguration', category: 'guardrails', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Adds custom response instructions to an application, which can change what every answer says or leaves out.',
    steps: [api('GetChatResponseConfiguration', 'Read the instructions and check them for wording that misleads users or drops required caveats.')],
  }),
  // MEDIUM: same reach as creating one.
  qbusiness({
    eventName: 'UpdateChatResponseConfiguration', category: 'guardrails', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Changes the custom response instructions of an application, altering how every answer is written.',
    steps: [api('UpdateChatResponseConfiguration', 'Compare the instructions with the approved version and restore it.')],
  }),
  // MEDIUM: instructions can carry required wording (disclaimers, scope limits) that disappears with them.
  qbusiness({
    eventName: 'DeleteChatResponseConfiguration', category: 'guardrails', severity: 'MEDIUM', phase: RECOVER, access: 'write',
    description: 'Removes custom response instructions, dropping any disclaimers or scope limits they imposed on answers.',
    steps: [api('CreateChatResponseConfiguration', 'Recreate the approved response configuration if the deletion was not approved.')],
  }),
  read('GetChatResponseConfiguration', 'guardrails', 'Reads the custom response instructions of an application.',
    api('GetChatResponseConfiguration', 'If the caller is unexpected, check whether it then changed them.')),
  read('ListChatResponseConfigurations', 'guardrails', 'Lists the custom response configurations of an application.',
    api('ListChatResponseConfigurations', 'Only worth following when the caller does not normally administer this application.')),

  // ── web experience ─────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateWebExperience', category: 'web-experience', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Publishes a web chat front end for an application, a new entry point through which users reach company data.',
    steps: [api('GetWebExperience', 'Check the allowed origins, identity provider and role of the new web experience.')],
  }),
  qbusiness({
    eventName: 'UpdateWebExperience', category: 'web-experience', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: "Changes a web experience's origins, identity provider or role, which can expose the assistant to other sites or users.",
    steps: [api('UpdateWebExperience', 'Restore the approved origins, identity provider and role.')],
  }),
  qbusiness({
    eventName: 'DeleteWebExperience', category: 'web-experience', severity: 'HIGH', phase: RECOVER, access: 'write',
    description: "Deletes a web experience, taking the assistant's web front end away from its users.",
    steps: [api('CreateWebExperience', 'Recreate the web experience with its approved settings and tell users the new address.')],
  }),
  read('GetWebExperience', 'web-experience', "Reads a web experience's configuration and address.",
    api('GetWebExperience', 'If the caller is unexpected, check whether it then changed the web experience.')),
  read('ListWebExperiences', 'web-experience', 'Enumerates the web experiences of an application.',
    api('ListWebExperiences', 'Only worth following when the caller does not normally administer this application.')),
  // MEDIUM: the URL opens a session without any identity, but it only works on anonymous applications,
  // where an embedding site calls it routinely; HIGH would page on every visitor.
  qbusiness({
    eventName: 'CreateAnonymousWebExperienceUrl', category: 'web-experience', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Mints a short-lived link that opens the assistant without any sign-in; whoever holds it can chat with the application.',
    steps: [
      api('CreateAnonymousWebExperienceUrl', 'Check that the caller is the approved embedding backend; any other caller is handing out anonymous sessions.'),
      qbGuide('supported-exp-actions', 'If the anonymous application should not be public, delete or restrict its web experience.'),
    ],
  }),

  // ── data accessor (third parties reading the index, and their permissions) ───────────────────────
  qbusiness({
    eventName: 'CreateDataAccessor', category: 'data-accessor', severity: 'HIGH', phase: CONTAIN, access: 'write',
    description: "Registers a third party (ISV) as a data accessor, letting it query the application's index on behalf of users.",
    steps: [
      api('GetDataAccessor', 'Identify the principal behind the data accessor and the actions granted to it.'),
      api('DeleteDataAccessor', 'Delete the data accessor if the party was not approved.'),
    ],
  }),
  qbusiness({
    eventName: 'UpdateDataAccessor', category: 'data-accessor', severity: 'HIGH', phase: CONTAIN, access: 'write',
    description: "Changes the actions or filters granted to a third party's data accessor, which can widen what it reads.",
    steps: [api('GetDataAccessor', 'Compare the granted actions and attribute filters with what was approved and revert.')],
  }),
  // MEDIUM: removes a third party's access; either cleanup of an unwanted grant or a broken integration to restore.
  qbusiness({
    eventName: 'DeleteDataAccessor', category: 'data-accessor', severity: 'MEDIUM', phase: RECOVER, access: 'write',
    description: "Removes a third party's data accessor, cutting its access to the index (and the record of what it was allowed).",
    steps: [api('CreateDataAccessor', 'If the integration was approved, recreate the data accessor with its approved actions.')],
  }),
  read('GetDataAccessor', 'data-accessor', "Reads a data accessor's principal, granted actions and filters.",
    api('GetDataAccessor', 'If the caller is unexpected, check whether it then changed data accessors or permissions.')),
  read('ListDataAccessors', 'data-accessor', 'Enumerates the third parties that can read the application index.',
    api('ListDataAccessors', 'Only worth following when the caller does not normally administer this application.')),
  qbusiness({
    eventName: 'AssociatePermission', category: 'data-accessor', severity: 'HIGH', phase: CONTAIN, access: 'write',
    description: "Adds a statement to the application's resource policy that lets another account's principal call it.",
    steps: [
      api('GetPolicy', 'Read the application policy and identify the principal and actions the new statement allows.'),
      api('DisassociatePermission', 'Remove the statement if the cross-account access was not approved.'),
    ],
  }),
  // MEDIUM: revokes cross-account access; either cleanup of an unwanted grant or a broken integration to restore.
  qbusiness({
    eventName: 'DisassociatePermission', category: 'data-accessor', severity: 'MEDIUM', phase: RECOVER, access: 'write',
    description: "Removes a statement from the application's resource policy, revoking another account's access.",
    steps: [api('AssociatePermission', 'If the revoked access belonged to an approved integration, add the statement back.')],
  }),
  read('GetPolicy', 'data-accessor', "Reads the application's resource policy, which lists the other accounts allowed to call it.",
    api('GetPolicy', 'Check the policy for statements nobody approved.')),

  // ── subscription ───────────────────────────────────────────────────────────────────────────────
  qbusiness({
    eventName: 'CreateSubscription', category: 'subscription', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: 'Subscribes a user or group to a pricing tier, giving them use of the application and adding cost.',
    steps: [api('ListSubscriptions', 'Check that the subscribed user or group is expected to use this application.')],
  }),
  qbusiness({
    eventName: 'UpdateSubscription', category: 'subscription', severity: 'MEDIUM', phase: CONTAIN, access: 'write',
    description: "Changes a subscription's pricing tier, which changes the features (and cost) a user or group gets.",
    steps: [api('UpdateSubscription', 'Set the tier back if the change was not approved.')],
  }),
  // MEDIUM: cuts a user or group off the assistant from next month; disruptive, and a way to lock out responders.
  qbusiness({
    eventName: 'CancelSubscription', category: 'subscription', severity: 'MEDIUM', phase: RECOVER, access: 'write',
    description: 'Unsubscribes a user or group, who loses use of the application at the start of next month.',
    steps: [api('CreateSubscription', 'Subscribe the user or group again if the cancellation was not approved.')],
  }),
  read('ListSubscriptions', 'subscription', 'Lists who is subscribed to an application and at which tier.',
    api('ListSubscriptions', 'Only worth following when the caller does not normally administer this application.')),

  // ── general (Amazon Q Developer in the console) ──────────────────────────────────────────────────
  qdeveloper({
    eventName: 'StartConversation', category: 'general', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Opens a conversation with Amazon Q Developer in the console; shows the principal is using the assistant.',
    steps: [qdevGuide('id-based-policy-examples-users', 'Check that the principal is meant to have Amazon Q Developer chat permissions.')],
  }),
  qdeveloper({
    eventName: 'SendMessage', category: 'general', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Sends a question to Amazon Q Developer; the text is redacted in the log, so only caller and volume can be judged.',
    steps: [qdevGuide('q-on-aws', 'If the caller is unexpected, consider that questions about account resources can map the environment.')],
  }),
  // `chat`, not `read`: the console opens the conversation as part of chatting, not to inspect configuration.
  qdeveloper({
    eventName: 'GetConversation', category: 'general', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Loads the messages of an Amazon Q Developer conversation in the console.',
    steps: [qdevGuide('security_iam_permissions', 'Check that the principal is meant to have Amazon Q Developer permissions.')],
  }),
  qdeveloper({
    eventName: 'StartTroubleshootingAnalysis', category: 'general', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Asks Amazon Q Developer to analyse a console error, which shares that error and its resource context with the assistant.',
    steps: [qdevGuide('q-on-aws', 'Find the console error being troubleshot; repeated access errors can mean the principal is probing permissions.')],
  }),
  qdeveloper({
    eventName: 'GetTroubleshootingResults', category: 'general', severity: 'INFORMATIONAL', phase: DETECT, access: 'read', inPlaybook: true,
    description: 'Reads the result of a troubleshooting analysis of a console error.',
    steps: [qdevGuide('security_iam_permissions', 'Check that the principal is meant to use console troubleshooting.')],
  }),
  qdeveloper({
    eventName: 'StartTroubleshootingResolutionExplanation', category: 'general', severity: 'INFORMATIONAL', phase: DETECT, access: 'chat', inPlaybook: true,
    description: 'Asks Amazon Q Developer for step-by-step instructions to fix a console error, which may include permission changes.',
    steps: [qdevGuide('q-on-aws', 'Check whether the principal then made the changes suggested (for example IAM policy edits).')],
  }),
];
