/**
 * Resolving an event name as a playbook writes it to a canonical API operation.
 * Translations of the Amazon Q playbook lower-case names, misspell them, pluralise them and
 * sometimes translate them outright; see docs/resync.md for the strategy.
 */

export const RESOLUTIONS = ['exact', 'case', 'edit-distance', 'position', 'unresolved'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface NameResolution {
  readonly operation: string | null;
  readonly how: Resolution;
  /** Why the name could not be resolved (only when `how` is `unresolved`). */
  readonly reason?: string;
}

/** Quote characters that wrap names in the playbooks: backticks, straight and typographic quotes. */
const WRAPPING_QUOTES = /^[`"'“”„「『]+|[`"'“”‟」』]+$/gu;

/** The name without wrapping quotes or surrounding whitespace. */
export function cleanWrittenName(raw: string): string {
  return raw.trim().replace(WRAPPING_QUOTES, '').trim();
}

/** True when the text could be an API operation name (ASCII identifier, capital or not). */
export function looksLikeOperationName(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*$/.test(text);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Edits allowed for a name of this length: one in five characters, at least one.
 * `ListRetriever` (13) → 2, `deletereRetriever` (17) → 3; a translated phrase is far beyond.
 */
export function editThreshold(length: number): number {
  return Math.max(1, Math.floor(length / 5));
}

export interface OperationIndex {
  readonly operations: ReadonlySet<string>;
  readonly byLowerCase: ReadonlyMap<string, readonly string[]>;
}

export function indexOperations(operations: Iterable<string>): OperationIndex {
  const set = new Set(operations);
  const byLowerCase = new Map<string, string[]>();
  for (const operation of set) {
    const key = operation.toLowerCase();
    byLowerCase.set(key, [...(byLowerCase.get(key) ?? []), operation]);
  }
  return { operations: set, byLowerCase };
}

interface Candidate {
  readonly operation: string;
  readonly distance: number;
}

/** The closest operation within the threshold, when it is unambiguous. */
function nearestOperation(written: string, index: OperationIndex): { match?: Candidate; reason: string } {
  if (!looksLikeOperationName(written)) return { reason: 'not an operation name (translated or free text)' };
  const lower = written.toLowerCase();
  const ranked = [...index.operations]
    .map((operation) => ({ operation, distance: editDistance(lower, operation.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance || x.operation.localeCompare(y.operation));
  const [best, second] = ranked;
  if (best === undefined) return { reason: 'no known operations to compare with' };
  const limit = editThreshold(Math.max(written.length, best.operation.length));
  if (best.distance > limit)
    return { reason: `no known operation within ${limit} edits (closest: ${best.operation}, ${best.distance})` };
  if (second !== undefined && second.distance === best.distance) {
    return { reason: `ambiguous: ${best.operation} and ${second.operation} are both ${best.distance} edits away` };
  }
  return { match: best, reason: '' };
}

/**
 * Resolve one written name. `positional` is the operation the English original resolved to at the
 * same place (same list, section and row, sections of equal length), when there is one.
 * Exact and case-insensitive matches are trusted; for anything fuzzier the row position wins when
 * the two disagree, because a fuzzy match to a neighbour (`ChatControlsConfiguration` is 3 edits from
 * `GetChatControlsConfiguration`) is likelier than a reordered table.
 */
export function resolveName(written: string, index: OperationIndex, positional?: string | null): NameResolution {
  if (index.operations.has(written)) return { operation: written, how: 'exact' };
  const caseMatches = index.byLowerCase.get(written.toLowerCase()) ?? [];
  if (caseMatches.length === 1 && caseMatches[0] !== undefined) return { operation: caseMatches[0], how: 'case' };
  const nearest = nearestOperation(written, index);
  if (
    nearest.match !== undefined &&
    (positional === undefined || positional === null || positional === nearest.match.operation)
  ) {
    return { operation: nearest.match.operation, how: 'edit-distance' };
  }
  if (positional !== undefined && positional !== null) return { operation: positional, how: 'position' };
  return { operation: null, how: 'unresolved', reason: nearest.reason };
}
