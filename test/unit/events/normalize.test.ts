import { isPassedOver, MAX_EVENT_BYTES, MAX_FREE_TEXT, normalizeEvent, parseEventTime, type NormalizeResult, type Principal, type TriageEvent } from '../../../shared/events';
import {
  ACCOUNT,
  APPLICATION_ARN,
  IDENTITY_CENTER_USER_ID,
  INDEX_ARN,
  OTHER_ACCOUNT,
  cloudTrailRecord,
  dataEvent,
  envelope,
  identities,
  qDeveloperRecord,
  triageEvent,
  withField,
  without,
  type IdentityFixture,
} from '../../support/cloudtrail';

function accepted(result: NormalizeResult): TriageEvent {
  if (!result.ok) throw new Error(`expected the event to be accepted, got: ${result.reason}`);
  return result.event;
}

function rejection(result: NormalizeResult): string {
  if (result.ok) throw new Error(`expected a rejection, event ${result.event.eventId} was accepted`);
  return result.reason;
}

describe('normalizeEvent: userIdentity types', () => {
  const cases: ReadonlyArray<readonly [string, () => IdentityFixture, Partial<Principal>]> = [
    ['IAMUser', () => identities.iamUser('Alice'), { key: `arn:aws:iam::${ACCOUNT}:user/Alice`, arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, userName: 'Alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', accountId: ACCOUNT }],
    [
      'AssumedRole',
      () => identities.assumedRole('SecOpsAdmin', 'jdoe'),
      {
        key: `arn:aws:sts::${ACCOUNT}:assumed-role/SecOpsAdmin/jdoe`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SecOpsAdmin/jdoe`,
        sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:role/SecOpsAdmin`,
        userName: 'SecOpsAdmin',
        mfaAuthenticated: false,
      },
    ],
    ['Root', () => identities.root(), { key: `arn:aws:iam::${ACCOUNT}:root`, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT }],
    ['AWSService', () => identities.awsService('qbusiness.amazonaws.com'), { key: 'AWSService:qbusiness.amazonaws.com', invokedBy: 'qbusiness.amazonaws.com', arn: undefined }],
    [
      'FederatedUser',
      () => identities.federatedUser('Bob'),
      { key: `arn:aws:sts::${ACCOUNT}:federated-user/Bob`, sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:user/Bob`, userName: 'Bob', mfaAuthenticated: true },
    ],
    ['AWSAccount', () => identities.awsAccount(), { key: 'AWSAccount:AIDAEXAMPLEOTHERACCT1', accountId: OTHER_ACCOUNT, arn: undefined }],
    [
      'IdentityCenterUser',
      () => identities.identityCenterUser(IDENTITY_CENTER_USER_ID),
      { key: `identitycenter:${IDENTITY_CENTER_USER_ID}`, onBehalfOfUserId: IDENTITY_CENTER_USER_ID, arn: undefined, accountId: ACCOUNT },
    ],
    ['Directory', () => identities.directory(), { key: 'Directory:S-1-5-21-EXAMPLE-1001', userName: 'dir-user' }],
    ['Unknown', () => identities.unknown(), { key: 'Unknown:EXAMPLEUNKNOWNPRINCIPAL', userName: 'someone@example.com' }],
  ];

  test.each(cases)('accepts a %s record with the expected principal', (type, identity, expected) => {
    // Arrange
    const record = cloudTrailRecord({ identity: identity() });

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.principal.type).toBe(type);
    expect(event.principal).toMatchObject(expected);
  });

  test('keys an Identity Center user of Q Business by onBehalfOf.userId even when the call came through a role', () => {
    // Arrange: an identity-aware session of a role carries the Identity Center user it acts for.
    const identity = { ...identities.assumedRole('QBusinessWebExperience', 'session-1'), onBehalfOf: { userId: IDENTITY_CENTER_USER_ID, identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-9067EXAMPLE' } };

    // Act
    const event = accepted(normalizeEvent(cloudTrailRecord({ identity })));

    // Assert
    expect(event.principal.key).toBe(`identitycenter:${IDENTITY_CENTER_USER_ID}`);
    expect(event.principal.sessionIssuerArn).toBe(`arn:aws:iam::${ACCOUNT}:role/QBusinessWebExperience`);
  });

  test('gives two sessions of one user the same key and two users different keys', () => {
    // Arrange
    const first = cloudTrailRecord({ identity: identities.identityCenterUser('user-a') });
    const again = cloudTrailRecord({ identity: identities.identityCenterUser('user-a') });
    const other = cloudTrailRecord({ identity: identities.identityCenterUser('user-b') });

    // Act
    const keys = [first, again, other].map((record) => triageEvent(record).principal.key);

    // Assert
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).not.toBe(keys[2]);
  });
});

describe('normalizeEvent: accepted shapes', () => {
  test('accepts an EventBridge envelope from aws.qbusiness', () => {
    // Arrange
    const record = cloudTrailRecord({ eventName: 'DeleteIndex' });

    // Act
    const event = accepted(normalizeEvent(envelope(record)));

    // Assert
    expect(event.eventSource).toBe('qbusiness.amazonaws.com');
    expect(event.eventName).toBe('DeleteIndex');
    expect(event.eventId).toBe(record.eventID);
  });

  test('accepts an EventBridge envelope from aws.q for a Q Developer record', () => {
    // Arrange
    const wrapped = envelope(qDeveloperRecord({ eventName: 'StartTroubleshootingAnalysis' }));

    // Act
    const event = accepted(normalizeEvent(wrapped));

    // Assert
    expect(wrapped.source).toBe('aws.q');
    expect(event.eventSource).toBe('q.amazonaws.com');
    expect(event.eventName).toBe('StartTroubleshootingAnalysis');
  });

  test('accepts a bare CloudTrail record and copies its AWS-written fields', () => {
    // Arrange
    const record = cloudTrailRecord({ eventName: 'CreatePlugin', second: 42 });

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event).toMatchObject({ eventName: 'CreatePlugin', region: 'us-east-1', account: ACCOUNT, eventCategory: 'Management', sourceIp: '203.0.113.24', readOnly: false });
    expect(event.time).toBe(Date.parse('2026-11-20T14:00:42Z'));
    expect(event.eventTime).toBe('2026-11-20T14:00:42.000Z');
  });

  test('accepts a data event and maps its resources', () => {
    // Arrange
    const record = dataEvent({
      eventName: 'BatchDeleteDocument',
      resources: [
        { accountId: ACCOUNT, type: 'AWS::QBusiness::Application', ARN: APPLICATION_ARN },
        { accountId: ACCOUNT, type: 'AWS::QBusiness::Index', ARN: INDEX_ARN },
      ],
    });

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.eventCategory).toBe('Data');
    expect(event.resources).toEqual([
      { arn: APPLICATION_ARN, type: 'AWS::QBusiness::Application' },
      { arn: INDEX_ARN, type: 'AWS::QBusiness::Index' },
    ]);
  });

  test('keeps errorCode and errorMessage of a failed call', () => {
    // Arrange
    const record = cloudTrailRecord({ eventName: 'DeleteApplication', errorCode: 'AccessDeniedException', errorMessage: 'User is not authorized to perform: qbusiness:DeleteApplication' });

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.errorCode).toBe('AccessDeniedException');
    expect(event.errorMessage).toBe('User is not authorized to perform: qbusiness:DeleteApplication');
  });

  test('accepts unknown extra fields and keeps the request and response', () => {
    // Arrange
    const record = cloudTrailRecord({ eventName: 'UpdateIndex' });
    record.addendum = { reason: 'DELIVERY_DELAY', updatedFields: 'eventTime' };
    record.userIdentity.someFutureField = 'kept';
    record.sharedEventID = 'e0000000-0000-4000-8000-000000000001';
    record.requestParameters = { applicationId: 'app', indexId: 'idx' };
    record.responseElements = { indexArn: 'arn:aws:qbusiness:us-east-1:111122223333:application/app/index/idx' };

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.requestParameters).toEqual({ applicationId: 'app', indexId: 'idx' });
    expect(event.responseElements).toEqual(record.responseElements);
  });

  test('accepts null for optional fields CloudTrail writes as null', () => {
    // Arrange
    const record = withField(withField(cloudTrailRecord({ eventName: 'DeleteGroup' }), 'requestParameters', null), 'userAgent', null);

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.userAgent).toBeUndefined();
  });
});

describe('normalizeEvent: rejections', () => {
  test.each(['eventID', 'eventName', 'eventSource', 'eventTime', 'userIdentity', 'userIdentity.type'])('rejects a record without %s and names the field', (field) => {
    // Arrange
    const record = without(cloudTrailRecord(), field);

    // Act
    const reason = rejection(normalizeEvent(record));

    // Assert
    expect(reason).toContain(`missing required field ${field}`);
  });

  test('rejects a missing field inside an envelope the same way', () => {
    // Arrange
    const wrapped = without(envelope(cloudTrailRecord()), 'detail.eventTime');

    // Act
    const reason = rejection(normalizeEvent(wrapped));

    // Assert
    expect(reason).toContain('missing required field eventTime');
  });

  test.each([
    ['a string', 'x', 'EventBridge detail must be an object, not a string'],
    ['null', null, 'EventBridge detail must be an object, not null'],
    ['an array', [cloudTrailRecord()], 'EventBridge detail must be an object, not an array'],
  ])('names the envelope detail when it is %s', (_label, detail, expected) => {
    expect(rejection(normalizeEvent(withField(envelope(cloudTrailRecord()), 'detail', detail)))).toBe(expected);
  });

  test('reports the eventID of a record it rejects when the record has one', () => {
    // Arrange
    const record = without(cloudTrailRecord(), 'eventName');

    // Act
    const result = normalizeEvent(record);

    // Assert
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.eventId).toBe(record.eventID);
  });

  test.each([
    ['eventID', 42, 'eventID must be a string, not a number'],
    ['eventName', ['DeleteIndex'], 'eventName must be a string, not an array'],
    ['userIdentity', 'Root', 'userIdentity must be an object, not a string'],
    ['userIdentity.type', 42, 'userIdentity.type must be a string, not a number'],
    ['readOnly', 42, 'readOnly must be true or false, not a number'],
    ['userIdentity.sessionContext.attributes.mfaAuthenticated', {}, 'userIdentity.sessionContext.attributes.mfaAuthenticated must be true or false, not an object'],
    ['resources', { ARN: APPLICATION_ARN }, 'resources must be an array, not an object'],
    ['userAgent', 12, 'userAgent must be a string, not a number'],
    ['userIdentity.arn', `arn:aws:iam::111122223333:role/${'p/'.repeat(510)}r`, 'userIdentity.arn is longer than 1024'],
    ['userIdentity.sessionContext.sessionIssuer.arn', 'a'.repeat(1025), 'userIdentity.sessionContext.sessionIssuer.arn is longer than 1024'],
    ['errorCode', `AccessDenied${'x'.repeat(200)}`, 'errorCode is longer than 128'],
  ])('rejects a record whose %s has the wrong type', (field, value, expected) => {
    // Arrange
    const record = withField(cloudTrailRecord(), field, value);

    // Act
    const reason = rejection(normalizeEvent(record));

    // Assert
    expect(reason).toContain(expected);
  });

  test('rejects an empty eventID', () => {
    // Arrange
    const record = withField(cloudTrailRecord(), 'eventID', '');

    // Act
    const reason = rejection(normalizeEvent(record));

    // Assert
    expect(reason).toContain('eventID is empty');
  });

  test.each(['s3.amazonaws.com', 'sts.amazonaws.com', 'qbusiness.amazonaws.com.evil.example'])('passes over a record of the other service %s', (eventSource) => {
    // Arrange
    const record = cloudTrailRecord({ eventSource });

    // Act
    const result = normalizeEvent(record);

    // Assert
    expect(result.ok).toBe(false);
    expect(isPassedOver(result)).toBe(true);
    expect(rejection(result)).toContain(eventSource);
  });

  test('passes over another service\'s record without judging its shape (a real trail holds every kind)', () => {
    // Arrange: an S3 record with none of the fields q-triage needs from a Q record.
    const record = { eventVersion: '1.09', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: 'not-an-object' };

    // Act
    const result = normalizeEvent(record);

    // Assert
    expect(isPassedOver(result)).toBe(true);
  });

  test('passes over another service\'s record larger than the EventBridge limit instead of rejecting it', () => {
    // Arrange
    const record = { ...cloudTrailRecord({ eventSource: 'ssm.amazonaws.com' }), requestParameters: { document: 'x'.repeat(MAX_EVENT_BYTES) } };

    // Act
    const result = normalizeEvent(record);

    // Assert
    expect(isPassedOver(result)).toBe(true);
  });

  test('passes over an envelope whose detail-type is not a CloudTrail record', () => {
    // Arrange
    const wrapped = envelope(cloudTrailRecord(), { 'detail-type': 'Scheduled Event' });

    // Act
    const result = normalizeEvent(wrapped);

    // Assert
    expect(isPassedOver(result)).toBe(true);
    expect(rejection(result)).toContain('Scheduled Event');
  });

  test('judges an envelope by detail.eventSource, not by its source', () => {
    // Arrange: a Q record wrapped under a source name that differs from the documented one.
    const wrapped = envelope(cloudTrailRecord(), { source: 'aws.s3' });

    // Act
    const event = accepted(normalizeEvent(wrapped));

    // Assert
    expect(event.eventSource).toBe('qbusiness.amazonaws.com');
  });

  test('passes over an aws.qbusiness envelope whose detail is another service\'s record', () => {
    // Arrange
    const wrapped = envelope(cloudTrailRecord({ eventSource: 'kms.amazonaws.com' }), { source: 'aws.qbusiness' });

    // Act
    const result = normalizeEvent(wrapped);

    // Assert
    expect(isPassedOver(result)).toBe(true);
  });

  test('rejects an envelope without detail-type', () => {
    // Arrange
    const wrapped = without(envelope(cloudTrailRecord()), 'detail-type');

    // Act
    const reason = rejection(normalizeEvent(wrapped));

    // Assert
    expect(reason).toContain('EventBridge envelope');
    expect(reason).toContain('detail-type');
  });

  test.each([
    ['null', null],
    ['a number', 42],
    ['a string', '{"eventID":"x"}'],
    ['an array', [cloudTrailRecord()]],
    ['a boolean', true],
    ['undefined', undefined],
  ])('rejects %s as input', (_label, input) => {
    // Act
    const reason = rejection(normalizeEvent(input));

    // Assert
    expect(reason).toBe('input is not a JSON object');
  });

  test('rejects an event larger than 256 KiB with its size in the reason', () => {
    // Arrange
    const record = cloudTrailRecord({ eventName: 'BatchPutDocument', requestParameters: { applicationId: 'a', documents: [{ id: 'x'.repeat(MAX_EVENT_BYTES) }] } });

    // Act
    const reason = rejection(normalizeEvent(record));

    // Assert
    expect(reason).toMatch(/^event is \d+ bytes, larger than the 262144-byte EventBridge limit$/);
  });

  test('uses the byte count a caller already measured', () => {
    // Arrange
    const record = cloudTrailRecord();

    // Act
    const reason = rejection(normalizeEvent(record, MAX_EVENT_BYTES + 1));

    // Assert
    expect(reason).toContain(`event is ${MAX_EVENT_BYTES + 1} bytes`);
  });

  test('measures the size in UTF-8 bytes, not in characters', () => {
    // Arrange: 100k three-byte characters are about 300 KB on the wire but 100k string characters.
    const record = cloudTrailRecord({ eventName: 'BatchPutDocument', requestParameters: { applicationId: 'a', title: '€'.repeat(100_000) } });

    // Act
    const result = normalizeEvent(record);

    // Assert
    expect(result.ok).toBe(false);
  });

  test.each(['yesterday', '2026-13-45T00:00:00Z', 'November 20, 2026', '1', '2026/11/20 14:00', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-11-20T24:00:00Z', '2026-11-20T14:60:00Z', '2026-11-20T14:00:00.Z', '2026-11-20T14:00:00.1234567890Z', '2024-02-30T00:00:00+00:00', '2024-05-01T24:00:00+00:00', '2026-11-20T14:00:61-05:00'])('rejects the non-ISO eventTime %j', (eventTime) => {
    // Arrange
    const record = withField(cloudTrailRecord(), 'eventTime', eventTime);

    // Act
    const reason = rejection(normalizeEvent(record));

    // Assert
    expect(reason).toBe('eventTime is not an ISO 8601 time');
  });

  test.each(['2026-11-20T14:00:00Z', '2026-11-20T14:00:00.123Z', '2026-11-20T15:00:00+01:00'])('accepts the ISO 8601 eventTime %j', (eventTime) => {
    // Arrange
    const record = withField(cloudTrailRecord(), 'eventTime', eventTime);

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.time).toBe(Date.parse(eventTime));
  });
});

describe('parseEventTime', () => {
  /** Deterministic times over four centuries, with every fraction length CloudTrail-like input may have. */
  const samples = Array.from({ length: 2000 }, (_, i) => {
    const iso = new Date(Date.UTC(1970, 0, 1) + ((i * 7_919_113_213_117) % 12_600_000_000_000)).toISOString();
    return `${iso.slice(0, 19)}${['', iso.slice(19, 23), `${iso.slice(19, 23)}987654`, '.5'][i % 4] ?? ''}Z`;
  });

  test('agrees with Date on time and on the toISOString form', () => {
    for (const text of samples) {
      expect([text, parseEventTime(text)]).toEqual([text, { time: Date.parse(text), iso: new Date(Date.parse(text)).toISOString() }]);
    }
  });

  test.each(['2024-02-29T00:00:00Z', '2000-02-29T23:59:59.999Z'])('accepts the leap day %j', (text) => {
    expect(parseEventTime(text)?.time).toBe(Date.parse(text));
  });

  test.each(['2100-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-00-10T00:00:00Z', '2026-11-00T00:00:00Z'])('refuses the impossible date %j that Date would roll over', (text) => {
    expect(parseEventTime(text)).toBeUndefined();
  });
});

describe('normalizeEvent: attacker free text', () => {
  const long = (prefix: string, length: number) => prefix + 'A'.repeat(length - prefix.length);

  test('truncates a userAgent over 512 characters instead of rejecting the event', () => {
    // Arrange
    const userAgent = long('Mozilla/5.0 ', 20_000);
    const record = cloudTrailRecord({ eventName: 'DeleteIndex', userAgent });

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.userAgent?.startsWith(userAgent.slice(0, MAX_FREE_TEXT))).toBe(true);
    expect(event.userAgent?.length).toBeLessThan(MAX_FREE_TEXT + 32);
    expect(event.userAgent).toContain('[truncated]');
  });

  test('truncates an errorMessage over 512 characters instead of rejecting the event', () => {
    // Arrange
    const errorMessage = long('Invalid name: ', 50_000);
    const record = cloudTrailRecord({ eventName: 'CreatePlugin', errorCode: 'ValidationException', errorMessage });

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.errorMessage?.startsWith(errorMessage.slice(0, MAX_FREE_TEXT))).toBe(true);
    expect(event.errorMessage?.length).toBeLessThan(MAX_FREE_TEXT + 32);
  });

  test('keeps free text of exactly 512 characters unchanged', () => {
    // Arrange
    const userAgent = long('curl/8.0 ', MAX_FREE_TEXT);

    // Act
    const event = accepted(normalizeEvent(cloudTrailRecord({ userAgent })));

    // Assert
    expect(event.userAgent).toBe(userAgent);
  });

  test('accepts a record whose requestParameters carry long attacker strings under the size limit', () => {
    // Arrange
    const record = cloudTrailRecord({ eventName: 'CreateDataAccessor', requestParameters: { applicationId: 'a', displayName: 'n'.repeat(100_000) } });

    // Act
    const result = normalizeEvent(record);

    // Assert
    expect(result.ok).toBe(true);
  });
});

describe('normalizeEvent: the shapes real exports write', () => {
  test.each(['qbusiness.amazonaws.com', 'qapps.amazonaws.com', 'q.amazonaws.com', 'codewhisperer.amazonaws.com'])('accepts a record of the Amazon Q source %s', (eventSource) => {
    // Act
    const event = accepted(normalizeEvent(cloudTrailRecord({ eventSource })));

    // Assert
    expect(event.eventSource).toBe(eventSource);
  });

  test('accepts a service event whose identity has no type (accountId and invokedBy only), as AWSService', () => {
    // Arrange: the userIdentity of AwsServiceEvent records in the CloudTrail user guide's examples.
    const record = { ...cloudTrailRecord(), eventType: 'AwsServiceEvent', userIdentity: { accountId: ACCOUNT, invokedBy: 'AWS Internal' }, serviceEventDetails: {} };

    // Act
    const event = accepted(normalizeEvent(envelope(record as unknown as Parameters<typeof envelope>[0], { 'detail-type': 'AWS Service Event via CloudTrail' })));

    // Assert
    expect(event.principal).toMatchObject({ type: 'AWSService', key: 'AWSService:AWS Internal', accountId: ACCOUNT });
  });

  test('accepts an "AWS Service Event via CloudTrail" envelope as the record alone is accepted', () => {
    // Arrange
    const wrapped = envelope(cloudTrailRecord(), { 'detail-type': 'AWS Service Event via CloudTrail' });

    // Act
    const event = accepted(normalizeEvent(wrapped));

    // Assert
    expect(event.eventName).toBe('CreateIndex');
  });

  test.each([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
  ])('reads mfaAuthenticated written as %p (CloudTrail writes a string; Lake, Athena and SIEM exports a boolean)', (written, expected) => {
    // Arrange
    const record = withField(cloudTrailRecord({ identity: identities.assumedRole('SecOpsAdmin', 'jdoe') }), 'userIdentity.sessionContext.attributes.mfaAuthenticated', written);

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.principal.mfaAuthenticated).toBe(expected);
  });

  test.each([
    ['true', true],
    ['false', false],
  ])('reads readOnly written as the string %p', (written, expected) => {
    // Act
    const event = accepted(normalizeEvent(withField(cloudTrailRecord(), 'readOnly', written)));

    // Assert
    expect(event.readOnly).toBe(expected);
  });

  test('accepts another service\'s record that Amazon Q Developer made for a user (invokedBy q.amazonaws.com)', () => {
    // Arrange: the shape of the s3:ListBuckets example of the Q Developer user guide's CloudTrail page.
    const identity = { ...identities.assumedRole('Paulo', 'Paulo'), invokedBy: 'q.amazonaws.com' };
    const record = { ...cloudTrailRecord({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', identity }), sourceIPAddress: 'q.amazonaws.com', userAgent: 'q.amazonaws.com' };

    // Act
    const event = accepted(normalizeEvent(record));

    // Assert
    expect(event.eventSource).toBe('s3.amazonaws.com');
    expect(event.principal.invokedBy).toBe('q.amazonaws.com');
  });
});
