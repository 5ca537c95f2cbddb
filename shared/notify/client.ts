import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface SnsClientOptions {
  readonly region?: string;
  /** Only for tests against a local stub. */
  readonly endpoint?: string;
  readonly credentials?: SNSClientConfig['credentials'];
  /** Per HTTP attempt. Default 2000 ms. */
  readonly requestTimeoutMs?: number;
  /** Default 1000 ms. */
  readonly connectionTimeoutMs?: number;
  /** The SDK's own attempts per call (the notifier retries around them). Default 2. */
  readonly maxAttempts?: number;
}

/**
 * The SNS client the notifier expects; create it once per container. `throwOnRequestTimeout` is
 * required: without it the current @smithy/node-http-handler only logs a warning when
 * `requestTimeout` passes and keeps waiting, so a hung SNS endpoint would hold the Lambda until
 * its own timeout. Worst case per topic: notifier attempts x SDK attempts x request timeout,
 * plus backoff: the triage function timeout must be above that.
 */
export function createSnsClient(options: SnsClientOptions = {}): SNSClient {
  return new SNSClient({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs ?? 2000,
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
      throwOnRequestTimeout: true,
    }),
  });
}
