/**
 * SNS delivery of alerts.
 *
 * Design (details and the reasoning in docs/alerts.md):
 * - One Publish per topic with `MessageStructure: 'json'`: `default` is readable text (email and
 *   every protocol without its own key), `sqs`/`lambda`/`firehose` carry the JSON document
 *   (renderJson), `https` carries the AWS Chatbot custom notification (Chatbot subscribes to
 *   topics over HTTPS; other webhooks should subscribe through SQS/Lambda), `sms` a short line.
 * - Message attributes `severity`, `category`, `rule`, `eventName`, `account`, `kind` (String) are
 *   set on every Publish. SNS matches subscription filter policies against the attributes given
 *   to Publish, so filtering works with the JSON structure; what the JSON structure loses is the
 *   *delivery* of the attributes to subscribers. That is why the JSON body repeats every one.
 * - One message per call: the pipeline decides what goes to the alerts topic and what pages (severity,
 *   page cap), and gives each message a stable id, carried in the JSON body (`messageId`), in the text
 *   body's last line and as the `messageId` attribute.
 * - Size: the whole request (all bodies, subject, attributes) is kept under SNS's 256 KiB by
 *   shortening the alert level by level (shared/notify/trim.ts) and marking it `truncated`.
 * - Retries: the SDK's own (throttling, KMS throttling, 5xx, timeouts, network errors), configured once
 *   where the client is built (shared/notify/client.ts). Then `PublishFailedError` (with `cause`), which
 *   the pipeline maps to a failed SQS record: nothing is swallowed.
 * - Duplicates: the pipeline keeps a delivery record per message id and sends each message once. FIFO
 *   topics also get it as MessageDeduplicationId; on standard topics the one repeat the pipeline cannot
 *   rule out (a crash between SNS accepting and the record being written) carries the same `messageId`.
 */
import {
  PublishCommand,
  type MessageAttributeValue,
  type PublishCommandInput,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { Alert } from '../alerts/model';
import { asciiText, cleanText } from '../alerts/escape';
import {
  dominantEventName,
  messageLabel,
  renderChatbot,
  renderJson,
  renderText,
  titleLine,
  type RenderOptions,
} from '../alerts/render';
import { stableId } from '../ids';
import type { Logger } from '../logger';
import { TRIM_LEVELS, trimAlert } from './trim';
import type { Notifier, OutgoingMessage, PublishKind, Route } from './types';
import { errorName, QTriageError } from '../errors';
import { sdkAttempts } from '../retry';

/** SNS's limit on the whole message: bodies plus attributes. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** Headroom for what our count does not see (encoding differences, attribute overhead). */
const SIZE_MARGIN_BYTES = 1024;
/** SNS subjects: ASCII, no line breaks, fewer than 100 characters. */
export const SUBJECT_MAX_CHARS = 99;
const ATTRIBUTE_MAX_CHARS = 256;
const SMS_MAX_CHARS = 140;

export class PublishFailedError extends QTriageError {
  override readonly name = 'PublishFailedError';
  readonly topicArn: string;
  readonly alertId: string;
  readonly attempts: number;

  constructor(details: { topicArn: string; alertId: string; attempts: number }, options: { cause: unknown }) {
    super(
      `publishing alert ${details.alertId} to ${details.topicArn} failed after ${details.attempts} attempt(s)`,
      options,
    );
    this.topicArn = details.topicArn;
    this.alertId = details.alertId;
    this.attempts = details.attempts;
  }
}

export interface SnsNotifierOptions {
  /** Built by createSnsClient: its retries are the only ones. */
  readonly client: SNSClient;
  readonly alertsTopicArn: string;
  readonly pagingTopicArn: string;
  readonly logger: Logger;
}

function attribute(value: string): MessageAttributeValue {
  const cleaned = cleanText(value, ATTRIBUTE_MAX_CHARS);
  return { DataType: 'String', StringValue: cleaned === '' ? 'unknown' : cleaned };
}

export function messageAttributes(
  alert: Alert,
  kind: PublishKind,
  messageId?: string,
): Record<string, MessageAttributeValue> {
  return {
    ...(messageId === undefined ? {} : { messageId: attribute(messageId) }),
    severity: attribute(alert.severity),
    category: attribute(alert.category),
    rule: attribute(alert.rule),
    eventName: attribute(dominantEventName(alert)),
    account: attribute(alert.account),
    kind: attribute(kind),
  };
}

export function subjectFor(alert: Alert, kind: PublishKind): string {
  const suffix = asciiText(messageLabel(alert, kind), SUBJECT_MAX_CHARS);
  const head = asciiText(titleLine(alert), SUBJECT_MAX_CHARS - suffix.length);
  return `${head}${suffix}`;
}

/** The per-protocol bodies of one alert (MessageStructure json). */
export function messageBodies(alert: Alert, options: RenderOptions, messageId?: string): Record<string, string> {
  const rendered = renderText(alert, options);
  const text = messageId === undefined ? rendered : `${rendered}\n\nMessage id: ${messageId}`;
  const json = JSON.stringify(
    messageId === undefined ? renderJson(alert, options) : { messageId, ...renderJson(alert, options) },
  );
  return {
    default: text,
    sqs: json,
    lambda: json,
    firehose: json,
    https: JSON.stringify(renderChatbot(alert, options)),
    sms: `${cleanText(titleLine(alert), SMS_MAX_CHARS - 20)} ${cleanText(alert.account, 16)}`.slice(0, SMS_MAX_CHARS),
  };
}

/** What SNS counts against the limit: the message, the subject and every attribute's name, type and value. */
export function publishSize(input: Pick<PublishCommandInput, 'Message' | 'Subject' | 'MessageAttributes'>): number {
  const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? ''),
    0,
  );
  return Buffer.byteLength(input.Message ?? '') + Buffer.byteLength(input.Subject ?? '') + attributes;
}

export interface BuiltPublish {
  readonly input: Omit<PublishCommandInput, 'TopicArn'>;
  readonly bytes: number;
  readonly trimLevel: number;
  readonly truncated: boolean;
}

/** The Publish request for an alert, shortened as far as needed to fit under the SNS limit. */
export function buildPublish(
  alert: Alert,
  kind: PublishKind,
  messageId?: string,
  maxBytes = SNS_MAX_MESSAGE_BYTES - SIZE_MARGIN_BYTES,
): BuiltPublish {
  const Subject = subjectFor(alert, kind);
  const MessageAttributes = messageAttributes(alert, kind, messageId);
  let built: BuiltPublish | undefined;
  for (const [trimLevel, level] of TRIM_LEVELS.entries()) {
    const trimmed = trimAlert(alert, level);
    const Message = JSON.stringify(messageBodies(trimmed.alert, { kind, truncated: trimmed.truncated }, messageId));
    const input = { Message, MessageStructure: 'json', Subject, MessageAttributes };
    built = { input, bytes: publishSize(input), trimLevel, truncated: trimmed.truncated };
    if (built.bytes <= maxBytes) return built;
  }
  // Every rendered field is capped, so the last level is a few KiB at most; SNS rejects it otherwise.
  return built as BuiltPublish;
}

/** FIFO topics need a group and a deduplication id: the message id, the same on every retry. */
function fifoFields(topicArn: string, message: OutgoingMessage): Partial<PublishCommandInput> {
  return topicArn.endsWith('.fifo')
    ? { MessageGroupId: stableId(message.alert.id), MessageDeduplicationId: message.id }
    : {};
}

export function createSnsNotifier(options: SnsNotifierOptions): Notifier {
  const { client, alertsTopicArn, pagingTopicArn, logger } = options;
  const topicOf: Record<Route, string> = { alerts: alertsTopicArn, paging: pagingTopicArn };

  async function publishTo(topicArn: string, message: OutgoingMessage, built: BuiltPublish): Promise<void> {
    const { alert, kind } = message;
    const input: PublishCommandInput = { TopicArn: topicArn, ...built.input, ...fifoFields(topicArn, message) };
    try {
      const output = await client.send(new PublishCommand(input));
      logger.info('alert published', {
        alertId: alert.id,
        topicArn,
        kind,
        messageId: message.id,
        snsMessageId: output.MessageId,
        bytes: built.bytes,
        trimLevel: built.trimLevel,
        attempts: sdkAttempts(output),
      });
    } catch (error) {
      const attempts = sdkAttempts(error);
      logger.error('alert publish failed', {
        alertId: alert.id,
        topicArn,
        kind,
        attempts,
        errorName: errorName(error),
      });
      throw new PublishFailedError({ topicArn, alertId: alert.id, attempts }, { cause: error });
    }
  }

  return {
    async send(message: OutgoingMessage): Promise<void> {
      const built = buildPublish(message.alert, message.kind, message.id);
      if (built.truncated)
        logger.warn('alert shortened to fit SNS', {
          alertId: message.alert.id,
          bytes: built.bytes,
          trimLevel: built.trimLevel,
        });
      await publishTo(topicOf[message.route], message, built);
    },
  };
}
