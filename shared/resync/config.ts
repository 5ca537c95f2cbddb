/** The resync section of the environment (docs/CONTRACTS.md), parsed once with zod/mini. */
import * as z from 'zod/mini';
import { csvList, parseSection, positiveInt } from '../config-core';
import { ResyncConfigError } from './errors';

export const resyncEnvSchema = z.object({
  PLAYBOOK_REPOSITORY: z._default(
    z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/)),
    'aws-samples/aws-customer-playbook-framework',
  ),
  PLAYBOOK_REF: z._default(z.string().check(z.regex(/^[\w./-]+$/)), 'main'),
  PLAYBOOK_TARBALL_URL: z.optional(z.url()),
  /** Commit to record when the tarball does not carry one (GitHub's carry it in a pax comment). */
  PLAYBOOK_COMMIT: z.optional(z.string()),
  AWS_PLAYBOOKS_BUCKET: z.string().check(z.minLength(3)),
  CUSTOM_PLAYBOOKS_BUCKET: z.optional(z.string().check(z.minLength(3))),
  PLAYBOOKS_KMS_KEY_ARN: z.optional(z.string()),
  QBUSINESS_APPLICATION_ID: z.optional(z.string()),
  QBUSINESS_INDEX_ID: z.optional(z.string()),
  QBUSINESS_DATA_SOURCE_IDS: z._default(csvList, []),
  SYNC_STALE_HOURS: positiveInt(48),
  MAX_TARBALL_BYTES: positiveInt(52_428_800),
  STATE_TABLE: z.optional(z.string()),
  ALERTS_TOPIC_ARN: z.optional(z.string()),
});

export interface ResyncConfig {
  readonly tarballUrl: string;
  readonly configuredCommit?: string;
  readonly awsPlaybooksBucket: string;
  readonly customPlaybooksBucket?: string;
  readonly kmsKeyId?: string;
  readonly qbusiness?: {
    readonly applicationId: string;
    readonly indexId: string;
    readonly dataSourceIds: readonly string[];
  };
  readonly syncStaleHours: number;
  readonly maxTarballBytes: number;
  readonly stateTable?: string;
  readonly alertsTopicArn?: string;
}

export function tarballUrlFor(repository: string, ref: string): string {
  return `https://codeload.github.com/${repository}/tar.gz/${encodeURI(ref)}`;
}

export function loadResyncConfig(env: NodeJS.ProcessEnv): ResyncConfig {
  const e = parseSection('resync', resyncEnvSchema, env, ResyncConfigError);
  const ids = e.QBUSINESS_DATA_SOURCE_IDS;
  if (ids.length > 0 && (e.QBUSINESS_APPLICATION_ID === undefined || e.QBUSINESS_INDEX_ID === undefined)) {
    throw new ResyncConfigError('QBUSINESS_DATA_SOURCE_IDS needs QBUSINESS_APPLICATION_ID and QBUSINESS_INDEX_ID');
  }
  return {
    tarballUrl: e.PLAYBOOK_TARBALL_URL ?? tarballUrlFor(e.PLAYBOOK_REPOSITORY, e.PLAYBOOK_REF),
    awsPlaybooksBucket: e.AWS_PLAYBOOKS_BUCKET,
    syncStaleHours: e.SYNC_STALE_HOURS,
    maxTarballBytes: e.MAX_TARBALL_BYTES,
    ...(e.PLAYBOOK_COMMIT !== undefined ? { configuredCommit: e.PLAYBOOK_COMMIT } : {}),
    ...(e.CUSTOM_PLAYBOOKS_BUCKET !== undefined ? { customPlaybooksBucket: e.CUSTOM_PLAYBOOKS_BUCKET } : {}),
    ...(e.PLAYBOOKS_KMS_KEY_ARN !== undefined ? { kmsKeyId: e.PLAYBOOKS_KMS_KEY_ARN } : {}),
    ...(e.STATE_TABLE !== undefined ? { stateTable: e.STATE_TABLE } : {}),
    ...(e.ALERTS_TOPIC_ARN !== undefined ? { alertsTopicArn: e.ALERTS_TOPIC_ARN } : {}),
    ...(ids.length > 0 && e.QBUSINESS_APPLICATION_ID !== undefined && e.QBUSINESS_INDEX_ID !== undefined
      ? { qbusiness: { applicationId: e.QBUSINESS_APPLICATION_ID, indexId: e.QBUSINESS_INDEX_ID, dataSourceIds: ids } }
      : {}),
  };
}
