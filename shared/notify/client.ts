import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { errorName } from '../errors';

export interface SnsClientOptions {
  readonly region?: string;
  /** Only for tests against a local stub. */
  readonly endpoint?: string;
  readonly credentials?: SNSClientConfig['credentials'];
  /** Per HTTP attempt. Default 2000 ms. */
  readonly requestTimeoutMs?: number;
  /** Default 1000 ms. */
  readonly connectionTimeoutMs?: number;
  /** HTTP attempts per Publish, the first included: the only retries of a publish. Default 4. */
  readonly maxAttempts?: number;
}

/**
 * SNS answers `KMSThrottlingException` (HTTP 400) when the topic's KMS key is throttled: a throttle, but not one
 * the SDK's retry strategy knows by name. Marking it retryable as throttling lets the SDK's retries (and their
 * retry quota) cover it like any other.
 */
const KMS_THROTTLING = new Set(['KMSThrottlingException', 'KMSThrottling']);

/**
 * The SNS client the notifier expects; create it once per container. Its retries are the only ones around a
 * publish (throttling, 5xx, timeouts, network errors, KMS throttling; exponential backoff with jitter).
 * `throwOnRequestTimeout` is required: without it the current @smithy/node-http-handler only logs a warning when
 * `requestTimeout` passes and keeps waiting, so a hung SNS endpoint would hold the Lambda until its own timeout.
 * Worst case per topic: attempts x request timeout plus the SDK's backoff: the triage function timeout must be
 * above that.
 */
export function createSnsClient(options: SnsClientOptions = {}): SNSClient {
  const client = new SNSClient({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 4,
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs ?? 2000,
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
      throwOnRequestTimeout: true,
    }),
  });
  // In the deserialize step, inside the retry middleware: the error is marked before the retry strategy reads it.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (KMS_THROTTLING.has(errorName(error)) && typeof error === 'object' && error !== null)
          Object.assign(error, { $retryable: { throttling: true } });
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'kmsThrottlingRetryable' },
  );
  return client;
}
