/**
 * Reads the event names of the Amazon Q playbook and its translations, resolves each to a canonical
 * operation and reports drift between the playbooks and PLAYBOOK_TABLE.
 *
 * Three lists are read from each file, in document order:
 * - `event-table`: the markdown table whose first column holds backticked names, split into sections
 *   by rows like `| ***Plugins*** | --- |`;
 * - `common`: the bullet list of backticked names just before that table (most common events);
 * - `data-events`: the bullet lists under bold headers naming a resource type (`**…**: AWS::QBusiness::…`).
 */
import { cleanWrittenName, indexOperations, looksLikeOperationName, resolveName, type Resolution } from './names';

export const PLAYBOOK_LANGUAGES = ['en', 'de', 'es', 'fr', 'ja', 'zh'] as const;
export type PlaybookLanguage = (typeof PLAYBOOK_LANGUAGES)[number];

export const LIST_KINDS = ['event-table', 'common', 'data-events'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** Where the Amazon Q playbook and its translations live, relative to the repository root. */
export const AMAZON_Q_PLAYBOOK_FILES: Readonly<Record<PlaybookLanguage, string>> = {
  en: 'docs/Amazon_Q.md',
  de: 'docs/de/de.Amazon_Q.md',
  es: 'docs/es/es.Amazon_Q.md',
  fr: 'docs/fr/fr.Amazon_Q.md',
  ja: 'docs/ja/ja.Amazon_Q.md',
  zh: 'docs/zh/zh.Amazon_Q.md',
};

export interface RawRow {
  readonly written: string;
  /** The description cell of an event-table row, trimmed; absent for bullet lists. */
  readonly description?: string;
}

export interface RawSection {
  readonly title: string;
  readonly rows: readonly RawRow[];
}

/** One file as read, before resolution. */
export interface RawPlaybook {
  readonly file: string;
  readonly language: PlaybookLanguage;
  readonly lists: Readonly<Record<ListKind, readonly RawSection[]>>;
}

export interface ParsedName {
  readonly file: string;
  readonly language: PlaybookLanguage;
  readonly list: ListKind;
  readonly section: string;
  readonly sectionIndex: number;
  readonly rowIndex: number;
  readonly written: string;
  readonly operation: string | null;
  readonly how: Resolution;
  readonly reason?: string;
  readonly description?: string;
}

export interface ParsedPlaybook {
  readonly file: string;
  readonly language: PlaybookLanguage;
  readonly names: readonly ParsedName[];
}

export interface DriftReport {
  /** Names in the English playbook that look like operations but match nothing in the table. */
  readonly missingFromTable: readonly string[];
  /** Table operations that no playbook list mentions. */
  readonly notInPlaybook: readonly string[];
}

export interface PlaybookTableReport {
  readonly playbooks: readonly ParsedPlaybook[];
  readonly drift: DriftReport;
}

const SECTION_CELL = /^\*\*\*(.+?)\s*\*\*\*$/;
const QUOTED_NAME = /^\s*[`“"](.+?)[`”"]\s*$/u;
const BULLET = /^\s*[*-]\s+(.*)$/;
const HEADING = /^\s*#{1,6}\s/;
/** `**Amazon Q Business Index**: AWS::QBusiness::Index`, tolerating translated spacing (`AWS: :`, `AWS ::`). */
const RESOURCE_HEADER = /^\s*\*\*(.+?)\*\*\s*[:：]\s*AWS\s*:\s*:/;

function splitCells(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return body.split('|').map((cell) => cell.trim());
}

function stripRepeatedName(description: string, written: string): string {
  // One row of the English table repeats the name before its description.
  const withoutName = description.startsWith(written) ? description.slice(written.length) : description;
  return withoutName.replace(/\s+/g, ' ').trim();
}

interface SectionBuilder {
  title: string;
  rows: RawRow[];
}

/** Parse one markdown file into its three lists. Pure: no file access. */
export function parsePlaybookMarkdown(markdown: string, file: string, language: PlaybookLanguage): RawPlaybook {
  const eventTable: SectionBuilder[] = [];
  const dataEvents: SectionBuilder[] = [];
  let common: SectionBuilder[] = [];
  let headingIndex = 0;
  let candidateCommon: { heading: number; rows: RawRow[] } | undefined;
  let inTable = false;
  let tableIsEventTable = false;
  let currentBullets: RawRow[] | undefined;
  let currentResource: SectionBuilder | undefined;

  const lines = markdown.split(/\r?\n/);
  for (const line of lines) {
    if (HEADING.test(line)) {
      headingIndex += 1;
      currentResource = undefined;
      currentBullets = undefined;
      inTable = false;
      continue;
    }
    if (line.trim().startsWith('|')) {
      const cells = splitCells(line);
      const first = cells[0] ?? '';
      if (!inTable) {
        inTable = true;
        tableIsEventTable = false;
      }
      const section = SECTION_CELL.exec(first);
      const quoted = QUOTED_NAME.exec(first);
      if (section?.[1] !== undefined) {
        eventTable.push({ title: section[1].trim(), rows: [] });
      } else if (quoted?.[1] !== undefined) {
        if (!tableIsEventTable) {
          tableIsEventTable = true;
          if (candidateCommon !== undefined && candidateCommon.heading === headingIndex && common.length === 0) {
            common = [{ title: '', rows: candidateCommon.rows }];
          }
        }
        if (eventTable.length === 0) eventTable.push({ title: '', rows: [] });
        const written = cleanWrittenName(quoted[1]);
        const description = stripRepeatedName(cells.slice(1).join(' | '), written);
        eventTable[eventTable.length - 1]?.rows.push({ written, description });
      }
      // Anything else is the header row (`| **Event Names** | … |`), a separator or another table's row.
      currentBullets = undefined;
      continue;
    }
    inTable = false;

    const resource = RESOURCE_HEADER.exec(line);
    if (resource?.[1] !== undefined) {
      currentResource = { title: resource[1].trim(), rows: [] };
      dataEvents.push(currentResource);
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet?.[1] !== undefined) {
      const item = bullet[1].trim();
      if (currentResource !== undefined) {
        currentResource.rows.push({ written: cleanWrittenName(item) });
        continue;
      }
      const quoted = QUOTED_NAME.exec(item);
      if (quoted?.[1] !== undefined) {
        if (currentBullets === undefined) {
          currentBullets = [];
          candidateCommon = { heading: headingIndex, rows: currentBullets };
        }
        currentBullets.push({ written: cleanWrittenName(quoted[1]) });
      } else currentBullets = undefined;
      continue;
    }
    if (line.trim() === '') continue;
    currentBullets = undefined;
    currentResource = undefined;
  }
  return { file, language, lists: { 'event-table': eventTable, common, 'data-events': dataEvents } };
}

function sameShape(a: readonly RawSection[] | undefined, b: readonly RawSection[], sectionIndex: number): boolean {
  return a !== undefined && a.length === b.length && a[sectionIndex]?.rows.length === b[sectionIndex]?.rows.length;
}

/**
 * Resolve every name of every file. English resolves against the operations alone; a translation
 * also uses the English original at the same list, section and row when the shapes match.
 */
export function resolvePlaybooks(raws: readonly RawPlaybook[], knownOperations: Iterable<string>): ParsedPlaybook[] {
  const index = indexOperations(knownOperations);
  const resolveFile = (
    raw: RawPlaybook,
    english: ParsedPlaybook | undefined,
    englishRaw: RawPlaybook | undefined,
  ): ParsedPlaybook => {
    const names: ParsedName[] = [];
    for (const list of LIST_KINDS) {
      const sections = raw.lists[list];
      sections.forEach((section, sectionIndex) => {
        const aligned = english !== undefined && sameShape(englishRaw?.lists[list], sections, sectionIndex);
        section.rows.forEach((row, rowIndex) => {
          const original = aligned
            ? english.names.find((n) => n.list === list && n.sectionIndex === sectionIndex && n.rowIndex === rowIndex)
            : undefined;
          const resolution = resolveName(row.written, index, original?.operation);
          const reason =
            resolution.how !== 'unresolved'
              ? undefined
              : original !== undefined
                ? `English original "${original.written}" is unresolved too`
                : english !== undefined && !aligned
                  ? `${resolution.reason ?? 'no match'}; no position match (section differs in length from English)`
                  : resolution.reason;
          names.push({
            file: raw.file,
            language: raw.language,
            list,
            section: section.title,
            sectionIndex,
            rowIndex,
            written: row.written,
            operation: resolution.operation,
            how: resolution.how,
            ...(reason !== undefined ? { reason } : {}),
            ...(row.description !== undefined && row.description !== '' ? { description: row.description } : {}),
          });
        });
      });
    }
    return { file: raw.file, language: raw.language, names };
  };

  const englishRaw = raws.find((raw) => raw.language === 'en');
  const english = englishRaw === undefined ? undefined : resolveFile(englishRaw, undefined, undefined);
  return raws.map((raw) =>
    raw === englishRaw && english !== undefined ? english : resolveFile(raw, english, englishRaw),
  );
}

/** Drift between what the playbooks name and what the table holds. */
export function computeDrift(playbooks: readonly ParsedPlaybook[], tableOperations: Iterable<string>): DriftReport {
  const mentioned = new Set<string>();
  const missing = new Set<string>();
  for (const playbook of playbooks) {
    for (const name of playbook.names) {
      if (name.operation !== null) mentioned.add(name.operation);
      else if (playbook.language === 'en' && looksLikeOperationName(name.written)) missing.add(name.written);
    }
  }
  const notInPlaybook = [...new Set(tableOperations)].filter((operation) => !mentioned.has(operation));
  return { missingFromTable: [...missing].sort(), notInPlaybook: notInPlaybook.sort() };
}

export interface PlaybookSource {
  /** Text of a file relative to the repository root, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
}

/** Read, parse and resolve the Amazon Q playbook and whichever translations exist. */
export async function readPlaybookTable(
  source: PlaybookSource,
  knownOperations: readonly string[],
): Promise<PlaybookTableReport> {
  const raws: RawPlaybook[] = [];
  for (const language of PLAYBOOK_LANGUAGES) {
    const file = AMAZON_Q_PLAYBOOK_FILES[language];
    const text = await source.read(file);
    if (text !== undefined) raws.push(parsePlaybookMarkdown(text, file, language));
  }
  const playbooks = resolvePlaybooks(raws, knownOperations);
  return { playbooks, drift: computeDrift(playbooks, knownOperations) };
}
