/** Replies of the SNS Query protocol (what @aws-sdk/client-sns speaks), for test/support/http-stub.ts. */
import type { StubReply, StubRequest } from './http-stub';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export const snsPublished = (index: number): StubReply => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>msg-${index}</MessageId></PublishResult><ResponseMetadata><RequestId>req-${index}</RequestId></ResponseMetadata></PublishResponse>`,
});

export const snsError = (status: number, code: string): StubReply => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${code} from stub</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`,
});

export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string;
  /** The JSON body for machine subscribers (`sqs` key of the per-protocol message). */
  readonly document: { readonly alertId?: string; readonly id?: string; readonly [key: string]: unknown };
  readonly attributes: Record<string, string>;
}

/** Decodes the Publish requests a stub received. */
export function publishedMessages(requests: readonly StubRequest[]): PublishedMessage[] {
  return requests
    .map((request) => new URLSearchParams(request.body))
    .filter((form) => form.get('Action') === 'Publish')
    .map((form) => {
      const attributes: Record<string, string> = {};
      for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
        attributes[form.get(`MessageAttributes.entry.${n}.Name`) ?? ''] =
          form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
      }
      const bodies = JSON.parse(form.get('Message') ?? '{}') as Record<string, string>;
      return {
        topicArn: form.get('TopicArn') ?? '',
        subject: form.get('Subject') ?? '',
        document: JSON.parse(bodies.sqs ?? bodies.default ?? '{}') as PublishedMessage['document'],
        attributes,
      };
    });
}
