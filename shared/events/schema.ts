/**
 * CloudTrail record and EventBridge envelope schemas. Shapes follow the CloudTrail record contents reference.
 *
 * Only the fields q-triage reads are declared, so a record with fields CloudTrail adds later (or any
 * other extra field) is accepted. The pipeline reads the validated original record (see ./check.ts
 * for the fast yes/no check compiled from these schemas; zod itself explains every rejection).
 * zod/mini keeps the Lambda bundle small (classic zod adds ~450 KB and ~25 ms to a cold start).
 */
import * as z from 'zod/mini';

/** Identifiers AWS writes itself: bounded, so a corrupt or forged record is rejected, not stored. */
const awsId = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const text = z.nullish(z.string());
/** Fields AWS writes in a known, short form (ARNs, error codes): a longer one is forged or corrupt. */
const bounded = (max: number) => z.nullish(z.string().check(z.maxLength(max)));
/**
 * CloudTrail writes some flags as strings ("true") and others as booleans; CloudTrail Lake, Athena and
 * SIEM re-exports write the other form. Both are read (see normalize.ts's `flag`).
 */
const flag = z.nullish(z.union([z.boolean(), z.string().check(z.maxLength(8))]));
/** IAM allows a 512-character path in a role ARN; assumed-role and session ARNs are shorter. */
const ARN_MAX = 1024;

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

export const userIdentitySchema = z.object({
  // CloudTrail documents the list above, but new identity types appear; an unknown type is kept, not rejected.
  // Records of AWS service events (eventType AwsServiceEvent) carry only accountId and invokedBy: no type.
  type: z.nullish(awsId(64)),
  principalId: bounded(ARN_MAX),
  arn: bounded(ARN_MAX),
  accountId: bounded(64),
  accessKeyId: bounded(128),
  userName: bounded(ARN_MAX),
  invokedBy: bounded(ARN_MAX),
  sessionContext: z.nullish(
    z.object({
      sessionIssuer: z.nullish(z.object({ type: text, arn: bounded(ARN_MAX), userName: bounded(ARN_MAX) })),
      attributes: z.nullish(z.object({ mfaAuthenticated: flag })),
    }),
  ),
  onBehalfOf: z.nullish(z.object({ userId: bounded(ARN_MAX), identityStoreArn: bounded(ARN_MAX) })),
});

export const cloudTrailRecordSchema = z.object({
  eventID: awsId(128),
  eventName: awsId(128),
  eventSource: awsId(128),
  eventTime: awsId(64),
  awsRegion: text,
  userIdentity: userIdentitySchema,
  sourceIPAddress: text,
  userAgent: text,
  errorCode: bounded(128),
  errorMessage: text,
  readOnly: flag,
  resources: z.nullish(z.array(z.object({ ARN: bounded(ARN_MAX), type: bounded(128) }))),
  managementEvent: flag,
  recipientAccountId: text,
  eventCategory: text,
});

/** A validated record: the declared fields typed, every other field of the original record kept as is. */
export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema> & {
  readonly eventVersion?: string;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  readonly [field: string]: unknown;
};
export type UserIdentity = z.infer<typeof userIdentitySchema>;

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/**
 * EventBridge detail types whose `detail` is a CloudTrail record (EventBridge user guide, "AWS service events
 * delivered via AWS CloudTrail"): API calls, and events a service records itself (`eventType: AwsServiceEvent`).
 */
export const CLOUDTRAIL_DETAIL_TYPES: ReadonlySet<string> = new Set([CLOUDTRAIL_DETAIL_TYPE, 'AWS Service Event via CloudTrail']);

export const eventBridgeEnvelopeSchema = z.object({
  'detail-type': z.string(),
  source: z.string(),
  detail: z.unknown(),
});
