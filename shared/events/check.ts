/**
 * A yes/no validator compiled from a zod schema, for the hot path: replay validates 100k-event logs,
 * and zod/mini spends microseconds per record building a projection we do not need (the pipeline reads
 * the original record). The zod schema stays the one definition: this compiler understands only the
 * schema kinds used in ./schema.ts and throws at load on anything else, and callers ask zod itself
 * whenever the answer is "no" (for the reason, and as the final word).
 *
 * The check is generated as one function (as zod's own JIT does): each field read is then a named
 * property access V8 can cache, where a loop over keys would pay a generic lookup per field. Only
 * numbers and JSON-quoted key names from our own schema go into the generated source.
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

function inner(def: SchemaDef, field: 'innerType' | 'element'): z.ZodMiniType {
  const schema = def[field];
  if (schema === undefined) throw new UnsupportedSchemaError(`${def.type} schema without ${field}`);
  return schema;
}

/** Fresh variable names for the generated source: v1, v2… */
interface VariableNames {
  variable(): string;
}

/** String length checks, the only checks ./schema.ts uses. */
function stringStatements(def: SchemaDef, value: string): string[] {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of def.checks ?? []) {
    // zod runs length checks only on values with a length (its default `when`): every string has one.
    const { check: kind, minimum, maximum } = check._zod.def;
    if (kind === 'min_length' && Number.isInteger(minimum)) min = Math.max(min, minimum as number);
    else if (kind === 'max_length' && Number.isInteger(maximum)) max = Math.min(max, maximum as number);
    else throw new UnsupportedSchemaError(`string check ${kind} is not compiled`);
  }
  const bounds = [min > 0 ? ` || ${value}.length < ${min}` : '', Number.isFinite(max) ? ` || ${value}.length > ${max}` : ''].join('');
  return [`if (typeof ${value} !== 'string'${bounds}) return false;`];
}

const STATEMENTS: Readonly<Record<string, (def: SchemaDef, value: string, names: VariableNames) => string[]>> = {
  string: (def, value) => stringStatements(def, value),
  boolean: (_def, value) => [`if (typeof ${value} !== 'boolean') return false;`],
  unknown: () => [],
  optional: (def, value, names) => [`if (${value} !== undefined) {`, ...statements(inner(def, 'innerType'), value, names), '}'],
  nullable: (def, value, names) => [`if (${value} !== null) {`, ...statements(inner(def, 'innerType'), value, names), '}'],
  array: (def, value, names) => {
    const element = names.variable();
    return [`if (!Array.isArray(${value})) return false;`, `for (const ${element} of ${value}) {`, ...statements(inner(def, 'element'), element, names), '}'];
  },
  // Each option is a closure of its own, so its `return false` only rules that option out.
  union: (def, value, names) => {
    const matched = names.variable();
    const lines = [`let ${matched} = false;`];
    for (const option of def.options ?? []) {
      lines.push(`if (!${matched}) ${matched} = (() => {`, ...statements(option, value, names), 'return true;', '})();');
    }
    return [...lines, `if (!${matched}) return false;`];
  },
  object: (def, value, names) => {
    if (def.catchall !== undefined) throw new UnsupportedSchemaError('object catchall is not compiled');
    const lines = [`if (typeof ${value} !== 'object' || ${value} === null || Array.isArray(${value})) return false;`];
    for (const [key, schema] of Object.entries(def.shape ?? {})) {
      const field = names.variable();
      lines.push(`const ${field} = ${value}[${JSON.stringify(key)}];`, ...statements(schema, field, names));
    }
    return lines;
  },
};

/** Statements that `return false` when the value in variable `value` does not fit `schema`. */
function statements(schema: z.ZodMiniType, value: string, names: VariableNames): string[] {
  const def = defOf(schema);
  const generate = STATEMENTS[def.type];
  if (generate === undefined) throw new UnsupportedSchemaError(`${def.type} schemas are not compiled`);
  if (def.type !== 'string' && (def.checks?.length ?? 0) > 0) throw new UnsupportedSchemaError(`checks on ${def.type} are not compiled`);
  return generate(def, value, names);
}

/** `true` only where `schema.safeParse(value).success` is true; throws on schema kinds it does not know. */
export function compileCheck(schema: z.ZodMiniType): Check {
  let count = 0;
  const names: VariableNames = { variable: () => `v${++count}` };
  const body = [...statements(schema, 'v0', names), 'return true;'].join('\n');
  // Generated from our schema only: see the header.
  return new Function('v0', body) as Check;
}
