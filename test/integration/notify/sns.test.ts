/**
 * The SNS notifier through the real SNSClient over HTTP, against a stub that speaks what the
 * client speaks: the AWS Query protocol (form-encoded `Action=Publish&…`, XML replies).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { createLogger } from '../../../shared/logger';
import { createSnsClient, createSnsNotifier, PublishFailedError } from '../../../shared/notify';
import {
  startHttpStub,
  TEST_CREDENTIALS,
  type HttpStub,
  type StubReply,
  type StubRequest,
} from '../../support/http-stub';
import { HOSTILE_TEXT, makeAlert, sample } from '../../support/alerts';
import { onAlertsTopic } from '../../support/notify';

const ALERTS = 'arn:aws:sns:us-east-1:111122223333:q-triage-alerts';
const PAGING = 'arn:aws:sns:us-east-1:111122223333:q-triage-paging';
const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

const published = (index: number): StubReply => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>msg-${index}</MessageId></PublishResult><ResponseMetadata><RequestId>req-${index}</RequestId></ResponseMetadata></PublishResponse>`,
});

const failure = (status: number, type: 'Sender' | 'Receiver', code: string): StubReply => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${code} from stub</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`,
});

const internalError = (): StubReply => failure(500, 'Receiver', 'InternalError');

/** The rejection of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<PublishFailedError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PublishFailedError)) throw new Error(`expected PublishFailedError, got ${String(error)}`);
  return error;
}

const causeName = (error: PublishFailedError): unknown =>
  error.cause instanceof Error ? error.cause.name : error.cause;

/** The form fields of a Query request. */
function form(request: StubRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

/** `MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue}` back to a map. */
function attributes(params: URLSearchParams): Record<string, string> {
  const result: Record<string, string> = {};
  for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    expect(params.get(`MessageAttributes.entry.${n}.Value.DataType`)).toBe('String');
    result[params.get(`MessageAttributes.entry.${n}.Name`) ?? ''] =
      params.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
  }
  return result;
}

let stub: HttpStub;
const logger = createLogger({ silent: true });

function snsClient(options: { sdkMaxAttempts?: number; requestTimeoutMs?: number } = {}): SNSClient {
  return createSnsClient({
    region: 'us-east-1',
    endpoint: stub.endpoint,
    credentials: TEST_CREDENTIALS,
    ...(options.sdkMaxAttempts !== undefined ? { maxAttempts: options.sdkMaxAttempts } : {}),
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
  });
}

function notifier(client: SNSClient): ReturnType<typeof onAlertsTopic> {
  return onAlertsTopic(createSnsNotifier({ client, alertsTopicArn: ALERTS, pagingTopicArn: PAGING, logger }));
}

const publishRequests = (): StubRequest[] =>
  stub.requests.filter((request) => form(request).get('Action') === 'Publish');

beforeEach(async () => {
  stub = await startHttpStub((_request, index) => published(index));
});

afterEach(async () => {
  await stub.close();
});

describe('SNS notifier over the Query protocol', () => {
  test('sends Publish with the topic, JSON structure, subject and attributes', async () => {
    await notifier(snsClient()).publish(makeAlert({ severity: 'MEDIUM' }), 'new');

    const params = form(publishRequests()[0] ?? { method: '', path: '', headers: {}, body: '' });
    expect(params.get('TopicArn')).toBe(ALERTS);
    expect(params.get('MessageStructure')).toBe('json');
    expect(params.get('Subject')).toBe('[MEDIUM] Q Business application deleted');
    expect(attributes(params)).toEqual({
      messageId: 'msg-1',
      severity: 'MEDIUM',
      category: 'application',
      rule: 'playbook/DeleteApplication',
      eventName: 'DeleteApplication',
      account: '111122223333',
      kind: 'new',
    });
  });

  test('delivers bodies that decode to text, the JSON document and the Chatbot notification', async () => {
    await notifier(snsClient()).publish(
      makeAlert({ severity: 'LOW', samples: [sample({ userAgent: HOSTILE_TEXT })] }),
      'new',
    );

    const message = JSON.parse(
      form(publishRequests()[0] ?? { method: '', path: '', headers: {}, body: '' }).get('Message') ?? '{}',
    ) as Record<string, string>;
    expect(message.default?.split('\n')[0]).toBe('[LOW] Q Business application deleted');
    expect(JSON.parse(message.sqs ?? '{}')).toMatchObject({
      type: 'alert',
      alertId: 'alert-7f3a',
      principal: 'arn:aws:iam::111122223333:user/alice',
    });
    expect(JSON.parse(message.https ?? '{}')).toMatchObject({
      version: '1.0',
      source: 'custom',
      metadata: { threadId: 'alert-7f3a' },
    });
    // eslint-disable-next-line no-control-regex -- finding raw control characters is the point of the test
    expect(message.default).not.toMatch(/[\u001b\u202e]/u);
  });

  test('publishes a page to the paging topic only', async () => {
    const subject = createSnsNotifier({ client: snsClient(), alertsTopicArn: ALERTS, pagingTopicArn: PAGING, logger });

    await subject.send({ id: 'msg-1', route: 'paging', alert: makeAlert({ severity: 'CRITICAL' }), kind: 'new' });

    expect(publishRequests().map((request) => form(request).get('TopicArn'))).toEqual([PAGING]);
  });

  test.each([
    ['Throttling', 400],
    ['Throttled', 429],
    ['KMSThrottling', 400],
  ] as const)('publishes exactly once after a %s reply', async (code, status) => {
    stub.setHandler((_request, index) => (index === 0 ? failure(status, 'Sender', code) : published(index)));

    await notifier(snsClient()).publish(makeAlert({ severity: 'LOW' }), 'new');

    expect(publishRequests()).toHaveLength(2);
  });

  test('publishes after a 500', async () => {
    stub.setHandler((_request, index) => (index === 0 ? internalError() : published(index)));

    await expect(notifier(snsClient()).publish(makeAlert({ severity: 'LOW' }), 'new')).resolves.toBeUndefined();
    expect(publishRequests()).toHaveLength(2);
  });

  test("gives up with PublishFailedError after the SDK's attempts when SNS stays down", async () => {
    stub.setHandler(() => internalError());

    const error = await rejection(
      notifier(snsClient({ sdkMaxAttempts: 3 })).publish(makeAlert({ severity: 'LOW' }), 'new'),
    );

    expect(error.attempts).toBe(3);
    expect(causeName(error)).toBe('InternalErrorException');
    expect(publishRequests()).toHaveLength(3);
  });

  test('does not retry an authorization failure', async () => {
    stub.setHandler(() => failure(403, 'Sender', 'AuthorizationError'));

    const error = await rejection(notifier(snsClient()).publish(makeAlert({ severity: 'LOW' }), 'new'));

    expect(error.attempts).toBe(1);
    expect(causeName(error)).toBe('AuthorizationErrorException');
    expect(publishRequests()).toHaveLength(1);
  });

  test('retries past a server slower than the request timeout', async () => {
    stub.setHandler((_request, index) => (index === 0 ? { ...published(index), delayMs: 2000 } : published(index)));

    await notifier(snsClient({ requestTimeoutMs: 100 })).publish(makeAlert({ severity: 'LOW' }), 'new');

    expect(publishRequests()).toHaveLength(2);
  });

  test('fails with the timeout as cause when the server never answers in time', async () => {
    stub.setHandler((_request, index) => ({ ...published(index), delayMs: 2000 }));

    const error = await rejection(
      notifier(snsClient({ requestTimeoutMs: 100, sdkMaxAttempts: 2 })).publish(makeAlert({ severity: 'LOW' }), 'new'),
    );

    expect(error.attempts).toBe(2);
    expect(causeName(error)).toBe('TimeoutError');
    expect(publishRequests()).toHaveLength(2);
  });
});
