/** SQS messages (EventBridge → SQS → Lambda) as pipeline inputs; the replay reader uses the same mapping. */
import { describeJsonError } from './json-error';

export type ParsedInput = { readonly value: unknown; readonly bytes: number } | { readonly error: string };

export function parseMessageBody(body: unknown): ParsedInput {
  if (typeof body !== 'string') return { error: 'SQS message without a string body' };
  try {
    return { value: JSON.parse(body), bytes: Buffer.byteLength(body) };
  } catch (error) {
    return { error: `SQS message body is not JSON: ${describeJsonError(error, body)}` };
  }
}
