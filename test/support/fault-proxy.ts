/**
 * A fault-injecting HTTP proxy in front of a local service (dynalite): each request is forwarded, answered
 * with a throttling error, or dropped (the connection reset, as when a Lambda is killed), as the test decides.
 */
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  /** DynamoDB's operation (`X-Amz-Target` without the version prefix), e.g. `PutItem`. */
  readonly operation: string;
  readonly body: string;
}

export type FaultDecision = 'forward' | 'throttle' | 'drop';
/** What a test decides: a proxy decision, or `kill` (drop this request and every later one of the invocation). */
export type WorldDecision = FaultDecision | 'kill';

export interface FaultProxy {
  readonly endpoint: string;
  setFault(decide: (request: ProxiedRequest) => FaultDecision): void;
  close(): Promise<void>;
}

const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded (fault proxy)',
});

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let decide: (request: ProxiedRequest) => FaultDecision = () => 'forward';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const decision = decide({ operation, body: body.toString('utf8') });
      if (decision === 'drop') {
        req.socket.destroy();
        return;
      }
      if (decision === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(THROTTLED);
        return;
      }
      const out = forward(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (reply) => {
          res.writeHead(reply.statusCode ?? 500, reply.headers);
          reply.pipe(res);
        },
      );
      out.on('error', () => req.socket.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFault(next) {
      decide = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
