/** The readiness section of the environment (docs/CONTRACTS.md), parsed once with zod/mini. */
import * as z from 'zod/mini';
import { ConfigError, csvList, parseSection } from '../config-core';
import type { DoctorConfig } from './checks';

export const readinessEnvSchema = z.object({
  ALERTS_TOPIC_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  EVENT_RULE_NAMES: z._default(csvList, []),
  QBUSINESS_APPLICATION_ID: z.optional(z.string().check(z.minLength(1))),
  QBUSINESS_REGION: z.optional(z.string().check(z.minLength(1))),
  STATE_TABLE: z.optional(z.string().check(z.minLength(3))),
  SYNC_STALE_HOURS: z._default(z.coerce.number().check(z.positive()), 48),
});

export interface ReadinessConfig extends DoctorConfig {
  readonly stateTable?: string;
  readonly qbusinessRegion?: string;
}

export class ReadinessConfigError extends ConfigError {
  override readonly name = 'ReadinessConfigError';
}

export function loadReadinessConfig(env: NodeJS.ProcessEnv): ReadinessConfig {
  const e = parseSection('readiness', readinessEnvSchema, env, ReadinessConfigError);
  return {
    eventRuleNames: e.EVENT_RULE_NAMES,
    syncStaleHours: e.SYNC_STALE_HOURS,
    ...(e.ALERTS_TOPIC_ARN !== undefined ? { alertsTopicArn: e.ALERTS_TOPIC_ARN } : {}),
    ...(e.QBUSINESS_APPLICATION_ID !== undefined ? { applicationId: e.QBUSINESS_APPLICATION_ID } : {}),
    ...(e.QBUSINESS_REGION !== undefined ? { qbusinessRegion: e.QBUSINESS_REGION } : {}),
    ...(e.STATE_TABLE !== undefined ? { stateTable: e.STATE_TABLE } : {}),
  };
}

/** The readiness function's configuration: the doctor's, plus the table and topic it needs to remember and alert. */
export interface ReadinessFunctionConfig extends ReadinessConfig {
  readonly stateTable: string;
  readonly alertsTopicArn: string;
}

/** Parsed once at cold start: a bad deployment fails there, not on the first scheduled run. */
export function loadReadinessFunctionConfig(env: NodeJS.ProcessEnv): ReadinessFunctionConfig {
  const config = loadReadinessConfig(env);
  const { stateTable, alertsTopicArn } = config;
  if (stateTable === undefined || alertsTopicArn === undefined)
    throw new ReadinessConfigError('the readiness function needs STATE_TABLE and ALERTS_TOPIC_ARN');
  return { ...config, stateTable, alertsTopicArn };
}
