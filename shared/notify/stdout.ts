/**
 * Alerts on a stream (stdout for `q-triage replay` and `npm start`): readable text, or one JSON
 * line per alert. This is the one JSON output path for alerts; the line is renderJson's document.
 */
import type { Writable } from 'node:stream';
import type { Alert } from '../alerts/model';
import { renderJson, renderText } from '../alerts/render';
import type { Notifier, OutgoingMessage, PublishKind } from './types';

export type StdoutFormat = 'text' | 'json';

export interface StdoutNotifierOptions {
  readonly stream: Writable;
  readonly format: StdoutFormat;
}

/** One alert as one JSON line (no newline inside: JSON.stringify escapes them). */
export function alertJsonLine(alert: Alert, kind: PublishKind): string {
  return `${JSON.stringify(renderJson(alert, { kind }))}\n`;
}

const SEPARATOR = `${'-'.repeat(72)}\n`;

function write(stream: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

export function createStdoutNotifier(options: StdoutNotifierOptions): Notifier {
  const { stream, format } = options;
  return {
    // One output per alert state: a page is the same alert again, already shown with `paged`.
    async send({ route, alert, kind }: OutgoingMessage): Promise<void> {
      if (route !== 'alerts') return;
      const chunk = format === 'json' ? alertJsonLine(alert, kind) : `${renderText(alert, { kind })}\n${SEPARATOR}`;
      return write(stream, chunk);
    },
  };
}
