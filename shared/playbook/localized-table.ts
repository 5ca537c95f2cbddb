/**
 * Alert texts in ALERT_LOCALE: for each operation, the section title and description that the synced
 * playbook in that language gives. Only text in the requested language is used; otherwise the table's own
 * English text stands (the English playbook's sentences never replace our descriptions).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localizeRow, type LocalizedRow } from './localize';
import { PLAYBOOK_LANGUAGES, readPlaybookTable, type PlaybookLanguage, type PlaybookSource } from './parser';
import { PLAYBOOK_TABLE } from './table';

export type LocalizedText = (operation: string) => LocalizedRow | undefined;

export const isPlaybookLanguage = (value: string): value is PlaybookLanguage => (PLAYBOOK_LANGUAGES as readonly string[]).includes(value);

/** Reads the playbooks once; an unreadable or missing playbook leaves every text in English. */
export async function loadLocalizedText(source: PlaybookSource, locale: string): Promise<LocalizedText> {
  if (locale === 'en' || !isPlaybookLanguage(locale)) return () => undefined;
  const operations = [...new Set(PLAYBOOK_TABLE.map((row) => row.eventName))];
  const { playbooks } = await readPlaybookTable(source, operations);
  // Every text up front, for the table's operations only: playbook names resolve to those, and an eventName
  // from the input (any string) must not grow a cache in a long-lived container.
  const texts = new Map<string, LocalizedRow>();
  for (const operation of operations) {
    const row = localizeRow(operation, locale, playbooks);
    if (row.language === locale) texts.set(operation, row);
  }
  return (operation) => texts.get(operation);
}

/**
 * A playbook folder on disk (`--playbooks DIR`): the repository root or its `docs` folder, so both
 * `DIR/docs/de/de.Amazon_Q.md` and `DIR/de/de.Amazon_Q.md` are found.
 */
export function directoryPlaybookSource(directory: string): PlaybookSource {
  return {
    async read(path) {
      for (const candidate of [join(directory, path), join(directory, path.replace(/^docs\//, ''))]) {
        try {
          return await readFile(candidate, 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      return undefined;
    },
  };
}
