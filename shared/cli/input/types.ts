/** What the replay reader yields: a parsed value or a rejection, each named by where it came from (see index.ts). */

export interface InputEvent {
  readonly source: string;
  readonly value: unknown;
  /** UTF-8 length of the event's raw JSON text, when known without re-serialising. */
  readonly bytes?: number;
}

export interface InputRejection {
  readonly source: string;
  readonly error: string;
}

export type InputItem = InputEvent | InputRejection;

export const isInputRejection = (item: InputItem): item is InputRejection => 'error' in item;

/**
 * What one input may cost, so that one file (a gzip bomb, a stray disk image) is rejected with the limit in
 * its reason and the other files are still read. CloudTrail delivers a log file every few minutes per Region
 * and account; a file is a few MB, rarely tens.
 */
export interface InputLimits {
  /** Bytes of a file (or of standard input) as read. */
  readonly maxFileBytes: number;
  /** Bytes a gzip input may inflate to. */
  readonly maxDecompressedBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxDecompressedBytes: 512 * 1024 * 1024,
};
