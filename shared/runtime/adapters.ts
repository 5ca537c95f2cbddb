/**
 * Enrichment and principal context for the Lambda, built from their configuration sections. The Q Business
 * and CloudTrail clients are required lazily: a function without enrichment or context never evaluates them.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { ActivitySink, ContextProvider, Enricher } from '../triage';
// Module paths, not the folders' index files: an index would pull every SDK client of its area into the bundle.
import { loadContextConfig } from '../context/config';
import { DynamoActivityLog } from '../context/dynamo-activity';
import { DynamoAnswerCache, MemoryAnswerCache, TieredAnswerCache } from '../enrich/cache';
import { parseEnrichConfig } from '../enrich/config';
import { createEnricher } from '../enrich/enricher';
import { createPlaybookVersionReader } from '../enrich/playbook-version';

export interface AdapterDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading of rarely used SDK clients */

export function createAwsEnricher(deps: AdapterDeps): Enricher {
  const config = parseEnrichConfig(deps.env);
  const { clock, logger, documents, tableName } = deps;
  const cache = new TieredAnswerCache(
    new MemoryAnswerCache(clock, config.answerTtlSeconds),
    new DynamoAnswerCache({ doc: documents, tableName, clock, ttlSeconds: config.answerTtlSeconds }),
  );
  let source;
  if (config.source === 'qbusiness' && config.qbusiness !== undefined) {
    const { createQBusinessSourceFromConfig } = require('../enrich/setup') as typeof import('../enrich/setup');
    const identityCenter = config.qbusiness.auth.mode === 'identity-center';
    source = createQBusinessSourceFromConfig(config.qbusiness, {
      clock,
      ...(identityCenter
        ? {
            secrets: new (require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}),
            oidc: new (require('@aws-sdk/client-sso-oidc') as typeof import('@aws-sdk/client-sso-oidc')).SSOOIDCClient({ region: config.qbusiness.region }),
            sts: new (require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts')).STSClient({}),
          }
        : {}),
    });
  }
  const enricher = createEnricher({
    source,
    cache,
    playbookVersion: createPlaybookVersionReader({ doc: documents, tableName, clock }),
    clock,
    logger,
    budgetMs: config.budgetMs,
    locale: config.locale,
  });
  return {
    async enrich(alert) {
      const enrichment = await enricher.enrich(alert);
      if (enrichment.status === 'circuit-open') deps.metrics.count('EnrichmentCircuitOpen');
      return enrichment;
    },
  };
}

export function createAwsContext(deps: AdapterDeps): { context?: ContextProvider; activity: ActivitySink } {
  const config = loadContextConfig(deps.env);
  const { clock, logger, documents: client, tableName } = deps;
  const activityLog = new DynamoActivityLog({ client, tableName, logger, clock });
  if (!config.enabled) return { activity: activityLog };
  const { createLookupClient } = require('../context/client') as typeof import('../context/client');
  const { createContextProvider, wantsContext } = require('../context/provider') as typeof import('../context/provider');
  const { DynamoLookupCache } = require('../context/cache') as typeof import('../context/cache');
  const { DynamoRateLimiter } = require('../context/rate-limiter') as typeof import('../context/rate-limiter');
  const provider = createContextProvider({
    cloudTrail: createLookupClient({}),
    activityLog,
    cache: new DynamoLookupCache({ client, tableName, clock, logger }),
    rateLimiter: new DynamoRateLimiter({ client, tableName, clock }),
    clock,
    logger,
    windowHours: config.windowHours,
    callsPerAlert: config.callsPerAlert,
  });
  return {
    activity: activityLog,
    context: {
      // The pipeline asks for MEDIUM and above; the provider's own rule is the one that counts.
      describe: (alert) => (wantsContext(alert) ? provider.describe(alert) : Promise.resolve({ windowHours: config.windowHours, complete: true, answers: [], sourceIps: [], userAgents: [] })),
    },
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */
