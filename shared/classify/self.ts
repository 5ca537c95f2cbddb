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
  return {
    patterns: cleaned,
    matches(principal) {
      const candidates = [principal.arn, principal.sessionIssuerArn].filter((value): value is string => value !== undefined);
      return candidates.some((candidate) => expressions.some((expression) => expression.test(candidate)));
    },
  };
}

/** `SELF_PRINCIPALS` and `--self-principal` share this parser: comma-separated globs. */
export function parseSelfPrincipals(value: string | undefined): string[] {
  return (value ?? '').split(',').map((part) => part.trim()).filter((part) => part.length > 0);
}
