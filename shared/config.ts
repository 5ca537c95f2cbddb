/**
 * The one configuration parser. Each function loads every section it needs once, at cold start, with one call
 * (`loadTriageFunctionConfig`, `loadResyncConfig`, `loadReadinessFunctionConfig`); tests call the same
 * functions with their own env.
 */
import * as z from 'zod/mini';
import { parseSelfPrincipals } from './classify/self';
import {
  ALERT_LOCALES,
  arnOf,
  booleanFlag,
  ConfigError,
  nonEmpty,
  parseSection,
  positiveInt,
  type AlertLocale,
} from './config-core';
import { loadContextConfig, type ContextConfig } from './context/config';
import { parseEnrichConfig, type EnrichConfig } from './enrich/config';

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
  return known !== undefined
    ? { locale: known }
    : { locale: 'en', problem: `ALERT_LOCALE must be one of ${ALERT_LOCALES.join(', ')}; alert texts are in English` };
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

/** The section of an optional feature whose settings are wrong: the feature is off, and this says why. */
export interface Misconfigured {
  readonly misconfigured: string;
}

export function isMisconfigured(section: object): section is Misconfigured {
  return 'misconfigured' in section;
}

/**
 * An optional feature's section, or why it is off: only what triage itself needs may fail the cold start.
 * Errors other than a ConfigError are bugs, and are thrown.
 */
export function optionalSection<T extends object>(parse: () => T): T | Misconfigured {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { misconfigured: error.message };
  }
}

/** Everything the triage function reads from its environment. */
export interface TriageFunctionConfig {
  readonly triage: TriageConfig;
  readonly enrich: EnrichConfig | Misconfigured;
  readonly context: ContextConfig | Misconfigured;
}

/**
 * The triage function's configuration, parsed once at cold start. A bad triage section (a missing table or
 * topic, an invalid number) throws; a bad enrichment or context section turns that feature off, and the wiring
 * says so (WARN log, ConfigDegraded metric) when it is built.
 */
export function loadTriageFunctionConfig(env: Readonly<Record<string, string | undefined>>): TriageFunctionConfig {
  return {
    triage: loadTriageConfig(env),
    enrich: optionalSection(() => parseEnrichConfig(env)),
    context: optionalSection(() => loadContextConfig(env)),
  };
}
