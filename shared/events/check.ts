/**
 * A yes/no validator compiled from a zod schema, for the hot path: replay validates 100k-event logs,
 * and zod/mini spends several microseconds per record building a projection we do not need (the
 * pipeline reads the original record). The zod schema stays the one definition: this compiler
 * understands only the schema kinds used in ./schema.ts and throws at load on anything else, and
 * callers ask zod itself whenever the answer is "no" (for the reason, and as the final word).
 */
import type * as z from 'zod/mini';

type Check = (value: unknown) => boolean;

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodMiniType;
  readonly element?: z.ZodMiniType;
  readonly shape?: Readonly<Record<string, z.ZodMiniType>>;
  readonly catchall?: unknown;
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly check: string; readonly minimum?: number; readonly maximum?: number } } }[];
}

export class UnsupportedSchemaError extends Error {
  override readonly name = 'UnsupportedSchemaError';
}

const defOf = (schema: z.ZodMiniType): SchemaDef => schema._zod.def as unknown as SchemaDef;

function inner(def: SchemaDef, field: 'innerType' | 'element'): z.ZodMiniType {
  const schema = def[field];
  if (schema === undefined) throw new UnsupportedSchemaError(`${def.type} schema without ${field}`);
  return schema;
}

/** String length checks, the only checks ./schema.ts uses. */
function stringCheck(def: SchemaDef): Check {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of def.checks ?? []) {
    // zod runs length checks only on values with a length (its default `when`): every string has one.
    const { check: kind, minimum, maximum } = check._zod.def;
    if (kind === 'min_length' && minimum !== undefined) min = Math.max(min, minimum);
    else if (kind === 'max_length' && maximum !== undefined) max = Math.min(max, maximum);
    else throw new UnsupportedSchemaError(`string check ${kind} is not compiled`);
  }
  return (value) => typeof value === 'string' && value.length >= min && value.length <= max;
}

function objectCheck(def: SchemaDef): Check {
  if (def.catchall !== undefined) throw new UnsupportedSchemaError('object catchall is not compiled');
  const fields = Object.entries(def.shape ?? {}).map(([key, schema]) => [key, compileCheck(schema)] as const);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const [key, check] of fields) if (!check(record[key])) return false;
    return true;
  };
}

const COMPILERS: Readonly<Record<string, (def: SchemaDef) => Check>> = {
  string: (def) => stringCheck(def),
  boolean: () => (value) => typeof value === 'boolean',
  unknown: () => () => true,
  optional: (def) => {
    const check = compileCheck(inner(def, 'innerType'));
    return (value) => value === undefined || check(value);
  },
  nullable: (def) => {
    const check = compileCheck(inner(def, 'innerType'));
    return (value) => value === null || check(value);
  },
  array: (def) => {
    const check = compileCheck(inner(def, 'element'));
    return (value) => Array.isArray(value) && value.every((element) => check(element));
  },
  object: objectCheck,
};

/** `true` only where `schema.safeParse(value).success` is true; throws on schema kinds it does not know. */
export function compileCheck(schema: z.ZodMiniType): Check {
  const def = defOf(schema);
  const compiler = COMPILERS[def.type];
  if (compiler === undefined) throw new UnsupportedSchemaError(`${def.type} schemas are not compiled`);
  if (def.type !== 'string' && (def.checks?.length ?? 0) > 0) throw new UnsupportedSchemaError(`checks on ${def.type} are not compiled`);
  return compiler(def);
}
