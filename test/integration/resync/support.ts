/** Real-protocol servers for the resync tests: s3rver for S3, a loopback HTTP server for the tarball. */
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** s3rver checks signatures against its one built-in key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Request {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface S3Harness {
  readonly endpoint: string;
  readonly client: S3Client;
  /** Every request the client sent, after signing. */
  readonly requests: S3Request[];
  close(): Promise<void>;
}

export async function startS3(buckets: readonly string[]): Promise<S3Harness> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  const requests: S3Request[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { method?: string; path?: string; headers?: Record<string, string> };
      requests.push({
        method: request.method ?? '',
        path: request.path ?? '',
        headers: { ...(request.headers ?? {}) },
      });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordRequests' },
  );
  return {
    endpoint,
    client,
    requests,
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface TarballServer {
  readonly url: string;
  /** What the next GET answers with. */
  serve(body: Buffer): void;
  close(): Promise<void>;
}

export async function startTarballServer(): Promise<TarballServer> {
  let body: Buffer = Buffer.alloc(0);
  const server: Server = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/archive.tar.gz' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve(next) {
      body = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
