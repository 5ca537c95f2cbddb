/**
 * The enrichment section of the environment (names in docs/CONTRACTS.md), parsed once at cold start.
 * Every problem is an EnrichConfigError naming the variable, so a bad deployment fails loudly instead of
 * sending alerts with silently empty answers.
 */
import type { AttributeFilter } from '@aws-sdk/client-qbusiness';
import * as z from 'zod/mini';
import { ALERT_LOCALES, parseSection, type AlertLocale } from '../config-core';
import { EnrichConfigError } from './errors';

export { ALERT_LOCALES } from '../config-core';
export type { AlertLocale } from '../config-core';

/**
 * `playbooks`: the local source over the S3 mirror resync keeps; no Q Business, no model.
 * `bedrock-kb`: an Amazon Bedrock knowledge base (RetrieveAndGenerate with BEDROCK_MODEL_ARN, else Retrieve).
 */
export const ENRICH_SOURCES = ['qbusiness', 'playbooks', 'bedrock-kb', 'none'] as const;
export type EnrichSource = (typeof ENRICH_SOURCES)[number];
export const AUTH_MODES = ['anonymous', 'identity-center'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
/** PLUGIN_MODE needs a plugin id per call and is not a playbook lookup: not offered. */
export const CHAT_MODES = ['RETRIEVAL_MODE', 'CREATOR_MODE'] as const;
export type ChatMode = (typeof CHAT_MODES)[number];

const text = z.optional(z.string());

/** The raw section: every value optional here; the rules between them are checked in parseEnrichConfig. */
export const enrichEnvSchema = z.object({
  ENRICH_SOURCE: text,
  QBUSINESS_APPLICATION_ID: text,
  QBUSINESS_REGION: text,
  AWS_REGION: text,
  QBUSINESS_AUTH_MODE: text,
  QBUSINESS_CHAT_MODE: text,
  QBUSINESS_ATTRIBUTE_FILTER: text,
  IDC_APPLICATION_ARN: text,
  QBUSINESS_IDENTITY_ROLE_ARN: text,
  IDP_TOKEN_URL: text,
  IDP_CLIENT_ID: text,
  IDP_CLIENT_SECRET_ARN: text,
  ENRICH_BUDGET_MS: text,
  ANSWER_TTL_HOURS: text,
  ALERT_LOCALE: text,
  AWS_PLAYBOOKS_BUCKET: text,
  CUSTOM_PLAYBOOKS_BUCKET: text,
  BEDROCK_KNOWLEDGE_BASE_ID: text,
  BEDROCK_MODEL_ARN: text,
  BEDROCK_REGION: text,
});

export interface IdentityCenterAuth {
  readonly mode: 'identity-center';
  /** The customer-managed IAM Identity Center application (trusted token issuer) used as `clientId`. */
  readonly idcApplicationArn: string;
  /** Role assumed with the identity context; its ARN is what CloudTrail shows for ChatSync. */
  readonly identityRoleArn: string;
  readonly idpTokenUrl: string;
  readonly idpClientId: string;
  readonly idpClientSecretArn: string;
}

export type QBusinessAuth = { readonly mode: 'anonymous' } | IdentityCenterAuth;

export interface QBusinessSettings {
  readonly applicationId: string;
  readonly region: string;
  readonly chatMode: ChatMode;
  readonly attributeFilter?: AttributeFilter;
  readonly auth: QBusinessAuth;
}

/** The S3 mirror the `playbooks` source reads: at least one of the two buckets. */
export interface PlaybookBuckets {
  /** Resync's mirror of the AWS playbooks (`docs/**.md`). */
  readonly awsBucket?: string;
  readonly customBucket?: string;
}

export interface BedrockKbSettings {
  readonly knowledgeBaseId: string;
  /** Present: RetrieveAndGenerate with this model; absent: Retrieve alone (passages, no generation). */
  readonly modelArn?: string;
  readonly region: string;
}

export interface EnrichConfig {
  readonly source: EnrichSource;
  /** Present when `source` is `qbusiness`. */
  readonly qbusiness?: QBusinessSettings;
  /** Present when `source` is `playbooks`. */
  readonly playbooks?: PlaybookBuckets;
  /** Present when `source` is `bedrock-kb`. */
  readonly bedrockKb?: BedrockKbSettings;
  readonly budgetMs: number;
  readonly answerTtlSeconds: number;
  readonly locale: AlertLocale;
}

export const DEFAULT_BUDGET_MS = 3000;
export const DEFAULT_ANSWER_TTL_HOURS = 168;

const ATTRIBUTE_FILTER_KEYS = new Set([
  'andAllFilters',
  'orAllFilters',
  'notFilter',
  'equalsTo',
  'containsAll',
  'containsAny',
  'greaterThan',
  'greaterThanOrEquals',
  'lessThan',
  'lessThanOrEquals',
]);

function oneOf<T extends string>(setting: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const chosen = value === undefined || value.trim() === '' ? fallback : value.trim();
  if (!(allowed as readonly string[]).includes(chosen)) {
    throw new EnrichConfigError(setting, `must be one of ${allowed.join(', ')} (got "${chosen}")`);
  }
  return chosen as T;
}

function positiveInt(setting: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > max) {
    throw new EnrichConfigError(setting, `must be a whole number between 1 and ${max} (got "${value}")`);
  }
  return parsed;
}

/** An empty CloudFormation value arrives as `""`: unset. */
function optionalText(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function required(setting: string, value: string | undefined, why: string): string {
  if (value === undefined || value.trim() === '') throw new EnrichConfigError(setting, `is required ${why}`);
  return value.trim();
}

function validFilterNode(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  if (keys.length === 0 || !keys.every((key) => ATTRIBUTE_FILTER_KEYS.has(key))) return false;
  const record = node as Record<string, unknown>;
  const nested = [
    ...((record.andAllFilters as unknown[] | undefined) ?? []),
    ...((record.orAllFilters as unknown[] | undefined) ?? []),
  ];
  if (record.notFilter !== undefined) nested.push(record.notFilter);
  return nested.every(validFilterNode);
}

/** Parses QBUSINESS_ATTRIBUTE_FILTER: a JSON AttributeFilter (e.g. `{"equalsTo":{"name":"_data_source_id","value":{"stringValue":"…"}}}`). */
export function parseAttributeFilter(raw: string | undefined): AttributeFilter | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new EnrichConfigError('QBUSINESS_ATTRIBUTE_FILTER', 'is not valid JSON', { cause: error });
  }
  if (!validFilterNode(parsed)) {
    throw new EnrichConfigError(
      'QBUSINESS_ATTRIBUTE_FILTER',
      `must be a Q Business AttributeFilter object using only ${[...ATTRIBUTE_FILTER_KEYS].join(', ')}`,
    );
  }
  // Shape checked above; values are passed to the service, which validates them in depth.
  return parsed as AttributeFilter;
}

function parseAuth(env: z.infer<typeof enrichEnvSchema>): QBusinessAuth {
  const mode = oneOf('QBUSINESS_AUTH_MODE', env.QBUSINESS_AUTH_MODE, AUTH_MODES, 'anonymous');
  if (mode === 'anonymous') return { mode };
  const why = 'when QBUSINESS_AUTH_MODE is identity-center';
  return {
    mode,
    idcApplicationArn: required('IDC_APPLICATION_ARN', env.IDC_APPLICATION_ARN, why),
    identityRoleArn: required('QBUSINESS_IDENTITY_ROLE_ARN', env.QBUSINESS_IDENTITY_ROLE_ARN, why),
    idpTokenUrl: validUrl('IDP_TOKEN_URL', required('IDP_TOKEN_URL', env.IDP_TOKEN_URL, why)),
    idpClientId: required('IDP_CLIENT_ID', env.IDP_CLIENT_ID, why),
    idpClientSecretArn: required('IDP_CLIENT_SECRET_ARN', env.IDP_CLIENT_SECRET_ARN, why),
  };
}

function validUrl(setting: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw new EnrichConfigError(setting, 'must be an https URL');
    }
  } catch (error) {
    if (error instanceof EnrichConfigError) throw error;
    throw new EnrichConfigError(setting, `is not a URL (got "${value}")`, { cause: error });
  }
  return value;
}

function parseBedrockKb(env: z.infer<typeof enrichEnvSchema>): BedrockKbSettings {
  const knowledgeBaseId = required(
    'BEDROCK_KNOWLEDGE_BASE_ID',
    env.BEDROCK_KNOWLEDGE_BASE_ID,
    'when ENRICH_SOURCE is bedrock-kb',
  );
  // The API's pattern; an ARN or a name here would only fail later, on every alert.
  if (!/^[0-9a-zA-Z]{10}$/.test(knowledgeBaseId))
    throw new EnrichConfigError(
      'BEDROCK_KNOWLEDGE_BASE_ID',
      `must be a knowledge base id of 10 letters and digits (got "${knowledgeBaseId}")`,
    );
  const modelArn = optionalText(env.BEDROCK_MODEL_ARN);
  // An ARN, not a model id: the IAM statement that lets the function invoke the model names the same ARN.
  if (
    modelArn !== undefined &&
    !/^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{0,12}:(foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model)\/\S+$/.test(
      modelArn,
    )
  ) {
    throw new EnrichConfigError(
      'BEDROCK_MODEL_ARN',
      `must be the ARN of a Bedrock foundation model or inference profile (got "${modelArn}")`,
    );
  }
  const region = optionalText(env.BEDROCK_REGION) ?? optionalText(env.AWS_REGION);
  return {
    knowledgeBaseId,
    ...(modelArn !== undefined ? { modelArn } : {}),
    region: required('BEDROCK_REGION', region, 'when AWS_REGION is not set'),
  };
}

/** Reads the enrichment section from `env` (process.env in Lambda). Throws EnrichConfigError. */
export function parseEnrichConfig(env: Readonly<Record<string, string | undefined>>): EnrichConfig {
  // Only a non-string value fails here (a ConfigError); every rule on the values below throws EnrichConfigError.
  const raw = parseSection('enrich', enrichEnvSchema, env);
  const source = oneOf('ENRICH_SOURCE', raw.ENRICH_SOURCE, ENRICH_SOURCES, 'qbusiness');
  const common = {
    budgetMs: positiveInt('ENRICH_BUDGET_MS', raw.ENRICH_BUDGET_MS, DEFAULT_BUDGET_MS, 60_000),
    answerTtlSeconds: positiveInt('ANSWER_TTL_HOURS', raw.ANSWER_TTL_HOURS, DEFAULT_ANSWER_TTL_HOURS, 24 * 366) * 3600,
    locale: oneOf('ALERT_LOCALE', raw.ALERT_LOCALE, ALERT_LOCALES, 'en'),
  };
  if (source === 'none') return { source, ...common };
  if (source === 'playbooks') {
    const awsBucket = optionalText(raw.AWS_PLAYBOOKS_BUCKET);
    const customBucket = optionalText(raw.CUSTOM_PLAYBOOKS_BUCKET);
    if (awsBucket === undefined && customBucket === undefined) {
      throw new EnrichConfigError(
        'AWS_PLAYBOOKS_BUCKET',
        'or CUSTOM_PLAYBOOKS_BUCKET is required when ENRICH_SOURCE is playbooks (the mirror resync keeps)',
      );
    }
    return {
      source,
      ...common,
      playbooks: {
        ...(awsBucket !== undefined ? { awsBucket } : {}),
        ...(customBucket !== undefined ? { customBucket } : {}),
      },
    };
  }
  if (source === 'bedrock-kb') return { source, ...common, bedrockKb: parseBedrockKb(raw) };
  const applicationId = required(
    'QBUSINESS_APPLICATION_ID',
    raw.QBUSINESS_APPLICATION_ID,
    'when ENRICH_SOURCE is qbusiness (set ENRICH_SOURCE=none to turn enrichment off)',
  );
  const region = raw.QBUSINESS_REGION ?? raw.AWS_REGION;
  return {
    source,
    ...common,
    qbusiness: {
      applicationId,
      region: required('QBUSINESS_REGION', region, 'when AWS_REGION is not set'),
      chatMode: oneOf('QBUSINESS_CHAT_MODE', raw.QBUSINESS_CHAT_MODE, CHAT_MODES, 'RETRIEVAL_MODE'),
      attributeFilter: parseAttributeFilter(raw.QBUSINESS_ATTRIBUTE_FILTER),
      auth: parseAuth(raw),
    },
  };
}
