export {
  runDoctor,
  worstStatus,
  dataEventSelectorsFix,
  qbusinessDataTypes,
  QBUSINESS_DATA_RESOURCE_TYPES,
  CHECK_STATUSES,
} from './checks';
export type { CheckResult, CheckStatus, DoctorConfig, DoctorDeps, PlaybookVersionRecord } from './checks';
export { loadReadinessConfig, loadReadinessFunctionConfig, readinessEnvSchema, ReadinessConfigError } from './config';
export type { ReadinessConfig, ReadinessFunctionConfig } from './config';
export {
  runReadinessCheck,
  findRegressions,
  regressionMessage,
  DynamoReadinessStore,
  MemoryReadinessStore,
  READINESS_KEY,
} from './readiness';
export type { ReadinessStore, Regression, ReadinessDeps, ReadinessOutcome } from './readiness';
export { renderDoctorText, renderDoctorJson } from './report';
export { createDoctorDeps, playbookVersionReader } from './wiring';
