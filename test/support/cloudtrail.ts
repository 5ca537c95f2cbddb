/**
 * Realistic CloudTrail records for Amazon Q Business (`qbusiness.amazonaws.com`) and Amazon Q Developer
 * (`q.amazonaws.com`), shaped after the CloudTrail record contents and userIdentity references
 * (eventVersion 1.09). Every builder returns a fresh object, so a test may change what it gets.
 *
 * Values are example values: account 111122223333, documentation IP ranges, `EXAMPLE` key ids.
 */
import { normalizeEvent, type TriageEvent } from '../../shared/events';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';
export const APPLICATION_ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
export const INDEX_ID = 'b2c3d4e5-6789-01ab-cdef-EXAMPLE22222';
export const APPLICATION_ARN = `arn:aws:qbusiness:${REGION}:${ACCOUNT}:application/${APPLICATION_ID}`;
export const INDEX_ARN = `${APPLICATION_ARN}/index/${INDEX_ID}`;
export const IDENTITY_STORE_ARN = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-9067EXAMPLE`;
export const IDENTITY_CENTER_USER_ID = '94482488-3041-7026-18f3-EXAMPLE33333';
/** 2026-11-20T14:00:00Z: fixtures count seconds from here. */
export const T0 = Date.UTC(2026, 10, 20, 14, 0, 0);

export interface SessionIssuerFixture {
  type: string;
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface IdentityFixture {
  type: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  credentialId?: string;
  sessionContext?: {
    sessionIssuer?: SessionIssuerFixture;
    attributes?: { creationDate: string; mfaAuthenticated: string };
    sourceIdentity?: string;
  };
  onBehalfOf?: { userId: string; identityStoreArn: string };
  [field: string]: unknown;
}

export interface ResourceFixture {
  accountId: string;
  type: string;
  ARN: string;
}

export interface RecordFixture {
  eventVersion: string;
  userIdentity: IdentityFixture;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: ResourceFixture[];
  eventType: string;
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management' | 'Data';
  tlsDetails: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  sessionCredentialFromConsole?: string;
  [field: string]: unknown;
}

export interface EnvelopeFixture {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: unknown[];
  detail: unknown;
  [field: string]: unknown;
}

let sequence = 0;

/** A unique, UUID-shaped id; deterministic within one test file. */
export function exampleId(): string {
  sequence += 1;
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

// ── userIdentity, one builder per type CloudTrail writes ────────────────────────────────────────────

function sessionIssuer(roleName: string): SessionIssuerFixture {
  return {
    type: 'Role',
    principalId: 'AROAEXAMPLEROLEID1234',
    arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
    accountId: ACCOUNT,
    userName: roleName,
  };
}

export const identities = {
  iamUser(userName = 'Alice'): IdentityFixture {
    return {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSERID1234',
      arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName,
    };
  },
  assumedRole(roleName = 'SecOpsAdmin', sessionName = 'jdoe', mfa = false): IdentityFixture {
    return {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEROLEID1234:${sessionName}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${sessionName}`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      sessionContext: {
        sessionIssuer: sessionIssuer(roleName),
        attributes: { creationDate: '2026-11-20T13:50:00Z', mfaAuthenticated: String(mfa) },
      },
    };
  },
  root(): IdentityFixture {
    return {
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAROOTEXAMPLE12345',
    };
  },
  awsService(invokedBy = 'qbusiness.amazonaws.com'): IdentityFixture {
    return { type: 'AWSService', invokedBy };
  },
  federatedUser(userName = 'Bob'): IdentityFixture {
    return {
      type: 'FederatedUser',
      principalId: `${ACCOUNT}:${userName}`,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/${userName}`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAFEDEXAMPLE123456',
      sessionContext: {
        sessionIssuer: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLEFEDUSER12',
          arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
          accountId: ACCOUNT,
          userName,
        },
        attributes: { creationDate: '2026-11-20T13:55:00Z', mfaAuthenticated: 'true' },
      },
    };
  },
  /** A call made with another account's credentials: only that account and a principal id are known. */
  awsAccount(): IdentityFixture {
    return { type: 'AWSAccount', principalId: 'AIDAEXAMPLEOTHERACCT1', accountId: OTHER_ACCOUNT };
  },
  identityCenterUser(userId = IDENTITY_CENTER_USER_ID): IdentityFixture {
    return {
      type: 'IdentityCenterUser',
      accountId: ACCOUNT,
      onBehalfOf: { userId, identityStoreArn: IDENTITY_STORE_ARN },
      credentialId: 'EXAMPLEcredentialIdQBusiness0001',
    };
  },
  directory(): IdentityFixture {
    return { type: 'Directory', principalId: 'S-1-5-21-EXAMPLE-1001', accountId: ACCOUNT, userName: 'dir-user' };
  },
  unknown(): IdentityFixture {
    return {
      type: 'Unknown',
      principalId: 'EXAMPLEUNKNOWNPRINCIPAL',
      accountId: ACCOUNT,
      userName: 'someone@example.com',
    };
  },
};

export type IdentityKind = keyof typeof identities;

// ── records ─────────────────────────────────────────────────────────────────────────────────────────

export interface RecordOptions {
  readonly eventName?: string;
  readonly eventSource?: 'qbusiness.amazonaws.com' | 'q.amazonaws.com' | (string & {});
  readonly identity?: IdentityFixture;
  /** Seconds after T0. */
  readonly second?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly userAgent?: string;
  readonly category?: 'Management' | 'Data';
  readonly resources?: ResourceFixture[];
}

const READ_VERBS = ['Get', 'List', 'Search', 'Check', 'Describe'];

function defaultParameters(eventSource: string): Record<string, unknown> {
  return eventSource === 'q.amazonaws.com'
    ? { conversationId: 'c0ffee00-1234-4abc-8def-EXAMPLE44444' }
    : { applicationId: APPLICATION_ID };
}

/** A management event (unless `category: 'Data'`) for a Q Business operation, made by an assumed role. */
export function cloudTrailRecord(options: RecordOptions = {}): RecordFixture {
  const eventSource = options.eventSource ?? 'qbusiness.amazonaws.com';
  const eventName = options.eventName ?? 'CreateIndex';
  const category = options.category ?? 'Management';
  const record: RecordFixture = {
    eventVersion: '1.09',
    userIdentity: options.identity ?? identities.assumedRole(),
    eventTime: isoSeconds(T0 + (options.second ?? 0) * 1000),
    eventSource,
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '203.0.113.24',
    userAgent:
      options.userAgent ?? 'aws-cli/2.17.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6',
    requestParameters:
      options.requestParameters === undefined ? defaultParameters(eventSource) : options.requestParameters,
    responseElements: null,
    requestID: exampleId(),
    eventID: exampleId(),
    readOnly: READ_VERBS.some((verb) => eventName.startsWith(verb)),
    eventType: 'AwsApiCall',
    managementEvent: category === 'Management',
    recipientAccountId: ACCOUNT,
    eventCategory: category,
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${eventSource.split('.')[0] ?? 'qbusiness'}.${REGION}.api.aws`,
    },
  };
  if (options.errorCode !== undefined) {
    record.errorCode = options.errorCode;
    record.errorMessage =
      options.errorMessage ?? `User is not authorized to perform: ${eventSource.split('.')[0] ?? ''}:${eventName}`;
  }
  if (category === 'Data' || options.resources !== undefined) {
    record.resources = options.resources ?? [
      { accountId: ACCOUNT, type: 'AWS::QBusiness::Application', ARN: APPLICATION_ARN },
    ];
  }
  return record;
}

/** A Q Business data event (Chat, documents, conversations…) with its `resources[]`. */
export function dataEvent(options: RecordOptions = {}): RecordFixture {
  return cloudTrailRecord({
    eventName: 'ChatSync',
    identity: identities.identityCenterUser(),
    ...options,
    category: 'Data',
  });
}

/** A Q Developer console call (`q.amazonaws.com`). */
export function qDeveloperRecord(options: RecordOptions = {}): RecordFixture {
  return cloudTrailRecord({
    eventName: 'SendMessage',
    requestParameters: { conversationId: 'c0ffee00-1234-4abc-8def-EXAMPLE44444', message: '***' },
    ...options,
    eventSource: 'q.amazonaws.com',
  });
}

const ENVELOPE_SOURCES: Record<string, string> = {
  'qbusiness.amazonaws.com': 'aws.qbusiness',
  'q.amazonaws.com': 'aws.q',
};

/** The record as EventBridge delivers it: `AWS API Call via CloudTrail` from `aws.qbusiness` or `aws.q`. */
export function envelope(record: RecordFixture, overrides: Partial<EnvelopeFixture> = {}): EnvelopeFixture {
  return {
    version: '0',
    id: exampleId(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: ENVELOPE_SOURCES[record.eventSource] ?? 'aws.qbusiness',
    account: ACCOUNT,
    time: record.eventTime,
    region: REGION,
    resources: [],
    detail: record,
    ...overrides,
  };
}

/** A copy of `value` without `path` (dotted), for missing-field tests. */
export function without(value: object, path: string): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target: Record<string, unknown> = copy;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  delete target[last];
  return copy;
}

/** A copy of `value` with `path` (dotted) set to `replacement`, for wrong-type tests. */
export function withField(value: object, path: string, replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target: Record<string, unknown> = copy;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  target[last] = replacement;
  return copy;
}

export class FixtureRejectedError extends Error {
  override readonly name = 'FixtureRejectedError';
}

/** Normalises a fixture that must be valid; throws with the rejection reason otherwise. */
export function triageEvent(input: RecordFixture | EnvelopeFixture | Readonly<Record<string, unknown>>): TriageEvent {
  const result = normalizeEvent(input);
  if (!result.ok) throw new FixtureRejectedError(`fixture rejected: ${result.reason}`);
  return result.event;
}
