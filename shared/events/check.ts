/**
 * A yes/no validator built from a zod schema, for the hot path: zod/mini's safeParse costs 8–17 µs a record
 * (it builds a projection we do not need: the pipeline reads the original record), a third of a replay's CPU;
 * this check, under a microsecond. Measured with `npm run bench` (docs/replay.md). The zod schema stays the
 * one definition: this reads only the schema kinds ./schema.ts uses and throws at load on any other, and
 * callers ask zod itself whenever the answer is "no" (for the reason, and as the final word).
 */
import type * as z from 'zod/mini';
import { QTriageError } from '../errors';

type Check = (value: unknown) => boolean;

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodMiniType;
  readonly element?: z.ZodMiniType;
  readonly shape?: Readonly<Record<string, z.ZodMiniType>>;
  readonly options?: readonly z.ZodMiniType[];
  readonly catchall?: unknown;
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly check: string; readonly minimum?: number; readonly maximum?: number } } }[];
}

export class UnsupportedSchemaError extends QTriageError {
  override readonly name = 'UnsupportedSchemaError';
}

const defOf = (schema: z.ZodMiniType): SchemaDef => schema._zod.def as unknown as SchemaDef;

function inner(def: SchemaDef, field: 'innerType' | 'element'): Check {
  const schema = def[field];
  if (schema === undefined) throw new UnsupportedSchemaError(`${def.type} schema without ${field}`);
  return compileCheck(schema);
}

/** Strings with the length checks ./schema.ts uses (zod runs them on every string: each has a length). */
function stringCheck(def: SchemaDef): Check {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of def.checks ?? []) {
    const { check: kind, minimum, maximum } = check._zod.def;
    if (kind === 'min_length' && Number.isInteger(minimum)) min = Math.max(min, minimum as number);
    else if (kind === 'max_length' && Number.isInteger(maximum)) max = Math.min(max, maximum as number);
    else throw new UnsupportedSchemaError(`string check ${kind} is not compiled`);
  }
  return (value) => typeof value === 'string' && value.length >= min && value.length <= max;
}

function objectCheck(def: SchemaDef): Check {
  if (def.catchall !== undefined) throw new UnsupportedSchemaError('object catchall is not compiled');
  const fields = Object.entries(def.shape ?? {}).map(([key, schema]) => [key, compileCheck(schema)] as const);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    for (const [key, check] of fields) if (!check((value as Record<string, unknown>)[key])) return false;
    return true;
  };
}

const CHECKS: Readonly<Record<string, (def: SchemaDef) => Check>> = {
  string: stringCheck,
  boolean: () => (value) => typeof value === 'boolean',
  unknown: () => () => true,
  optional: (def) => {
    const check = inner(def, 'innerType');
    return (value) => value === undefined || check(value);
  },
  nullable: (def) => {
    const check = inner(def, 'innerType');
    return (value) => value === null || check(value);
  },
  array: (def) => {
    const check = inner(def, 'element');
    return (value) => {
      if (!Array.isArray(value)) return false;
      // for…of, not every(): a hole is an undefined element to zod, and every() would skip it.
      for (const element of value) if (!check(element)) return false;
      return true;
    };
  },
  union: (def) => {
    const options = (def.options ?? []).map(compileCheck);
    return (value) => options.some((check) => check(value));
  },
  object: objectCheck,
};

/** `true` only where `schema.safeParse(value).success` is true; throws on schema kinds it does not know. */
export function compileCheck(schema: z.ZodMiniType): Check {
  const def = defOf(schema);
  const build = CHECKS[def.type];
  if (build === undefined) throw new UnsupportedSchemaError(`${def.type} schemas are not compiled`);
  if (def.type !== 'string' && (def.checks?.length ?? 0) > 0) throw new UnsupportedSchemaError(`checks on ${def.type} are not compiled`);
  return build(def);
}
