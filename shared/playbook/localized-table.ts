/**
 * Alert texts in ALERT_LOCALE: our own category titles, response steps and analysis questions from the
 * committed translations (translations.ts), and for each operation the description that the synced playbook
 * in that language gives. Only playbook text in the requested language is used; otherwise the table's own
 * English description stands (the English playbook's sentences never replace our descriptions).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localizeRow } from './localize';
import { PLAYBOOK_LANGUAGES, readPlaybookTable, type PlaybookLanguage, type PlaybookSource } from './parser';
import { PLAYBOOK_TABLE } from './table';
import { createTranslator, isTranslatedLanguage, type AlertTranslator } from './translate';

export interface LocalizedOperation {
  /** The playbook's description of the operation, in the alert locale. */
  readonly description?: string;
  readonly translator: AlertTranslator;
}

export type LocalizedText = (operation: string) => LocalizedOperation | undefined;

export const isPlaybookLanguage = (value: string): value is PlaybookLanguage =>
  (PLAYBOOK_LANGUAGES as readonly string[]).includes(value);

/**
 * Reads the playbooks once, if there are any; an unreadable or missing playbook leaves the descriptions in
 * English. Every operation, known or not, gets the translated titles, steps and questions.
 */
export async function loadLocalizedText(source: PlaybookSource | undefined, locale: string): Promise<LocalizedText> {
  if (!isTranslatedLanguage(locale)) return () => undefined;
  const translated: LocalizedOperation = { translator: createTranslator(locale) };
  if (source === undefined) return () => translated;
  const operations = [...new Set(PLAYBOOK_TABLE.map((row) => row.eventName))];
  const { playbooks } = await readPlaybookTable(source, operations);
  // Every text up front, for the table's operations only: playbook names resolve to those, and an eventName
  // from the input (any string) must not grow a cache in a long-lived container.
  const texts = new Map<string, LocalizedOperation>();
  for (const operation of operations) {
    const row = localizeRow(operation, locale, playbooks);
    if (row.language === locale && row.description !== undefined)
      texts.set(operation, { ...translated, description: row.description });
  }
  return (operation) => texts.get(operation) ?? translated;
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
