import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { errorMessage, errorName, isConditionalCheckFailed, QTriageError } from '../../shared/errors';
import { PublishFailedError } from '../../shared/notify';
import { UnprocessedItemsError } from '../../shared/state/dynamo-batch';

const SHARED = join(__dirname, '../../shared');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

test('every error class in shared/ extends QTriageError (or one of its subclasses), never Error itself', () => {
  const direct = sourceFiles(SHARED)
    .filter((file) => !file.endsWith(join('shared', 'errors.ts')))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends Error\b/g)].map(
        (match) => `${file}: ${match[1] ?? ''}`,
      ),
    );

  expect(direct).toEqual([]);
});

test('our errors are QTriageErrors that keep their own name and cause', () => {
  const cause = new Error('socket hang up');

  const error = new PublishFailedError(
    { topicArn: 'arn:aws:sns:us-east-1:111122223333:alerts', alertId: 'a1', attempts: 2 },
    { cause },
  );

  expect(error).toBeInstanceOf(QTriageError);
  expect(error.name).toBe('PublishFailedError');
  expect(error.cause).toBe(cause);
  expect(new UnprocessedItemsError('x')).toBeInstanceOf(QTriageError);
});

test('errorMessage: the message of an error, also from another realm; anything else as text', () => {
  const foreign: unknown = runInNewContext('new Error("from another realm")');

  expect(foreign instanceof Error).toBe(false);
  expect(errorMessage(foreign)).toBe('from another realm');
  expect(errorMessage(new TypeError('bad'))).toBe('bad');
  expect(errorMessage('plain text')).toBe('plain text');
  expect(errorMessage(undefined)).toBe('undefined');
});

test('errorName: a plain name, or the fallback for no name or a forged one', () => {
  expect(errorName(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe('ThrottlingException');
  expect(errorName('not an error')).toBe('UnknownError');
  expect(errorName(null, 'an unknown error')).toBe('an unknown error');
  expect(errorName({ name: 'Evil\u202ename <script>' })).toBe('UnknownError');
});

test('isConditionalCheckFailed: the SDK exception, or any error by that name (document client, another realm)', () => {
  const sdk = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

  expect(isConditionalCheckFailed(sdk)).toBe(true);
  expect(
    isConditionalCheckFailed(
      runInNewContext('Object.assign(new Error("failed"), { name: "ConditionalCheckFailedException" })'),
    ),
  ).toBe(true);
  expect(
    isConditionalCheckFailed(Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' })),
  ).toBe(false);
  expect(isConditionalCheckFailed(undefined)).toBe(false);
});
