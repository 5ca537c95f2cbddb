/** The triage handler's environment against local servers: dynalite and an SNS stub, no AWS. */
import { TEST_CREDENTIALS } from './http-stub';

export interface LocalTriageTargets {
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  readonly snsEndpoint: string;
  readonly alertsTopicArn: string;
  readonly pagingTopicArn: string;
  readonly selfPrincipals: string;
}

export function localTriageEnvironment(targets: LocalTriageTargets): Record<string, string> {
  return {
    STATE_TABLE: targets.tableName,
    ALERTS_TOPIC_ARN: targets.alertsTopicArn,
    PAGING_TOPIC_ARN: targets.pagingTopicArn,
    SELF_PRINCIPALS: targets.selfPrincipals,
    ENRICH_SOURCE: 'none',
    CONTEXT_ENABLED: 'false',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: targets.dynamoEndpoint,
    AWS_ENDPOINT_URL_SNS: targets.snsEndpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** Enrichment from a Q Business ChatSync stub (an anonymous application), on top of localTriageEnvironment. */
export function answeringEnvironment(
  qbusinessEndpoint: string,
  applicationId = '3f1b2c4d-0000-4000-8000-000000000001',
): Record<string, string> {
  return {
    ENRICH_SOURCE: 'qbusiness',
    QBUSINESS_APPLICATION_ID: applicationId,
    QBUSINESS_AUTH_MODE: 'anonymous',
    AWS_ENDPOINT_URL_QBUSINESS: qbusinessEndpoint,
  };
}
