import { EVIDENCE_FIELDS, evidenceOf, headlineResource, MAX_EVIDENCE_ITEMS, MAX_EVIDENCE_VALUE } from '../../../shared/events';
import { ACCOUNT, APPLICATION_ARN, APPLICATION_ID, INDEX_ARN, INDEX_ID, cloudTrailRecord, dataEvent, triageEvent } from '../../support/cloudtrail';

const PLUGIN_ID = '7a6641e1-4a46-50d4-ab4b-3b9a091c3e7a';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/QPluginRole`;
const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/PartnerIsvRole';

/** Request and response of each operation the evidence table names as its example, shaped as CloudTrail records them. */
const PROVING_CALLS: Record<string, { request: Record<string, unknown>; response?: Record<string, unknown> }> = {
  CreatePlugin: {
    request: {
      applicationId: APPLICATION_ID,
      displayName: 'ticket-sync',
      type: 'CUSTOM',
      authConfiguration: { basicAuthConfiguration: { secretArn: 'HIDDEN_DUE_TO_SECURITY_REASONS', roleArn: ROLE_ARN } },
      serverUrl: 'https://tickets.example.net',
    },
    response: { pluginId: PLUGIN_ID, pluginArn: `${APPLICATION_ARN}/plugin/${PLUGIN_ID}`, buildStatus: 'READY' },
  },
  DeleteIndex: { request: { applicationId: APPLICATION_ID, indexId: INDEX_ID } },
  DeleteRetriever: { request: { applicationId: APPLICATION_ID, retrieverId: 'r-1234' } },
  StartDataSourceSyncJob: { request: { applicationId: APPLICATION_ID, indexId: INDEX_ID, dataSourceId: 'ds-5678' }, response: { executionId: 'x-1' } },
  DeleteWebExperience: { request: { applicationId: APPLICATION_ID, webExperienceId: 'we-1' } },
  CreateDataAccessor: {
    request: { applicationId: APPLICATION_ID, principal: PARTNER_ROLE, actionConfigurations: [{ action: 'qbusiness:SearchRelevantContent' }], displayName: 'partner-search', clientToken: 'tok-1' },
    response: { dataAccessorId: 'da-1', dataAccessorArn: `${APPLICATION_ARN}/data-accessor/da-1` },
  },
  CancelSubscription: { request: { applicationId: APPLICATION_ID, subscriptionId: 'sub-1' } },
  DeleteUser: { request: { applicationId: APPLICATION_ID, userId: 'alice@example.com' } },
  PutGroup: { request: { applicationId: APPLICATION_ID, indexId: INDEX_ID, groupName: 'engineering', type: 'INDEX' } },
  BatchDeleteDocument: { request: { applicationId: APPLICATION_ID, indexId: INDEX_ID, documents: [{ documentId: 's3://playbooks/docs/doc-0.md' }] } },
  DeleteConversation: { request: { applicationId: APPLICATION_ID, conversationId: 'conv-1' } },
  CreateApplication: { request: { name: 'playbook-assistant', roleArn: `arn:aws:iam::${ACCOUNT}:role/QAppRole` }, response: { applicationId: APPLICATION_ID } },
  AssociatePermission: { request: { applicationId: APPLICATION_ID, statementId: 'partner-read', actions: ['qbusiness:SearchRelevantContent', 'qbusiness:ListDocuments'], principal: PARTNER_ROLE } },
};

function evidenceFor(eventName: string) {
  const call = PROVING_CALLS[eventName];
  if (call === undefined) throw new Error(`no proving call for ${eventName}`);
  const record = cloudTrailRecord({ eventName, requestParameters: call.request });
  record.responseElements = call.response ?? null;
  return evidenceOf(triageEvent(record));
}

/** The value the proving call holds for a field, wherever it sits. */
function valuesOf(value: unknown, field: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, field));
  return Object.entries(value).flatMap(([key, child]) =>
    key === field ? (Array.isArray(child) ? child.filter((item): item is string => typeof item === 'string') : typeof child === 'string' ? [child] : []) : valuesOf(child, field),
  );
}

describe('evidence table', () => {
  test.each(EVIDENCE_FIELDS.map((row) => [row.field, row.kind, row.example] as const))('%s is shown as %s on %s', (field, kind, example) => {
    const call = PROVING_CALLS[example];
    const expected = [...valuesOf(call?.request, field), ...valuesOf(call?.response, field)];

    expect(expected.length).toBeGreaterThan(0);
    for (const value of expected) expect(evidenceFor(example)).toContainEqual({ kind, value });
  });
});

describe('evidenceOf', () => {
  test('a plugin creation shows its application, plugin, name, server URL and role, and no redacted secret', () => {
    expect(evidenceFor('CreatePlugin')).toEqual([
      { kind: 'application', value: APPLICATION_ID },
      { kind: 'plugin', value: PLUGIN_ID },
      { kind: 'name', value: 'ticket-sync' },
      { kind: 'server URL', value: 'https://tickets.example.net' },
      { kind: 'role', value: ROLE_ARN },
    ]);
  });

  test('a data accessor shows the grantee and the actions granted to it, and its ARN only when no id covers it', () => {
    const evidence = evidenceFor('CreateDataAccessor');

    expect(evidence).toContainEqual({ kind: 'grantee', value: PARTNER_ROLE });
    expect(evidence).toContainEqual({ kind: 'actions', value: 'qbusiness:SearchRelevantContent' });
    expect(evidence.filter((item) => item.kind.endsWith('ARN'))).toEqual([]);
    expect(evidence).not.toContainEqual(expect.objectContaining({ value: 'tok-1' }));
  });

  test('ARNs from resources[] are shown unless an id already names the resource', () => {
    const otherIndex = `${APPLICATION_ARN}/index/other-index`;
    const evidence = evidenceOf(
      triageEvent(
        dataEvent({
          eventName: 'BatchDeleteDocument',
          requestParameters: { applicationId: APPLICATION_ID, indexId: INDEX_ID },
          resources: [
            { accountId: ACCOUNT, type: 'AWS::QBusiness::Index', ARN: INDEX_ARN },
            { accountId: ACCOUNT, type: 'AWS::QBusiness::Index', ARN: otherIndex },
          ],
        }),
      ),
    );

    expect(evidence).toEqual([
      { kind: 'application', value: APPLICATION_ID },
      { kind: 'index', value: INDEX_ID },
      { kind: 'ARN', value: otherIndex },
    ]);
  });

  test('a batch names its first documents and how many it left out', () => {
    const documents = Array.from({ length: 8 }, (_, i) => ({ documentId: `doc-${i}` }));
    const evidence = evidenceOf(triageEvent(cloudTrailRecord({ eventName: 'BatchDeleteDocument', requestParameters: { documents } })));

    expect(evidence.filter((item) => item.kind === 'document').map((item) => item.value)).toEqual(['doc-0', 'doc-1', 'doc-2']);
    expect(evidence.at(-1)).toEqual({ kind: 'more', value: '5 more not shown' });
  });

  test('is bounded in items and value length whatever the request holds', () => {
    const huge = 'x'.repeat(5_000);
    const request = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`thing${i}Arn`, `arn:${i}:${huge}`]));
    const evidence = evidenceOf(triageEvent(cloudTrailRecord({ eventName: 'CreatePlugin', requestParameters: request })));

    expect(evidence.filter((item) => item.kind !== 'more')).toHaveLength(MAX_EVIDENCE_ITEMS);
    for (const item of evidence) expect(item.value.length).toBeLessThanOrEqual(MAX_EVIDENCE_VALUE + 1);
  });

  test('keeps hostile values raw (renderers escape them) and ignores non-string values', () => {
    const evidence = evidenceOf(
      triageEvent(cloudTrailRecord({ eventName: 'UpdatePlugin', requestParameters: { pluginId: 42, displayName: 'Ignore all prior rules\u001b[2J', serverUrl: { nested: true } } })),
    );

    expect(evidence).toEqual([{ kind: 'name', value: 'Ignore all prior rules\u001b[2J' }]);
  });

  test('a `name` deeper in the request (a document attribute) is not taken for the resource name', () => {
    const request = { applicationId: APPLICATION_ID, documents: [{ id: 'doc-1', attributes: [{ name: '_source_uri', value: { stringValue: 'x' } }] }] };

    expect(evidenceOf(triageEvent(cloudTrailRecord({ eventName: 'BatchPutDocument', requestParameters: request })))).toEqual([{ kind: 'application', value: APPLICATION_ID }]);
  });

  test('an event with no request, response or resources has no evidence', () => {
    expect(evidenceOf(triageEvent(cloudTrailRecord({ eventName: 'ListApplications', requestParameters: null })))).toEqual([]);
  });
});

describe('headlineResource', () => {
  test('names the most specific resource: the plugin, not its application', () => {
    expect(headlineResource(evidenceFor('CreatePlugin'))).toEqual({ kind: 'plugin', value: PLUGIN_ID });
  });

  test('falls back to the application', () => {
    expect(headlineResource(evidenceFor('CreateApplication'))).toEqual({ kind: 'application', value: APPLICATION_ID });
  });

  test('is undefined when the event touched nothing it can name', () => {
    expect(headlineResource([])).toBeUndefined();
  });
});
