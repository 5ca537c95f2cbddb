/**
 * DynamoDB for the load bench, in a process of its own (as the service is outside the function): dynalite
 * behind a proxy that adds a fixed latency to every call and asks every item call for its consumed capacity
 * (`ReturnConsumedCapacity: TOTAL`), summing read and write units. Prints `{"endpoint": …}` when ready.
 * `GET /__units` answers the sums so far; `POST /__reset` zeroes them.
 * Usage: tsx bench/dynamo-process.ts [latencyMs]
 */
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types
const dynalite = require('dynalite') as (options: { createTableMs: number }) => import('node:http').Server;

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const latencyMs = Number(process.argv[2] ?? '0');

interface Units {
  read: number;
  write: number;
  calls: number;
  byOperation: Record<string, { calls: number; units: number }>;
}
const fresh = (): Units => ({ read: 0, write: 0, calls: 0, byOperation: {} });
let units = fresh();

function consumed(body: string): number {
  try {
    const parsed = JSON.parse(body) as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
    const list = Array.isArray(parsed.ConsumedCapacity)
      ? parsed.ConsumedCapacity
      : parsed.ConsumedCapacity === undefined
        ? []
        : [parsed.ConsumedCapacity];
    return list.reduce((sum, item) => sum + (item.CapacityUnits ?? 0), 0);
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const db = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => db.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (db.address() as AddressInfo).port;
  const proxy = createServer((req, res) => {
    if (req.url === '/__units') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(units));
      return;
    }
    if (req.url === '/__reset') {
      units = fresh();
      res.writeHead(204);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      let body = Buffer.concat(chunks);
      const counted = READS.has(operation) || WRITES.has(operation);
      if (counted)
        body = Buffer.from(
          JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as object), ReturnConsumedCapacity: 'TOTAL' }),
        );
      const headers = { ...req.headers, 'content-length': String(body.length) };
      setTimeout(() => {
        const out = forward(
          { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers },
          (reply) => {
            const replyChunks: Buffer[] = [];
            reply.on('data', (chunk: Buffer) => replyChunks.push(chunk));
            reply.on('end', () => {
              const replyBody = Buffer.concat(replyChunks);
              if (counted) {
                const used = consumed(replyBody.toString('utf8'));
                if (READS.has(operation)) units.read += used;
                else units.write += used;
                units.calls += 1;
                const entry = (units.byOperation[operation] ??= { calls: 0, units: 0 });
                entry.calls += 1;
                entry.units += used;
              }
              res.writeHead(reply.statusCode ?? 500, reply.headers);
              res.end(replyBody);
            });
          },
        );
        out.on('error', () => req.socket.destroy());
        out.end(body);
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  process.stdout.write(
    `${JSON.stringify({ endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` })}\n`,
  );
  process.on('SIGTERM', () => process.exit(0));
}

void main();
