/**
 * The playbooks of the local answer source in the Lambda: the S3 mirror resync keeps. The AWS playbooks
 * (`docs/**.md` in AWS_PLAYBOOKS_BUCKET, keys = repository paths) in English and ALERT_LOCALE, and every
 * markdown file of the custom playbooks bucket (cited as `custom/<key>`). Read only; no model, no Q Business.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '../concurrency';
import { s3PlaybookSource } from '../playbook/localize';
import { listBucket } from '../resync/bucket-sync';
import type { AlertLocale } from './config';
import { localeOf, splitSections, type PlaybookCorpus, type PlaybookSection } from './local-playbooks';

/** Where resync mirrors the repository's playbooks in the AWS bucket. */
export const AWS_PLAYBOOKS_PREFIX = 'docs/';
/** A markdown playbook larger than this is not a playbook (and would cost the container its memory). */
export const MAX_PLAYBOOK_BYTES = 1024 * 1024;
const PARALLEL_READS = 8;

export interface S3PlaybookCorpusOptions {
  readonly s3: S3Client;
  readonly awsBucket?: string;
  readonly customBucket?: string;
  readonly locale: AlertLocale;
}

interface PlaybookObject {
  readonly bucket: string;
  readonly key: string;
  /** The path cited in answers. */
  readonly file: string;
  readonly locale: AlertLocale;
}

async function markdownObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  citedAs: (key: string) => string,
): Promise<PlaybookObject[]> {
  const listed = await listBucket(s3, bucket, prefix);
  return listed
    .filter((object) => /\.md$/i.test(object.key) && object.size >= 0 && object.size <= MAX_PLAYBOOK_BYTES)
    .map((object) => {
      const file = citedAs(object.key);
      return { bucket, key: object.key, file, locale: localeOf(object.key.slice(prefix.length)) };
    });
}

export function s3PlaybookCorpus(options: S3PlaybookCorpusOptions): PlaybookCorpus {
  const { s3, awsBucket, customBucket, locale } = options;
  const buckets = [awsBucket, customBucket].filter((bucket): bucket is string => bucket !== undefined);
  return {
    where: buckets.map((bucket) => `s3://${bucket}`).join(' and '),
    async load(): Promise<PlaybookSection[]> {
      const objects = [
        ...(awsBucket === undefined
          ? []
          : await markdownObjects(s3, awsBucket, AWS_PLAYBOOKS_PREFIX, (key) =>
              key.slice(AWS_PLAYBOOKS_PREFIX.length),
            )),
        ...(customBucket === undefined ? [] : await markdownObjects(s3, customBucket, '', (key) => `custom/${key}`)),
      ].filter((object) => object.locale === 'en' || object.locale === locale);
      const readers = new Map(buckets.map((bucket) => [bucket, s3PlaybookSource(s3, bucket)]));
      const texts = await mapLimit(
        objects,
        PARALLEL_READS,
        async (object) => (await readers.get(object.bucket)?.read(object.key)) ?? '',
      );
      return objects.flatMap((object, index) => splitSections(object.file, texts[index] ?? '', object.locale));
    },
  };
}
