/**
 * The subset of the EventBridge pattern language that the stack's rules (serverless/rules.yml) use: exact values,
 * `prefix`, `anything-but` (value or list), `exists`, nested objects and `$or`. Semantics follow
 * the EventBridge user guide ("Content filtering in event patterns"): a leaf matches when any
 * event value (arrays are flattened) matches any pattern value; an absent field matches only
 * `{ "exists": false }`; `anything-but` never matches an absent field.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class UnsupportedPatternError extends Error {
  constructor(what: string) {
    super(`event pattern feature not supported by the test matcher: ${what}`);
    this.name = 'UnsupportedPatternError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function leafValues(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(leafValues) : [value];
}

function matchesRule(rule: unknown, present: boolean, value: unknown): boolean {
  if (!isObject(rule)) {
    return present && leafValues(value).some((candidate) => candidate === rule);
  }
  const [operator, operand, ...extra] = Object.entries(rule).flat();
  if (extra.length > 0) throw new UnsupportedPatternError(JSON.stringify(rule));
  switch (operator) {
    case 'exists':
      return operand === present;
    case 'prefix':
      return (
        present &&
        leafValues(value).some(
          (candidate) => typeof candidate === 'string' && typeof operand === 'string' && candidate.startsWith(operand),
        )
      );
    case 'anything-but': {
      if (!present) return false;
      const excluded = Array.isArray(operand) ? operand : [operand];
      if (excluded.some(isObject)) throw new UnsupportedPatternError(`anything-but ${JSON.stringify(operand)}`);
      return leafValues(value).some((candidate) => !excluded.includes(candidate as Json));
    }
    default:
      throw new UnsupportedPatternError(String(operator));
  }
}

/** True when `event` matches `pattern` (both plain JSON). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new UnsupportedPatternError('pattern must be an object');
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      if (!Array.isArray(expected)) throw new UnsupportedPatternError('$or must be a list');
      return expected.some((branch) => matchesPattern(branch, event));
    }
    const present = isObject(event) && Object.prototype.hasOwnProperty.call(event, key) && event[key] !== undefined;
    const value = present && isObject(event) ? event[key] : undefined;
    if (Array.isArray(expected)) return expected.some((rule) => matchesRule(rule, present, value));
    if (isObject(expected)) return matchesPattern(expected, present ? value : {});
    throw new UnsupportedPatternError(`${key}: ${JSON.stringify(expected)}`);
  });
}
