/**
 * `aws s3 sync --delete` for the AWS-playbooks bucket: upload new and changed files, delete objects
 * that left the tree, leave the rest alone. Changes are detected with our own SHA-256 in object
 * metadata (`x-amz-meta-sha256`), since the ETag of an SSE-KMS object is not a digest of its content.
 */
import { createHash } from 'node:crypto';
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Logger } from '../logger';
import { BucketSyncError } from './errors';

export interface BucketObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export interface BucketSyncOptions {
  readonly bucket: string;
  /** Key prefix under which the tree is mirrored ('' for the bucket root). Deletions stay under it. */
  readonly prefix: string;
  readonly kmsKeyId?: string;
  readonly commit: string;
  readonly syncedAt: string;
  /** Compute the plan, write nothing. */
  readonly dryRun: boolean;
  readonly concurrency?: number;
}

export interface BucketSyncResult {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** PutObject calls made (0 on a dry run). */
  readonly uploaded: number;
  /** Objects deleted (0 on a dry run). */
  readonly deleted: number;
}

export const DELETE_BATCH = 1000;

export function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

export function contentTypeOf(path: string): string {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

export async function listBucket(s3: S3Client, bucket: string, prefix: string): Promise<BucketObject[]> {
  const objects: BucketObject[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, ...(prefix !== '' ? { Prefix: prefix } : {}) },
  )) {
    for (const item of page.Contents ?? []) {
      if (item.Key !== undefined) objects.push({ key: item.Key, size: item.Size ?? -1, etag: item.ETag ?? '' });
    }
  }
  return objects;
}

export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function syncTreeToBucket(
  s3: S3Client,
  files: ReadonlyMap<string, Buffer>,
  options: BucketSyncOptions,
  logger: Logger,
): Promise<BucketSyncResult> {
  const concurrency = options.concurrency ?? 8;
  const { bucket, prefix } = options;
  let existing: BucketObject[];
  try {
    existing = await listBucket(s3, bucket, prefix);
  } catch (error) {
    throw new BucketSyncError(`cannot list s3://${bucket}/${prefix}`, { cause: error });
  }
  const byKey = new Map(existing.map((object) => [object.key, object]));
  const paths = [...files.keys()].sort();
  const digests = new Map(paths.map((path) => [path, sha256Hex(files.get(path) ?? Buffer.alloc(0))]));

  const verdicts = await mapWithConcurrency(
    paths,
    concurrency,
    async (path): Promise<'added' | 'changed' | 'unchanged'> => {
      const current = byKey.get(prefix + path);
      if (current === undefined) return 'added';
      if (current.size !== files.get(path)?.length) return 'changed';
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix + path }));
        return head.Metadata?.sha256 === digests.get(path) ? 'unchanged' : 'changed';
      } catch (error) {
        throw new BucketSyncError(`cannot read metadata of s3://${bucket}/${prefix}${path}`, { cause: error });
      }
    },
  );
  const added = paths.filter((_, i) => verdicts[i] === 'added');
  const changed = paths.filter((_, i) => verdicts[i] === 'changed');
  const removed = existing
    .map((object) => object.key.slice(prefix.length))
    .filter((path) => !files.has(path))
    .sort();
  const unchanged = paths.length - added.length - changed.length;
  if (options.dryRun) return { added, changed, removed, unchanged, uploaded: 0, deleted: 0 };

  await mapWithConcurrency([...added, ...changed], concurrency, async (path) => {
    const body = files.get(path) ?? Buffer.alloc(0);
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: prefix + path,
          Body: body,
          ContentType: contentTypeOf(path),
          ServerSideEncryption: 'aws:kms',
          ...(options.kmsKeyId !== undefined ? { SSEKMSKeyId: options.kmsKeyId } : {}),
          Metadata: { sha256: digests.get(path) ?? '', 'source-commit': options.commit, 'synced-at': options.syncedAt },
        }),
      );
    } catch (error) {
      throw new BucketSyncError(`cannot upload s3://${bucket}/${prefix}${path}`, { cause: error });
    }
    logger.debug('playbook object uploaded', { bucket, key: prefix + path, bytes: body.length });
  });

  let deleted = 0;
  for (let start = 0; start < removed.length; start += DELETE_BATCH) {
    const batch = removed.slice(start, start + DELETE_BATCH);
    let failures: readonly { Key?: string; Code?: string }[];
    try {
      const answer = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Quiet: true, Objects: batch.map((path) => ({ Key: prefix + path })) },
        }),
      );
      failures = answer.Errors ?? [];
    } catch (error) {
      throw new BucketSyncError(`cannot delete ${batch.length} objects from s3://${bucket}`, { cause: error });
    }
    if (failures.length > 0) {
      throw new BucketSyncError(
        `${failures.length} deletions refused in s3://${bucket}, first: ${failures[0]?.Key ?? '?'} (${failures[0]?.Code ?? '?'})`,
      );
    }
    deleted += batch.length;
  }
  return { added, changed, removed, unchanged, uploaded: added.length + changed.length, deleted };
}
