/**
 * The subset of IAM policy evaluation that the template's resource and key policies use, to prove who
 * is denied and who is not. Semantics follow the IAM user guide ("Policy evaluation logic", "IAM JSON
 * policy elements: Condition operators", "Single-valued vs. multivalued context keys"):
 * - an explicit Deny in any matching statement wins; otherwise a matching Allow allows; otherwise the
 *   policy decides nothing (an identity policy of the same account may still allow);
 * - within a Condition, every operator and every key must hold; the listed values of a key are ORed;
 * - a missing key makes a positive operator false and a negated one (`…Not…`) true; `ForAllValues:`
 *   holds on a missing key, `ForAnyValue:` does not; `…IfExists` holds on a missing key; `Null` tests presence.
 * Unknown operators, principals or policy elements throw: the evaluator never guesses.
 */

export type ContextValue = string | boolean | readonly string[];

/** Who calls: an IAM role or user (its ARN, as aws:PrincipalArn has it) or an AWS service principal. */
export type Caller = { readonly arn: string } | { readonly service: string };

export interface Request {
  readonly caller: Caller;
  readonly action: string;
  /** The resource as the template resolves it (an ARN or a `<Name.Attr>` placeholder). */
  readonly resource: string;
  /** Request context keys other than aws:PrincipalArn (derived from the caller). */
  readonly context?: Readonly<Record<string, ContextValue>>;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type Decision = 'deny' | 'allow' | 'no-decision';

export class UnsupportedPolicyError extends Error {
  constructor(what: string) {
    super(`policy feature not supported by the test evaluator: ${what}`);
    this.name = 'UnsupportedPolicyError';
  }
}

const list = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

/** IAM wildcard match: `*` any run of characters, `?` one character; case-sensitive unless told. */
function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** ArnEquals and ArnLike behave alike: both take `*` and `?` (IAM user guide, "Amazon Resource Name (ARN) condition operators"). */
const arnMatches = (pattern: string, value: string): boolean => globMatches(pattern, value);

type Matcher = (listed: string, value: string) => boolean;

const MATCHERS: Record<string, { match: Matcher; negated: boolean }> = {
  StringEquals: { match: (listed, value) => listed === value, negated: false },
  StringNotEquals: { match: (listed, value) => listed === value, negated: true },
  StringEqualsIgnoreCase: { match: (listed, value) => listed.toLowerCase() === value.toLowerCase(), negated: false },
  StringLike: { match: (listed, value) => globMatches(listed, value), negated: false },
  StringNotLike: { match: (listed, value) => globMatches(listed, value), negated: true },
  ArnEquals: { match: arnMatches, negated: false },
  ArnNotEquals: { match: arnMatches, negated: true },
  ArnLike: { match: arnMatches, negated: false },
  ArnNotLike: { match: arnMatches, negated: true },
  Bool: { match: (listed, value) => listed.toLowerCase() === value.toLowerCase(), negated: false },
};

function contextOf(request: Request): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = { ...(request.context ?? {}) };
  if ('arn' in request.caller) {
    context['aws:PrincipalArn'] = request.caller.arn;
    context['aws:PrincipalIsAWSService'] = 'false';
  } else {
    context['aws:PrincipalIsAWSService'] = 'true';
    context['aws:PrincipalServiceName'] = request.caller.service;
  }
  return context;
}

function operatorHolds(operator: string, listedValues: readonly string[], value: ContextValue | undefined): boolean {
  if (operator === 'Null') {
    // "true": the key must be absent; "false": present.
    return listedValues.some((listed) => (listed === 'true') === (value === undefined));
  }
  const [qualifier, rest] = operator.includes(':')
    ? (operator.split(':', 2) as [string, string])
    : [undefined, operator];
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const matcher = MATCHERS[base];
  if (matcher === undefined) throw new UnsupportedPolicyError(`condition operator ${operator}`);
  const holdsFor = (single: string): boolean => {
    const matched = listedValues.some((listed) => matcher.match(listed, single));
    return matcher.negated ? !matched : matched;
  };
  if (qualifier === 'ForAllValues')
    return value === undefined || list(value as string | readonly string[]).every((item) => holdsFor(String(item)));
  if (qualifier === 'ForAnyValue')
    return value !== undefined && list(value as string | readonly string[]).some((item) => holdsFor(String(item)));
  if (qualifier !== undefined) throw new UnsupportedPolicyError(`condition qualifier ${qualifier}`);
  if (value === undefined) return ifExists || matcher.negated;
  if (Array.isArray(value))
    throw new UnsupportedPolicyError(`multivalued key with ${operator} (use ForAnyValue/ForAllValues)`);
  return holdsFor(String(value));
}

export function conditionHolds(
  condition: Statement['Condition'],
  context: Readonly<Record<string, ContextValue>>,
): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, listed]) =>
      operatorHolds(operator, list(listed as string | readonly string[]).map(String), context[key]),
    ),
  );
}

function principalMatches(principal: unknown, caller: Caller): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null)
    throw new UnsupportedPolicyError(`principal ${JSON.stringify(principal)}`);
  const { AWS, Service, ...other } = principal as { AWS?: unknown; Service?: unknown };
  if (Object.keys(other).length > 0) throw new UnsupportedPolicyError(`principal ${JSON.stringify(principal)}`);
  const awsPrincipals = list(AWS as string | readonly string[] | undefined).map(String);
  const services = list(Service as string | readonly string[] | undefined).map(String);
  if ('service' in caller) return awsPrincipals.includes('*') || services.includes(caller.service);
  return awsPrincipals.some((listed) => {
    if (listed === '*') return true;
    // An account root principal delegates to the account's IAM policies: it names every principal of that account.
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(listed);
    if (root) return caller.arn.split(':')[4] === root[1];
    return listed === caller.arn;
  });
}

function statementApplies(
  statement: Statement,
  request: Request,
  context: Readonly<Record<string, ContextValue>>,
): boolean {
  const known = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
  const unknown = Object.keys(statement).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new UnsupportedPolicyError(`statement element ${unknown.join(', ')}`);
  return (
    principalMatches(statement.Principal, request.caller) &&
    list(statement.Action).some((action) => globMatches(action, request.action, true)) &&
    list(statement.Resource).some((resource) => globMatches(resource, request.resource)) &&
    conditionHolds(statement.Condition, context)
  );
}

/** The policy's own decision on a request. */
export function evaluate(statements: readonly Statement[], request: Request): Decision {
  const context = contextOf(request);
  const applying = statements.filter((statement) => statementApplies(statement, request, context));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'deny';
  return applying.some((statement) => statement.Effect === 'Allow') ? 'allow' : 'no-decision';
}
