/** Streams for command tests. */
import { Writable } from 'node:stream';

/** A writable that keeps what is written as text; `isTTY` makes it pass for a terminal (progress, width). */
export class TextCapture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}
