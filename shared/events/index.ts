export { normalizeEvent, isPassedOver, parseEventTime, principalOf, describeIssues, MAX_EVENT_BYTES, MAX_FREE_TEXT } from './normalize';
export type { TriageEvent, Principal, NormalizeResult } from './normalize';
export { cloudTrailRecordSchema, eventBridgeEnvelopeSchema, USER_IDENTITY_TYPES, CLOUDTRAIL_DETAIL_TYPE, CLOUDTRAIL_DETAIL_TYPES } from './schema';
export type { CloudTrailRecord, UserIdentity } from './schema';
export { evidenceOf, headlineResource, EVIDENCE_FIELDS, MAX_EVIDENCE_ITEMS, MAX_EVIDENCE_VALUE } from './evidence';
export type { EvidenceItem } from './evidence';
