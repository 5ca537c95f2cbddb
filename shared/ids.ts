import { createHash } from 'node:crypto';

/** The one id function: short, stable, derived from the parts (so a retried batch yields the same ids). */
export function stableId(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}
