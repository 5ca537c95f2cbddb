/**
 * Alerts on a stream (stdout for `q-triage replay` and `npm start`): readable text, or one JSON
 * line per alert. This is the one JSON output path for alerts; the line is renderJson's document.
 */
import type { Writable } from 'node:stream';
import type { Alert } from '../alerts/model';
import { renderJson, renderText, type TextOptions } from '../alerts/render';
import { severityRank, type Severity } from '../playbook/types';
import type { Notifier, OutgoingMessage, PublishKind } from './types';

export type StdoutFormat = 'text' | 'json';

export interface StdoutNotifierOptions {
  readonly stream: Writable;
  readonly format: StdoutFormat;
  /** Alerts below this severity are not written. */
  readonly minSeverity?: Severity;
  /** The text form and width (text format); the full form by default. */
  readonly text?: Pick<TextOptions, 'form' | 'width'>;
}

/** One alert as one JSON line (no newline inside: JSON.stringify escapes them). */
export function alertJsonLine(alert: Alert, kind: PublishKind): string {
  return `${JSON.stringify(renderJson(alert, { kind }))}\n`;
}

const SEPARATOR = `${'-'.repeat(72)}\n`;

/** One alert as text, followed by a separator line. */
export function alertTextBlock(
  alert: Alert,
  kind: PublishKind,
  text: Pick<TextOptions, 'form' | 'width'> = {},
): string {
  return `${renderText(alert, { ...text, kind })}\n${SEPARATOR}`;
}

function write(stream: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

export function createStdoutNotifier(options: StdoutNotifierOptions): Notifier {
  const { stream, format, minSeverity } = options;
  const minRank = minSeverity === undefined ? 0 : severityRank(minSeverity);
  return {
    // One output per alert state: a page is the same alert again, already shown with `paged`.
    async send({ route, alert, kind }: OutgoingMessage): Promise<void> {
      if (route !== 'alerts' || severityRank(alert.severity) < minRank) return;
      const chunk = format === 'json' ? alertJsonLine(alert, kind) : alertTextBlock(alert, kind, options.text);
      return write(stream, chunk);
    },
  };
}
