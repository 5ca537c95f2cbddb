/**
 * Wires the triage pipeline to AWS for the Lambda: clients created once per container, adapters chosen
 * from configuration. The domain stays free of Lambda; the handler stays a dozen lines.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applyRules, parseRulesJson } from '../classify/overrides';
import { defaultPolicy } from '../classify/policy';
import { createSelfMatcher } from '../classify/self';
import { systemClock, type Clock } from '../clock';
import { lazy } from '../lazy';
import { isMisconfigured, type TriageFunctionConfig } from '../config';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import { MemoryStateStore, type StateStore } from '../state';
import { DynamoStateStore } from '../state/dynamo';
import { createAwsContext, createAwsEnricher } from './adapters';
import {
  createTriage,
  type ActivitySink,
  type ContextProvider,
  type Enricher,
  type InputOutcome,
  type Notifier,
  type Triage,
} from '../triage';
import { QTriageError } from '../errors';

export interface AwsTriageDeps {
  /** Every section, from loadTriageFunctionConfig at cold start. */
  readonly config: TriageFunctionConfig;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly clock?: Clock;
  /** Injected by tests to point the client at a local server. */
  readonly dynamo?: DynamoDBDocumentClient;
  readonly enricher?: Enricher;
  readonly context?: ContextProvider;
  readonly activity?: ActivitySink;
}

interface Adapters {
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly enricher?: Enricher;
  readonly context?: ContextProvider;
  readonly activity?: ActivitySink;
}

function awsAdapters(deps: AwsTriageDeps, clock: Clock): Adapters {
  const { logger, metrics } = deps;
  const config = deps.config.triage;
  const dynamo =
    deps.dynamo ??
    DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  // Most invocations raise no alert: the SNS client and the renderers load with the first publish.
  const notifier = lazyNotifier(async () => {
    const { createSnsClient, createSnsNotifier } = await import('../notify');
    return createSnsNotifier({
      client: createSnsClient(),
      alertsTopicArn: config.alertsTopicArn,
      pagingTopicArn: config.pagingTopicArn,
      logger,
    });
  });
  const store = new DynamoStateStore({ client: dynamo, tableName: config.stateTable, clock });
  const adapterDeps = { documents: dynamo, tableName: config.stateTable, clock, logger, metrics };
  const { context, activity } = createAwsContext(deps.config.context, adapterDeps);
  return { store, notifier, enricher: createAwsEnricher(deps.config.enrich, adapterDeps), context, activity };
}

/** Says, once at cold start, which settings were wrong and what triage does without them. */
function reportDegraded(config: TriageFunctionConfig, logger: Logger, metrics: MetricsSink): void {
  for (const problem of config.triage.degraded) {
    logger.warn('a setting is wrong and falls back to its default', { error: problem });
    metrics.count('ConfigDegraded');
  }
  const features = [
    ['enrichment', config.enrich],
    ['principal context', config.context],
  ] as const;
  for (const [feature, section] of features) {
    if (!isMisconfigured(section)) continue;
    logger.warn(`${feature} is misconfigured and turned off; alerts go out without it`, {
      feature,
      error: section.misconfigured,
    });
    metrics.count('ConfigDegraded');
  }
}

/** `LOCAL_ADAPTERS` (serverless invoke local --stage local): the replay's adapters, no AWS call at all. */
function localAdapters(): Adapters {
  const notifier = lazyNotifier(async () =>
    (await import('../notify')).createStdoutNotifier({ stream: process.stdout, format: 'json' }),
  );
  return { store: new MemoryStateStore(), notifier };
}

/** A notifier built on first use. */
function lazyNotifier(load: () => Promise<Notifier>): Notifier {
  const notifier = lazy(load);
  return { send: async (message) => (await notifier()).send(message) };
}

/** The engine, built once per container (cold start): clients, policy and caches live as long as it does. */
export function createAwsTriage(deps: AwsTriageDeps): Triage {
  const { logger, metrics } = deps;
  const config = deps.config.triage;
  const clock = deps.clock ?? systemClock;
  reportDegraded(deps.config, logger, metrics);
  const base = defaultPolicy({ aggregationWindowMs: config.aggregationWindowMs });
  const policy =
    config.rulesJson === undefined
      ? base
      : applyRules(base, parseRulesJson(config.rulesJson, 'RULES_JSON'), 'RULES_JSON');
  const self = createSelfMatcher(config.selfPrincipals);
  const adapters = config.localAdapters ? localAdapters() : awsAdapters(deps, clock);
  const store = adapters.store;
  const notifier = adapters.notifier;
  const enricher = deps.enricher ?? adapters.enricher;
  const context = deps.context ?? adapters.context;
  const activity = deps.activity ?? adapters.activity;
  const playbooksBucket = config.playbooksBucket;
  // Alert texts in another language: our translated steps and questions, and the descriptions of the synced
  // playbooks in S3 when there is a bucket; read once per container.
  const alertLocale = config.alertLocale;
  const localizedText =
    alertLocale === 'en'
      ? undefined
      : async () => {
          const { loadLocalizedText } = await import('../playbook/localized-table');
          if (playbooksBucket === undefined) return loadLocalizedText(undefined, alertLocale);
          const [{ S3Client }, { s3PlaybookSource }] = await Promise.all([
            import('@aws-sdk/client-s3'),
            import('../playbook/localize'),
          ]);
          return loadLocalizedText(s3PlaybookSource(new S3Client({}), playbooksBucket), alertLocale);
        };
  return createTriage({
    policy,
    self,
    store,
    notifier,
    clock,
    logger,
    metrics,
    enricher,
    context,
    activity,
    pagesPerHour: config.pagesPerHour,
    updateIntervalMs: config.updateIntervalMs,
    mode: 'immediate',
    reserveMs: config.deadlineReserveMs,
    localizedText,
  });
}

/**
 * The payload of the triage function's schedule (serverless.yml): sweep the incidents that owe a closing or
 * held-back update. Anything else the function receives is an SQS batch.
 */
export const SWEEP_REQUEST = { action: 'sweep-incidents' } as const;

export function isSweepRequest(event: unknown): event is typeof SWEEP_REQUEST {
  return typeof event === 'object' && event !== null && (event as { action?: unknown }).action === SWEEP_REQUEST.action;
}

/** Every record of a batch failed (a dependency is down): the invocation fails, so Lambda's SQS poller backs off. */
export class BatchFailedError extends QTriageError {
  override readonly name = 'BatchFailedError';
}

/** The SQS partial batch response: only transient failures go back to the queue; all of them, and the invocation throws. */
export function batchResponse(outcomes: readonly InputOutcome[]): { batchItemFailures: { itemIdentifier: string }[] } {
  const failed = outcomes.filter(
    (outcome): outcome is Extract<InputOutcome, { status: 'failed' }> => outcome.status === 'failed',
  );
  if (failed.length > 0 && failed.length === outcomes.length) {
    throw new BatchFailedError(`all ${failed.length} records failed, first: ${failed[0]?.reason ?? ''}`);
  }
  return { batchItemFailures: failed.map((outcome) => ({ itemIdentifier: outcome.id })) };
}
