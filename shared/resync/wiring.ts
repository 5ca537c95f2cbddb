/** Builds the resync dependencies from the configuration: the one place that creates the AWS clients. */
import { QBusinessClient } from '@aws-sdk/client-qbusiness';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ResyncConfig } from './config';
import { createSnsReportPublisher, type ReportPublisher } from './report';
import type { ResyncDeps } from './run';
import { createDynamoVersionStore, createMemoryVersionStore } from './version';

export interface ResyncWiringOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Used when ALERTS_TOPIC_ARN is not set (the CLI prints instead). */
  readonly fallbackPublisher?: ReportPublisher;
}

export function createResyncDeps(config: ResyncConfig, options: ResyncWiringOptions): ResyncDeps {
  const s3 = new S3Client({});
  const publishReport: ReportPublisher =
    config.alertsTopicArn !== undefined
      ? createSnsReportPublisher(new SNSClient({}), config.alertsTopicArn)
      : (options.fallbackPublisher ?? (() => Promise.resolve()));
  const versionStore =
    config.stateTable !== undefined
      ? createDynamoVersionStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.stateTable, () =>
          options.clock.now(),
        )
      : createMemoryVersionStore();
  return {
    config,
    s3,
    ...(config.qbusiness !== undefined ? { qbusiness: new QBusinessClient({}) } : {}),
    versionStore,
    publishReport,
    clock: options.clock,
    logger: options.logger,
  };
}
