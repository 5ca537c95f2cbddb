/**
 * CloudTrail record and EventBridge envelope schemas (zod/mini: this runs in every cold start).
 * Shapes follow the CloudTrail record contents reference; unknown fields pass through untouched.
 */
import * as z from 'zod/mini';

/** Identifiers AWS writes itself: bounded, so a corrupt or forged record is rejected, not stored. */
const awsId = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const optionalString = z.optional(z.nullable(z.string()));

export const USER_IDENTITY_TYPES = [
  'Root',
  'IAMUser',
  'AssumedRole',
  'FederatedUser',
  'Directory',
  'AWSAccount',
  'AWSService',
  'IdentityCenterUser',
  'Role',
  'SAMLUser',
  'WebIdentityUser',
  'Unknown',
] as const;

const sessionIssuer = z.looseObject({
  type: optionalString,
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  userName: optionalString,
});

const sessionContext = z.looseObject({
  sessionIssuer: z.optional(z.nullable(sessionIssuer)),
  attributes: z.optional(
    z.nullable(z.looseObject({ creationDate: optionalString, mfaAuthenticated: optionalString })),
  ),
  sourceIdentity: optionalString,
});

export const userIdentitySchema = z.looseObject({
  // CloudTrail documents the list above, but new identity types appear; an unknown type is kept, not rejected.
  type: awsId(64),
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  accessKeyId: optionalString,
  userName: optionalString,
  invokedBy: optionalString,
  identityProvider: optionalString,
  credentialId: optionalString,
  sessionContext: z.optional(z.nullable(sessionContext)),
  onBehalfOf: z.optional(
    z.nullable(z.looseObject({ userId: optionalString, identityStoreArn: optionalString })),
  ),
});

const resourceSchema = z.looseObject({
  ARN: optionalString,
  type: optionalString,
  accountId: optionalString,
});

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: optionalString,
  eventID: awsId(128),
  eventName: awsId(128),
  eventSource: awsId(128),
  eventTime: awsId(64),
  awsRegion: optionalString,
  userIdentity: userIdentitySchema,
  sourceIPAddress: optionalString,
  userAgent: optionalString,
  errorCode: optionalString,
  errorMessage: optionalString,
  requestParameters: z.optional(z.nullable(z.unknown())),
  responseElements: z.optional(z.nullable(z.unknown())),
  requestID: optionalString,
  readOnly: z.optional(z.nullable(z.boolean())),
  resources: z.optional(z.nullable(z.array(resourceSchema))),
  eventType: optionalString,
  managementEvent: z.optional(z.nullable(z.boolean())),
  recipientAccountId: optionalString,
  eventCategory: optionalString,
  sessionCredentialFromConsole: z.optional(z.nullable(z.union([z.string(), z.boolean()]))),
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;
export type UserIdentity = z.infer<typeof userIdentitySchema>;

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

export const eventBridgeEnvelopeSchema = z.looseObject({
  version: optionalString,
  id: optionalString,
  'detail-type': z.string(),
  source: z.string(),
  account: optionalString,
  time: optionalString,
  region: optionalString,
  resources: z.optional(z.nullable(z.array(z.unknown()))),
  detail: z.unknown(),
});
