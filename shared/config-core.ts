/**
 * Helpers for the one configuration parser (shared/config.ts): every area declares its section as a
 * zod/mini schema over environment variables; errors name the variable.
 */
import * as z from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
import { QTriageError } from './errors';

/** A configuration section is invalid. Areas subclass it to keep their own name (ContextConfigError, …). */
export class ConfigError extends QTriageError {
  override readonly name: string = 'ConfigError';
}

/** The error class a section throws: ConfigError or one of its subclasses. */
export type ConfigErrorClass = new (message: string, options?: { cause?: unknown }) => ConfigError;

export const ALERT_LOCALES = ['en', 'de', 'es', 'fr', 'ja', 'zh'] as const;
export type AlertLocale = (typeof ALERT_LOCALES)[number];

export const nonEmpty = z.string().check(z.minLength(1));
export const arnOf = (service: string) =>
  z
    .string()
    .check(z.regex(new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]*:\\d{12}:.+$`), `must be an ${service} ARN`));
export const positiveInt = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.positive()), fallback);
/** A comma-separated list; items trimmed, empty items dropped. */
export const csvList = z.pipe(
  z.string(),
  z.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
);
export const booleanFlag = (fallback: boolean) =>
  z.pipe(
    z._default(z.enum(['true', 'false', '1', '0', 'yes', 'no']), fallback ? 'true' : 'false'),
    z.transform((value) => value === 'true' || value === '1' || value === 'yes'),
  );

function explain(issue: $ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'environment');
  const value = env[name];
  if (value === undefined || value === '') return `${name} is required`;
  if (issue.code === 'invalid_format' || issue.code === 'custom')
    return `${name} ${issue.message === 'Invalid input' ? 'is invalid' : issue.message}`;
  if (issue.code === 'invalid_value') return `${name} must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_type')
    return `${name} must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
  if (issue.code === 'too_small')
    return `${name} must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
  return `${name} is invalid`;
}

/**
 * The environment with every empty value removed. A stack parameter left blank reaches Lambda as `VAR=""`,
 * not as an absent variable: an empty value means "not set" (a default applies, a required one is missing).
 */
export function withoutEmptyValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') set[name] = value;
  return set;
}

/** Parses one section; throws `errorClass` (ConfigError by default) naming every bad variable. Empty values are unset. */
export function parseSection<T extends z.ZodMiniType>(
  section: string,
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
  errorClass: ConfigErrorClass = ConfigError,
): z.infer<T> {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => explain(issue, env));
  throw new errorClass(`${section} configuration: ${problems.join('; ')}`, { cause: result.error });
}
