/**
 * Renderers of an alert, one module per format: plain text (email, CLI), a JSON document (machines; also the
 * one JSON line the CLI prints) and an AWS Chatbot custom notification (chat).
 */
export {
  dominantEventName,
  ENRICHMENT_FOLLOWS,
  headline,
  messageLabel,
  principalShortName,
  rankedEventNames,
  shortTime,
  statusSentence,
  titleLine,
} from './common';
export type { RenderOptions } from './common';
export { renderText, wrap, DEFAULT_TEXT_WIDTH } from './text';
export type { TextOptions } from './text';
export { renderJson } from './json';
export type { AlertDocument, EvidenceDocument } from './json';
export { renderChatbot, CHATBOT_DESCRIPTION_MAX } from './chatbot';
export type { ChatbotNotification } from './chatbot';
