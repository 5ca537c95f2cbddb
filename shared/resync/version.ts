/**
 * The playbook version: a digest of the synced tree and of the custom-playbooks bucket listing.
 * It keys the enrichment answer cache, so any playbook change retires cached answers.
 * Stored in the state table at `pk=playbook#version, sk=current`.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { BucketObject } from './bucket-sync';

/** Playbooks mirrored to the bucket whose data source syncs have not all completed yet. */
export interface PendingPlaybookVersion {
  readonly version: string;
  readonly commit: string;
  /** When their syncs were started: a job that started earlier cannot hold them. */
  readonly startedAt: string;
}

export interface PlaybookVersionRecord {
  /**
   * The version answers are cached under: the playbooks the answer source holds. With data sources it moves
   * only once their syncs completed, so no answer from the old index is cached under the new version.
   */
  readonly version: string;
  readonly commit: string;
  /** When `version` last changed. */
  readonly syncedAt: string;
  /** When the data source syncs were last checked; failures that ended earlier were already reported. */
  readonly checkedAt?: string;
  /** When a run last downloaded the playbooks and compared them with the mirror: "stale" counts from here. */
  readonly verifiedAt?: string;
  readonly pending?: PendingPlaybookVersion;
}

function pendingOf(value: unknown): PendingPlaybookVersion | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { version, commit, startedAt } = value as Record<string, unknown>;
  return typeof version === 'string' && typeof commit === 'string' && typeof startedAt === 'string'
    ? { version, commit, startedAt }
    : undefined;
}

export interface PlaybookVersionStore {
  read(): Promise<PlaybookVersionRecord | undefined>;
  write(record: PlaybookVersionRecord): Promise<void>;
}

export const VERSION_KEY = { pk: 'playbook#version', sk: 'current' } as const;
/** The item is rewritten on every run; the TTL only removes it once resync has been gone for a year. */
const VERSION_TTL_SECONDS = 366 * 24 * 3600;

export function computePlaybookVersion(
  digests: ReadonlyMap<string, string>,
  customObjects: readonly BucketObject[],
): string {
  const hash = createHash('sha256');
  for (const path of [...digests.keys()].sort()) hash.update(`aws\0${path}\0${digests.get(path) ?? ''}\n`);
  for (const object of [...customObjects].sort((a, b) => a.key.localeCompare(b.key)))
    hash.update(`custom\0${object.key}\0${object.etag}\0${object.size}\n`);
  return hash.digest('hex').slice(0, 16);
}

export function createDynamoVersionStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: () => number,
): PlaybookVersionStore {
  return {
    async read() {
      const answer = await doc.send(new GetCommand({ TableName: tableName, Key: VERSION_KEY, ConsistentRead: true }));
      const item = answer.Item;
      if (item === undefined || typeof item.version !== 'string') return undefined;
      const pending = pendingOf(item.pending);
      return {
        version: item.version,
        commit: typeof item.commit === 'string' ? item.commit : '',
        syncedAt: typeof item.syncedAt === 'string' ? item.syncedAt : '',
        ...(typeof item.checkedAt === 'string' ? { checkedAt: item.checkedAt } : {}),
        ...(typeof item.verifiedAt === 'string' ? { verifiedAt: item.verifiedAt } : {}),
        ...(pending !== undefined ? { pending } : {}),
      };
    },
    async write(record) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...VERSION_KEY, ...record, ttl: Math.floor(now() / 1000) + VERSION_TTL_SECONDS },
        }),
      );
    },
  };
}

export function createMemoryVersionStore(
  initial?: PlaybookVersionRecord,
): PlaybookVersionStore & { current(): PlaybookVersionRecord | undefined } {
  let record = initial;
  return {
    read: () => Promise.resolve(record),
    write: (next) => {
      record = next;
      return Promise.resolve();
    },
    current: () => record,
  };
}

/** What enrichment injects as its `() => Promise<string>`: the stored version, or `unsynced`. */
export function playbookVersionReader(store: PlaybookVersionStore): () => Promise<string> {
  return async () => (await store.read())?.version ?? 'unsynced';
}
