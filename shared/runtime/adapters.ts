/**
 * Enrichment and principal context for the Lambda, built from their configuration sections (parsed at cold
 * start by loadTriageFunctionConfig). The enricher and
 * the Q Business and CloudTrail clients are imported on first use: an invocation without an alert never
 * evaluates them, and a function without enrichment or context never does.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Enrichment } from '../alerts/model';
import type { Clock } from '../clock';
import { isMisconfigured, type Misconfigured } from '../config';
import { lazy } from '../lazy';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { ActivitySink, ContextProvider, Enricher } from '../triage';
// Module paths, not the folders' index files: an index would pull every SDK client of its area into the bundle.
import type { ContextConfig } from '../context/config';
import { DynamoActivityLog } from '../context/dynamo-activity';
import type { BedrockKbSettings, EnrichConfig, PlaybookBuckets, QBusinessSettings } from '../enrich/config';
import type { AnswerSource } from '../enrich/types';

export interface AdapterDeps {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /** Injected by tests to point the playbooks source at a local S3; built on first use otherwise. */
  readonly s3?: S3Client;
}

// Dynamic imports: the ESM bundle puts each in a chunk of its own that is loaded on first use.
async function buildQBusinessSource(settings: QBusinessSettings, clock: Clock): Promise<AnswerSource> {
  const { createQBusinessSourceFromConfig } = await import('../enrich/setup');
  if (settings.auth.mode !== 'identity-center') return createQBusinessSourceFromConfig(settings, { clock });
  const [{ SecretsManagerClient }, { SSOOIDCClient }, { STSClient }] = await Promise.all([
    import('@aws-sdk/client-secrets-manager'),
    import('@aws-sdk/client-sso-oidc'),
    import('@aws-sdk/client-sts'),
  ]);
  return createQBusinessSourceFromConfig(settings, {
    clock,
    secrets: new SecretsManagerClient({}),
    oidc: new SSOOIDCClient({ region: settings.region }),
    sts: new STSClient({}),
  });
}

async function buildPlaybooksSource(
  buckets: PlaybookBuckets,
  config: EnrichConfig,
  version: () => Promise<string>,
  s3?: S3Client,
): Promise<AnswerSource> {
  const [{ S3Client }, { s3PlaybookCorpus }, { createLocalPlaybookSource }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../enrich/s3-playbooks'),
    import('../enrich/local-playbooks'),
  ]);
  const corpus = s3PlaybookCorpus({ s3: s3 ?? new S3Client({}), ...buckets, locale: config.locale });
  return createLocalPlaybookSource({ corpus, version });
}

async function buildBedrockKbSource(settings: BedrockKbSettings): Promise<AnswerSource> {
  const { createBedrockKbClient, createBedrockKbSource } = await import('../enrich/bedrock-kb');
  return createBedrockKbSource({
    client: createBedrockKbClient({ region: settings.region }),
    knowledgeBaseId: settings.knowledgeBaseId,
    ...(settings.modelArn !== undefined ? { modelArn: settings.modelArn } : {}),
  });
}

/** How to build the configured source, and the name it answers under; undefined when enrichment is off. */
function sourceBuilder(
  config: EnrichConfig,
  deps: AdapterDeps,
  version: () => Promise<string>,
): { name: string; build: () => Promise<AnswerSource> } | undefined {
  const { qbusiness, playbooks, bedrockKb } = config;
  if (config.source === 'qbusiness' && qbusiness !== undefined)
    return { name: 'qbusiness', build: () => buildQBusinessSource(qbusiness, deps.clock) };
  if (config.source === 'playbooks' && playbooks !== undefined) {
    return { name: 'local-playbooks', build: () => buildPlaybooksSource(playbooks, config, version, deps.s3) };
  }
  if (config.source === 'bedrock-kb' && bedrockKb !== undefined)
    return { name: 'bedrock-kb', build: () => buildBedrockKbSource(bedrockKb) };
  return undefined;
}

/** The configured source, built on the first question the cache cannot answer. */
function answerSource(
  config: EnrichConfig,
  deps: AdapterDeps,
  version: () => Promise<string>,
): AnswerSource | undefined {
  const builder = sourceBuilder(config, deps, version);
  if (builder === undefined) return undefined;
  const source = lazy(builder.build);
  // A failure to build the client is the enricher's to handle, like any failed ask.
  return { name: builder.name, ask: async (question, options) => (await source()).ask(question, options) };
}

/** An enricher whose answer is known without asking: alerts carry it in their first message, no follow-up waits. */
const turnedOffEnricher = (enrichment: Enrichment): Enricher => ({
  enrich: async () => enrichment,
  turnedOff: enrichment,
});

/**
 * The enricher, its caches and the Q Business client are built with the first alert: most invocations
 * raise none, and their cold start should not compile or construct any of it. A misconfigured section gives
 * every alert the status `error` with the reason, instead of failing the cold start.
 */
export function createAwsEnricher(config: EnrichConfig | Misconfigured, deps: AdapterDeps): Enricher {
  if (isMisconfigured(config)) {
    return turnedOffEnricher({
      status: 'error',
      reason: `enrichment is misconfigured: ${config.misconfigured}`,
      citations: [],
    });
  }
  if (config.source === 'none') {
    return turnedOffEnricher({
      status: 'disabled',
      reason: 'enrichment is turned off (ENRICH_SOURCE=none)',
      citations: [],
    });
  }
  const enricher = lazy(() => buildEnricher(config, deps));
  return {
    async enrich(alert) {
      const enrichment = await (await enricher()).enrich(alert);
      if (enrichment.status === 'circuit-open') deps.metrics.count('EnrichmentCircuitOpen');
      return enrichment;
    },
  };
}

async function buildEnricher(config: EnrichConfig, deps: AdapterDeps): Promise<Enricher> {
  const { clock, logger, documents, tableName } = deps;
  const [
    { DynamoAnswerCache, MemoryAnswerCache, TieredAnswerCache },
    { createEnricher },
    { createPlaybookVersionReader },
  ] = await Promise.all([
    import('../enrich/cache'),
    import('../enrich/enricher'),
    import('../enrich/playbook-version'),
  ]);
  const cache = new TieredAnswerCache(
    new MemoryAnswerCache(clock, config.answerTtlSeconds),
    new DynamoAnswerCache({ doc: documents, tableName, clock, ttlSeconds: config.answerTtlSeconds }),
  );
  // One version reader: it keys the cache and tells the playbooks source when to load the mirror again.
  const playbookVersion = createPlaybookVersionReader({ doc: documents, tableName, clock });
  return createEnricher({
    source: answerSource(config, deps, playbookVersion),
    cache,
    playbookVersion,
    clock,
    logger,
    budgetMs: config.budgetMs,
    locale: config.locale,
  });
}

export function createAwsContext(
  config: ContextConfig | Misconfigured,
  deps: AdapterDeps,
): { context?: ContextProvider; activity: ActivitySink } {
  const { clock, logger, documents: client, tableName } = deps;
  const activityLog = new DynamoActivityLog({ client, tableName, logger, clock });
  if (isMisconfigured(config) || !config.enabled) return { activity: activityLog };
  // Like the Q client: the CloudTrail client and the provider are built for the first alert that needs them.
  const provider = lazy(async (): Promise<ContextProvider> => {
    const [{ createLookupClient }, { createContextProvider }, { DynamoLookupCache }, { DynamoRateLimiter }] =
      await Promise.all([
        import('../context/client'),
        import('../context/provider'),
        import('../context/cache'),
        import('../context/rate-limiter'),
      ]);
    return createContextProvider({
      cloudTrail: createLookupClient({}),
      activityLog,
      cache: new DynamoLookupCache({ client, tableName, clock, logger }),
      rateLimiter: new DynamoRateLimiter({ client, tableName, clock }),
      clock,
      logger,
      windowHours: config.windowHours,
      callsPerAlert: config.callsPerAlert,
    });
  });
  return { activity: activityLog, context: { describe: async (alert) => (await provider()).describe(alert) } };
}
