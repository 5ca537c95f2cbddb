export type { Notifier, OutgoingMessage, PublishKind, Route } from './types';
export {
  createSnsNotifier,
  PublishFailedError,
  buildPublish,
  messageAttributes,
  subjectFor,
  SNS_MAX_MESSAGE_BYTES,
  SUBJECT_MAX_CHARS,
} from './sns';
export type { SnsNotifierOptions, BuiltPublish } from './sns';
export { createStdoutNotifier, alertJsonLine, alertTextBlock } from './stdout';
export type { StdoutFormat, StdoutNotifierOptions } from './stdout';
export { trimAlert, TRIM_LEVELS } from './trim';
export { createSnsClient } from './client';
export type { SnsClientOptions } from './client';
