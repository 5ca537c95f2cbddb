import type { Principal } from '../events';

/**
 * The backend's own principals (its function roles, the Q Business identity role).
 * Globs: `*` matches any run of characters; everything else is literal.
 */
export interface SelfMatcher {
  matches(principal: Principal): boolean;
  readonly patterns: readonly string[];
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

export function createSelfMatcher(patterns: readonly string[]): SelfMatcher {
  const cleaned = patterns.map((pattern) => pattern.trim()).filter((pattern) => pattern.length > 0);
  const expressions = cleaned.map(globToRegExp);
  const matchesArn = (arn: string | undefined): boolean =>
    arn !== undefined && expressions.some((expression) => expression.test(arn));
  return {
    patterns: cleaned,
    matches: (principal) => matchesArn(principal.arn) || matchesArn(principal.sessionIssuerArn),
  };
}

/** `SELF_PRINCIPALS` and `--self-principal` share this parser: comma-separated globs. */
export function parseSelfPrincipals(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
