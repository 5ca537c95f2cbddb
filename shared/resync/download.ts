/**
 * Downloads the playbook tarball over HTTPS with a size cap, a timeout and at most five redirects
 * (codeload.github.com answers directly; github.com/<repo>/archive/… redirects there).
 * Plain HTTP is refused except on loopback, which the tests and local runs use.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TarballDownloadError } from './errors';

export interface DownloadOptions {
  readonly maxBytes: number;
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function assertAllowedUrl(url: URL): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  throw new TarballDownloadError(
    `refusing ${url.protocol} URL ${url.origin}: only https (or http on loopback) is allowed`,
  );
}

function get(url: URL, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'GET',
        headers: { 'user-agent': 'q-triage-resync', accept: 'application/gzip, application/x-gzip, */*' },
      },
      resolve,
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new TarballDownloadError(`no answer from ${url.origin} within ${timeoutMs} ms`)),
    );
    req.on('error', (error) =>
      reject(
        error instanceof TarballDownloadError
          ? error
          : new TarballDownloadError(`request to ${url.origin} failed: ${error.message}`, { cause: error }),
      ),
    );
    req.end();
  });
}

function readCapped(response: IncomingMessage, maxBytes: number, timeoutMs: number, origin: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => response.destroy(new TarballDownloadError(`download from ${origin} took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy(new TarballDownloadError(`tarball exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error) => {
      clearTimeout(timer);
      reject(
        error instanceof TarballDownloadError
          ? error
          : new TarballDownloadError(`download from ${origin} failed: ${error.message}`, { cause: error }),
      );
    });
    response.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

export async function downloadTarball(location: string, options: DownloadOptions): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRedirects = options.maxRedirects ?? 5;
  let url = new URL(location);
  for (let redirects = 0; ; redirects += 1) {
    assertAllowedUrl(url);
    const response = await get(url, timeoutMs);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location !== undefined) {
      response.resume();
      if (redirects >= maxRedirects)
        throw new TarballDownloadError(`more than ${maxRedirects} redirects from ${location}`);
      const next = new URL(response.headers.location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:')
        throw new TarballDownloadError(`refusing redirect from https to ${next.protocol}`);
      url = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new TarballDownloadError(`GET ${url.origin}${url.pathname} answered ${status}`);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      response.destroy();
      throw new TarballDownloadError(`tarball declares ${declared} bytes, over the cap of ${options.maxBytes}`);
    }
    return readCapped(response, options.maxBytes, timeoutMs, url.origin);
  }
}
