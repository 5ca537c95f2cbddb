/**
 * Localized alert text (ALERT_LOCALE) taken from the synced playbooks at runtime, never committed:
 * the row description of the Amazon Q playbook in the alert's language, falling back to the English
 * playbook. The caller falls back to the table's own text after that. The section a row sits in is not
 * a title for it: "Creating an index" holds CreateIndex, DeleteIndex, GetIndex, ListIndices and UpdateIndex.
 */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { ParsedPlaybook, PlaybookLanguage, PlaybookSource } from './parser';

export interface LocalizedRow {
  readonly description?: string;
  /** The language the returned text is in. */
  readonly language?: PlaybookLanguage;
}

function fromPlaybook(operation: string, playbook: ParsedPlaybook | undefined): LocalizedRow | undefined {
  const name = playbook?.names.find(
    (n) => n.list === 'event-table' && n.operation === operation && n.description !== undefined,
  );
  if (name === undefined || playbook === undefined) return undefined;
  return { ...(name.description !== undefined ? { description: name.description } : {}), language: playbook.language };
}

export function localizeRow(
  operation: string,
  locale: PlaybookLanguage,
  playbooks: readonly ParsedPlaybook[],
): LocalizedRow {
  const find = (language: PlaybookLanguage): ParsedPlaybook | undefined =>
    playbooks.find((playbook) => playbook.language === language);
  return fromPlaybook(operation, find(locale)) ?? fromPlaybook(operation, find('en')) ?? {};
}

/** Reads playbook files from the AWS-playbooks bucket, where resync mirrors the repository paths. */
export function s3PlaybookSource(s3: S3Client, bucket: string, prefix = ''): PlaybookSource {
  return {
    async read(path) {
      try {
        const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + path }));
        return await answer.Body?.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: unknown }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
  };
}
