/**
 * An SQS queue as the triage function sees it: messages received in batches become invisible for the
 * visibility timeout, the ones a partial batch response names (or all, when the invocation fails) come back
 * after it, and a message received more than `maxReceiveCount` times moves to the dead-letter queue.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
  visibleAt: number;
}

export interface SimulatedQueueOptions {
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  /** Batches are drawn in this order of the visible messages (a shuffle for reshuffled batches). */
  readonly order?: (messages: readonly string[]) => readonly string[];
}

export class SimulatedQueue {
  private readonly messages = new Map<string, QueuedMessage>();
  readonly deadLetters: { messageId: string; body: string }[] = [];
  private sent = 0;

  constructor(private readonly options: SimulatedQueueOptions) {}

  send(body: string, now: number): string {
    this.sent += 1;
    const messageId = `sqs-${this.sent}`;
    this.messages.set(messageId, { messageId, body, receiveCount: 0, visibleAt: now });
    return messageId;
  }

  get inFlight(): number {
    return this.messages.size;
  }

  /** When the next message becomes visible (undefined when the queue is empty). */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const message of this.messages.values())
      next = next === undefined ? message.visibleAt : Math.min(next, message.visibleAt);
    return next;
  }

  /** Up to `max` visible messages, now invisible; those past the receive limit go to the DLQ instead. */
  receive(now: number, max = 10): SQSEvent {
    const visible = [...this.messages.values()]
      .filter((message) => message.visibleAt <= now)
      .map((message) => message.messageId);
    const ordered = this.options.order?.(visible) ?? visible;
    const records: SQSRecord[] = [];
    for (const messageId of ordered) {
      if (records.length >= max) break;
      const message = this.messages.get(messageId) as QueuedMessage;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.delete(messageId);
        this.deadLetters.push({ messageId, body: message.body });
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.options.visibilityTimeoutMs;
      records.push({
        messageId,
        receiptHandle: `${messageId}-${message.receiveCount}`,
        body: message.body,
        attributes: { ApproximateReceiveCount: String(message.receiveCount) } as SQSRecord['attributes'],
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q-triage-faults-buffer',
        awsRegion: 'us-east-1',
      });
    }
    return { Records: records };
  }

  /** Deletes the batch's messages except those returned as failures. */
  complete(batch: SQSEvent, failures: readonly string[]): void {
    const failed = new Set(failures);
    for (const record of batch.Records) if (!failed.has(record.messageId)) this.messages.delete(record.messageId);
  }

  /** `q-triage redrive`: every dead letter back on the queue, received afresh. */
  redrive(now: number): void {
    for (const { body } of this.deadLetters.splice(0)) this.send(body, now);
  }
}
