/** Builds the doctor's dependencies from the readiness configuration: clients created once, here. */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { QBusinessClient } from '@aws-sdk/client-qbusiness';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock';
import type { DoctorDeps, PlaybookVersionRecord } from './checks';
import type { ReadinessConfig } from './config';

export function playbookVersionReader(
  client: DynamoDBDocumentClient,
  tableName: string,
): () => Promise<PlaybookVersionRecord | undefined> {
  return async () => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'playbook#version', sk: 'current' } }),
    );
    if (Item === undefined) return undefined;
    return {
      ...(typeof Item.version === 'string' ? { version: Item.version } : {}),
      ...(typeof Item.syncedAt === 'string' ? { syncedAt: Item.syncedAt } : {}),
      ...(typeof Item.verifiedAt === 'string' ? { verifiedAt: Item.verifiedAt } : {}),
    };
  };
}

export function createDoctorDeps(
  config: ReadinessConfig,
  options: { readonly clock: Clock; readonly dynamo?: DynamoDBDocumentClient; readonly region?: string },
): DoctorDeps {
  const region = options.region !== undefined ? { region: options.region } : {};
  return {
    cloudTrail: new CloudTrailClient(region),
    eventBridge: new EventBridgeClient(region),
    sns: new SNSClient(region),
    ...(config.applicationId !== undefined
      ? {
          qbusiness: new QBusinessClient(
            config.qbusinessRegion !== undefined ? { region: config.qbusinessRegion } : region,
          ),
        }
      : {}),
    ...(options.dynamo !== undefined && config.stateTable !== undefined
      ? { readPlaybookVersion: playbookVersionReader(options.dynamo, config.stateTable) }
      : {}),
    clock: options.clock,
    config,
  };
}
