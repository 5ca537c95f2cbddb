/**
 * The one configuration parser. Each function parses the sections it needs once, at cold start,
 * through `loadXConfig(process.env)`; tests call the same functions with their own env.
 */
import * as z from 'zod/mini';
import { parseSelfPrincipals } from './classify/self';
import { ALERT_LOCALES, arnOf, booleanFlag, nonEmpty, parseSection, positiveInt, type AlertLocale } from './config-core';

export { ConfigError, ALERT_LOCALES, parseSection } from './config-core';
export type { AlertLocale } from './config-core';

const triageSchema = z.object({
  STATE_TABLE: nonEmpty,
  ALERTS_TOPIC_ARN: arnOf('sns'),
  PAGING_TOPIC_ARN: arnOf('sns'),
  SELF_PRINCIPALS: z.optional(z.string()),
  /** Checked in loadTriageConfig: an unknown locale degrades alert texts to English, it does not stop triage. */
  ALERT_LOCALE: z.optional(z.string()),
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
  readonly alertLocale: AlertLocale;
  readonly aggregationWindowMs: number;
  readonly pagesPerHour: number;
  /** At most one update message per incident per this many milliseconds. */
  readonly updateIntervalMs: number;
  readonly rulesJson?: string;
  readonly deadlineReserveMs: number;
  readonly playbooksBucket?: string;
  readonly localAdapters: boolean;
  /** Optional settings that were wrong and fell back to their default, one message each: logged and counted at cold start. */
  readonly degraded: readonly string[];
}

function alertLocaleOf(value: string | undefined): { locale: AlertLocale; problem?: string } {
  if (value === undefined) return { locale: 'en' };
  const known = ALERT_LOCALES.find((locale) => locale === value);
  return known !== undefined ? { locale: known } : { locale: 'en', problem: `ALERT_LOCALE must be one of ${ALERT_LOCALES.join(', ')}; alert texts are in English` };
}

export function loadTriageConfig(env: Record<string, string | undefined>): TriageConfig {
  const parsed = parseSection('triage', triageSchema, env);
  const { locale, problem } = alertLocaleOf(parsed.ALERT_LOCALE);
  return {
    stateTable: parsed.STATE_TABLE,
    alertsTopicArn: parsed.ALERTS_TOPIC_ARN,
    pagingTopicArn: parsed.PAGING_TOPIC_ARN,
    selfPrincipals: parseSelfPrincipals(parsed.SELF_PRINCIPALS),
    alertLocale: locale,
    aggregationWindowMs: parsed.AGGREGATION_WINDOW_SECONDS * 1000,
    pagesPerHour: parsed.PAGES_PER_HOUR,
    updateIntervalMs: parsed.UPDATE_INTERVAL_MINUTES * 60_000,
    rulesJson: parsed.RULES_JSON,
    deadlineReserveMs: parsed.DEADLINE_RESERVE_MS,
    playbooksBucket: parsed.AWS_PLAYBOOKS_BUCKET,
    localAdapters: parsed.LOCAL_ADAPTERS,
    degraded: problem === undefined ? [] : [problem],
  };
}
