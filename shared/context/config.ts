/** The context section of the environment (docs/CONTRACTS.md), parsed once with zod/mini. */
import * as z from 'zod/mini';
import { ConfigError, parseSection } from '../config-core';

export const contextEnvSchema = z.object({
  CONTEXT_ENABLED: z._default(z.stringbool(), true),
  CONTEXT_WINDOW_HOURS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(2160)), 24),
  LOOKUP_CALLS_PER_ALERT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(20)), 2),
});

export interface ContextConfig {
  readonly enabled: boolean;
  readonly windowHours: number;
  readonly callsPerAlert: number;
}

export class ContextConfigError extends ConfigError {
  override readonly name = 'ContextConfigError';
}

export function loadContextConfig(env: NodeJS.ProcessEnv): ContextConfig {
  const parsed = parseSection('context', contextEnvSchema, env, ContextConfigError);
  return {
    enabled: parsed.CONTEXT_ENABLED,
    windowHours: parsed.CONTEXT_WINDOW_HOURS,
    callsPerAlert: parsed.LOOKUP_CALLS_PER_ALERT,
  };
}
