/**
 * The one configuration parser. Each function parses the sections it needs once, at cold start,
 * through `loadXConfig(process.env)`; tests call the same functions with their own env.
 */
import * as z from 'zod/mini';
import { parseSelfPrincipals } from './classify/self';
import { ALERT_LOCALES, arnOf, booleanFlag, nonEmpty, parseSection, positiveInt } from './config-core';

export { ConfigError, ALERT_LOCALES, parseSection } from './config-core';
export type { AlertLocale } from './config-core';

const triageSchema = z.object({
  STATE_TABLE: nonEmpty,
  ALERTS_TOPIC_ARN: arnOf('sns'),
  PAGING_TOPIC_ARN: arnOf('sns'),
  SELF_PRINCIPALS: z.optional(z.string()),
  ALERT_LOCALE: z._default(z.enum(ALERT_LOCALES), 'en'),
  AGGREGATION_WINDOW_SECONDS: positiveInt(300),
  PAGES_PER_HOUR: positiveInt(20),
  UPDATE_INTERVAL_MINUTES: positiveInt(15),
  RULES_JSON: z.optional(z.string()),
  /** Publishing stops this long before the Lambda timeout; what is left goes back to SQS. */
  DEADLINE_RESERVE_MS: positiveInt(5000),
  /** Where resync mirrors the playbooks; read for alert texts in ALERT_LOCALE. */
  AWS_PLAYBOOKS_BUCKET: z.optional(z.string()),
  /** `serverless invoke local --stage local`: memory state and alerts on stdout instead of DynamoDB and SNS. */
  LOCAL_ADAPTERS: booleanFlag(false),
});

export interface TriageConfig {
  readonly stateTable: string;
  readonly alertsTopicArn: string;
  readonly pagingTopicArn: string;
  readonly selfPrincipals: readonly string[];
  readonly alertLocale: (typeof ALERT_LOCALES)[number];
  readonly aggregationWindowMs: number;
  readonly pagesPerHour: number;
  /** At most one update message per incident per this many milliseconds. */
  readonly updateIntervalMs: number;
  readonly rulesJson?: string;
  readonly deadlineReserveMs: number;
  readonly playbooksBucket?: string;
  readonly localAdapters: boolean;
}

export function loadTriageConfig(env: Record<string, string | undefined>): TriageConfig {
  const parsed = parseSection('triage', triageSchema, env);
  return {
    stateTable: parsed.STATE_TABLE,
    alertsTopicArn: parsed.ALERTS_TOPIC_ARN,
    pagingTopicArn: parsed.PAGING_TOPIC_ARN,
    selfPrincipals: parseSelfPrincipals(parsed.SELF_PRINCIPALS),
    alertLocale: parsed.ALERT_LOCALE,
    aggregationWindowMs: parsed.AGGREGATION_WINDOW_SECONDS * 1000,
    pagesPerHour: parsed.PAGES_PER_HOUR,
    updateIntervalMs: parsed.UPDATE_INTERVAL_MINUTES * 60_000,
    rulesJson: parsed.RULES_JSON,
    deadlineReserveMs: parsed.DEADLINE_RESERVE_MS,
    playbooksBucket: parsed.AWS_PLAYBOOKS_BUCKET === '' ? undefined : parsed.AWS_PLAYBOOKS_BUCKET,
    localAdapters: parsed.LOCAL_ADAPTERS,
  };
}
