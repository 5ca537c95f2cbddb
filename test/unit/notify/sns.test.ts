import { PublishCommand, SNSClient, SNSServiceException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createLogger } from '../../../shared/logger';
import { createSnsNotifier, PublishFailedError, SNS_MAX_MESSAGE_BYTES, buildPublish } from '../../../shared/notify';
import { HOSTILE_TEXT, hugeAlert, makeAlert, sample } from '../../support/alerts';
import { onAlertsTopic } from '../../support/notify';

const ALERTS = 'arn:aws:sns:us-east-1:111122223333:q-triage-alerts';
const PAGING = 'arn:aws:sns:us-east-1:111122223333:q-triage-paging';
const snsMock = mockClient(SNSClient);

function notifier() {
  return onAlertsTopic(
    createSnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      alertsTopicArn: ALERTS,
      pagingTopicArn: PAGING,
      logger: createLogger({ silent: true }),
    }),
  );
}

function published(): PublishCommandInput[] {
  return snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

function firstPublish(): PublishCommandInput {
  const input = published()[0];
  if (input === undefined) throw new Error('nothing published');
  return input;
}

function bodies(input: PublishCommandInput): Record<string, string> {
  return JSON.parse(input.Message ?? '{}') as Record<string, string>;
}

function requestBytes(input: PublishCommandInput): number {
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

function serviceError(name: string, status: number, attempts = 1): SNSServiceException {
  return new SNSServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts },
    message: name,
  });
}

beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('SNS notifier: message', () => {
  test('sets the five filterable attributes as Strings, plus the kind and the message id', async () => {
    await notifier().publish(makeAlert({ severity: 'MEDIUM' }), 'new');

    expect(firstPublish().MessageAttributes).toEqual({
      messageId: { DataType: 'String', StringValue: 'msg-1' },
      severity: { DataType: 'String', StringValue: 'MEDIUM' },
      category: { DataType: 'String', StringValue: 'application' },
      rule: { DataType: 'String', StringValue: 'playbook/DeleteApplication' },
      eventName: { DataType: 'String', StringValue: 'DeleteApplication' },
      account: { DataType: 'String', StringValue: '111122223333' },
      kind: { DataType: 'String', StringValue: 'new' },
    });
  });

  test('publishes per-protocol bodies: text by default, JSON for queues and functions, Chatbot over https', async () => {
    await notifier().publish(makeAlert(), 'new');

    const input = firstPublish();
    const body = bodies(input);
    expect(input.MessageStructure).toBe('json');
    expect(body.default?.startsWith('[HIGH] Q Business application deleted')).toBe(true);
    expect(JSON.parse(body.sqs ?? '{}')).toMatchObject({ type: 'alert', alertId: 'alert-7f3a', severity: 'HIGH' });
    expect(body.lambda).toBe(body.sqs);
    expect(body.firehose).toBe(body.sqs);
    expect(JSON.parse(body.https ?? '{}')).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
  });

  test('keeps the subject under 100 ASCII characters with no line breaks', async () => {
    await notifier().publish(makeAlert({ title: `Zoë ${HOSTILE_TEXT} ${'long '.repeat(50)}` }), 'update');

    const subject = firstPublish().Subject ?? '';
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\u0020-\u007e]+$/u);
    expect(subject.endsWith('(update 0)')).toBe(true);
  });

  test('escapes a hostile userAgent in every body', async () => {
    await notifier().publish(makeAlert({ samples: [sample({ userAgent: HOSTILE_TEXT })] }), 'new');

    const body = bodies(firstPublish());
    for (const [protocol, text] of Object.entries(body)) {
      // eslint-disable-next-line no-control-regex -- finding raw control characters is the point of the test
      expect([protocol, /[\u001b\r\u202e\u2066]/u.test(text)]).toEqual([protocol, false]);
    }
    expect(body.https).not.toMatch(/@here|<!channel>|https:\/\/evil/u);
  });

  test('caps and cleans attacker-controlled attribute values', async () => {
    await notifier().publish(makeAlert({ eventNames: { [`Evil\r\n${'A'.repeat(500)}`]: 3 } }), 'new');

    const value = firstPublish().MessageAttributes?.eventName?.StringValue ?? '';
    expect(value).not.toMatch(/[\r\n]/u);
    expect(value.length).toBeLessThan(300);
  });

  test('adds group and deduplication ids on FIFO topics only', async () => {
    const fifo = onAlertsTopic(
      createSnsNotifier({
        client: new SNSClient({ region: 'us-east-1' }),
        alertsTopicArn: `${ALERTS}.fifo`,
        pagingTopicArn: PAGING,
        logger: createLogger({ silent: true }),
      }),
    );

    await fifo.publish(makeAlert({ severity: 'LOW' }), 'new');
    await notifier().publish(makeAlert({ severity: 'LOW' }), 'new');

    const [onFifo, onStandard] = published();
    expect(onFifo?.MessageDeduplicationId).toBe('msg-1');
    expect(onFifo?.MessageGroupId).toBeDefined();
    expect(onStandard?.MessageDeduplicationId).toBeUndefined();
  });
});

describe('SNS notifier: routes and message ids', () => {
  test.each([
    ['alerts', ALERTS],
    ['paging', PAGING],
  ] as const)('a message for the %s route goes to its topic only', async (route, topic) => {
    const subject = createSnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      alertsTopicArn: ALERTS,
      pagingTopicArn: PAGING,
      logger: createLogger({ silent: true }),
    });

    await subject.send({ id: 'msg-7', route, alert: makeAlert({ severity: 'CRITICAL' }), kind: 'new' });

    expect(published().map((input) => input.TopicArn)).toEqual([topic]);
  });

  test('carries the message id in the JSON body, the text body and an attribute, so a subscriber can drop a repeat', async () => {
    await notifier().publish(makeAlert(), 'new');

    const input = firstPublish();
    expect(JSON.parse(bodies(input).sqs ?? '{}')).toMatchObject({ messageId: 'msg-1' });
    expect(bodies(input).default).toContain('Message id: msg-1');
    expect(input.MessageAttributes?.messageId).toEqual({ DataType: 'String', StringValue: 'msg-1' });
  });
});

describe('SNS notifier: size', () => {
  test('shortens a huge alert to fit under 256 KiB and marks it truncated', async () => {
    await notifier().publish(hugeAlert(), 'new');

    const input = firstPublish();
    const body = bodies(input);
    expect(requestBytes(input)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
    expect(JSON.parse(body.sqs ?? '{}')).toMatchObject({ truncated: true, alertId: 'alert-7f3a', count: 5000 });
    expect(body.default).toContain('lists were shortened');
  });

  test('keeps the newest event ids when shortening', () => {
    const built = buildPublish(hugeAlert(), 'new');

    const doc = JSON.parse(bodies({ Message: built.input.Message }).sqs ?? '{}') as { eventIds: string[] };
    expect(doc.eventIds.at(-1)).toBe(`event-004999-${'f'.repeat(24)}`);
  });

  test('keeps the resources of the operations it keeps, fewer of them, and marks it truncated', () => {
    const built = buildPublish(hugeAlert(), 'new');

    const doc = JSON.parse(bodies({ Message: built.input.Message }).sqs ?? '{}') as {
      eventNames: Record<string, number>;
      resources: { eventName: string; resources: unknown[] }[];
    };
    expect(doc.resources.length).toBeGreaterThan(0);
    for (const operation of doc.resources) {
      expect(Object.keys(doc.eventNames)).toContain(operation.eventName);
      expect(operation.resources.length).toBeLessThan(10);
    }
  });

  test('leaves a normal alert untouched', () => {
    const built = buildPublish(makeAlert(), 'new');

    expect(built.truncated).toBe(false);
    expect(built.trimLevel).toBe(0);
  });
});

// Retries are the SDK's (shared/notify/client.ts), proven against an SNS stub in test/integration/notify/sns.test.ts;
// the mocked client here answers each send once.
describe('SNS notifier: failures', () => {
  test('throws PublishFailedError with the cause and the attempts the SDK made', async () => {
    const cause = serviceError('Throttling', 400, 4);
    snsMock.on(PublishCommand).rejects(cause);

    const result = notifier().publish(makeAlert({ severity: 'LOW' }), 'new');

    await expect(result).rejects.toBeInstanceOf(PublishFailedError);
    await expect(result).rejects.toMatchObject({
      attempts: 4,
      topicArn: ALERTS,
      cause,
      message: expect.stringContaining('failed after 4 attempt(s)'),
    });
    expect(published()).toHaveLength(1);
  });

  test('names the paging topic when a page fails', async () => {
    snsMock.on(PublishCommand, { TopicArn: PAGING }).rejects(serviceError('AuthorizationError', 403));
    const subject = createSnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      alertsTopicArn: ALERTS,
      pagingTopicArn: PAGING,
      logger: createLogger({ silent: true }),
    });

    await expect(
      subject.send({ id: 'msg-1', route: 'paging', alert: makeAlert({ severity: 'CRITICAL' }), kind: 'new' }),
    ).rejects.toMatchObject({ topicArn: PAGING, attempts: 1 });
  });
});
