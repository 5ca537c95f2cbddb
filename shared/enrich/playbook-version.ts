/** Reads the synced playbook version (`playbook#version`, sk `current`, written by resync), cached for a minute. */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock';
import { PlaybookVersionError } from './errors';

/** Used before the first resync has written a version. */
export const UNSYNCED_VERSION = 'unsynced';

export function createPlaybookVersionReader(deps: {
  readonly doc: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly clock: Clock;
  readonly maxAgeMs?: number;
}): () => Promise<string> {
  const maxAgeMs = deps.maxAgeMs ?? 60_000;
  let known: { version: string; readAt: number } | undefined;
  return async () => {
    if (known !== undefined && deps.clock.now() - known.readAt < maxAgeMs) return known.version;
    try {
      const { Item } = await deps.doc.send(
        new GetCommand({ TableName: deps.tableName, Key: { pk: 'playbook#version', sk: 'current' } }),
      );
      const version = typeof Item?.version === 'string' && Item.version !== '' ? Item.version : UNSYNCED_VERSION;
      known = { version, readAt: deps.clock.now() };
      return version;
    } catch (error) {
      // A stale version only means a slightly older cache entry; better than no enrichment.
      if (known !== undefined) return known.version;
      throw new PlaybookVersionError('could not read playbook#version from the state table', { cause: error });
    }
  };
}
