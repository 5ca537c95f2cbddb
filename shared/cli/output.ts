/** The CLI's one output path: JSON lines or text, always to the stream it is given. */
import type { Writable } from 'node:stream';

export function writeJsonLine(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

/** Many lines in few writes: a 100k-event replay would otherwise pay one stream write per event. */
export function writeLines(stream: Writable, lines: Iterable<string>, linesPerWrite = 2000): void {
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= linesPerWrite) {
      stream.write(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) stream.write(`${chunk.join('\n')}\n`);
}

export function writeJsonLines(stream: Writable, values: Iterable<unknown>): void {
  writeLines(
    stream,
    (function* stringify() {
      for (const value of values) yield JSON.stringify(value);
    })(),
  );
}

export function writeText(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A plain fixed-width table; cells are already escaped by the caller. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
