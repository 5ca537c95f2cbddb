/**
 * The SDK client settings every answer source uses: SDK retries off (the enricher retries throttling itself,
 * within its budget) and HTTP/1.1 with keep-alive and a short connect timeout, which also works against
 * local stubs.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface AnswerClientOptions<Credentials> {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: Credentials;
}

export function answerClientConfig<Credentials>(options: AnswerClientOptions<Credentials>) {
  return {
    region: options.region,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000 }),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  };
}
