import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { UsageError } from '../../../shared/cli/command';
import { parseRedriveOptions, redrive } from '../../../shared/cli/commands/redrive';
import { TextCapture } from '../../support/streams';

const DLQ = 'arn:aws:sqs:us-east-1:111122223333:q-triage-dev-buffer-dlq';
const sqs = mockClient(SQSClient);

beforeEach(() => {
  sqs.reset();
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'handle-1' });
  sqs.on(ListMessageMoveTasksCommand).resolves({
    Results: [
      {
        Status: 'RUNNING',
        ApproximateNumberOfMessagesMoved: 3,
        ApproximateNumberOfMessagesToMove: 10,
        SourceArn: DLQ,
        StartedTimestamp: Date.parse('2026-11-20T14:00:00Z'),
      },
    ],
  });
});

test('starts an SQS message move task from the DLQ back to its source queue and reports progress', async () => {
  const out = new TextCapture();

  const code = await redrive(
    parseRedriveOptions(['--dlq-arn', DLQ, '--max-per-second', '50', '--format', 'json']),
    new SQSClient({ region: 'us-east-1' }),
    out,
  );

  expect(code).toBe(0);
  expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
    SourceArn: DLQ,
    MaxNumberOfMessagesPerSecond: 50,
  });
  const lines = out.text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toEqual([
    { type: 'started', taskHandle: 'handle-1' },
    expect.objectContaining({ type: 'task', status: 'RUNNING', moved: 3, toMove: 10 }),
  ]);
});

test('--status only lists tasks and moves nothing', async () => {
  await redrive(
    parseRedriveOptions(['--dlq-arn', DLQ, '--status']),
    new SQSClient({ region: 'us-east-1' }),
    new TextCapture(),
  );

  expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  expect(sqs.commandCalls(ListMessageMoveTasksCommand)).toHaveLength(1);
});

test.each([
  [['--dlq-arn', 'not-an-arn'], /--dlq-arn/],
  [['--dlq-arn', DLQ, '--max-per-second', '0'], /--max-per-second/],
  [[], /--dlq-arn/],
])('rejects bad arguments %j', (args, message) => {
  expect(() => parseRedriveOptions(args)).toThrow(UsageError);
  expect(() => parseRedriveOptions(args)).toThrow(message);
});

test('takes the Region from the queue ARN', () => {
  expect(parseRedriveOptions(['--dlq-arn', DLQ]).region).toBe('us-east-1');
});

test("refuses a --region other than the queue ARN's", () => {
  expect(() => parseRedriveOptions(['--dlq-arn', DLQ, '--region', 'eu-west-1'])).toThrow(
    '--region eu-west-1, but the queue',
  );
});

test('a refused call names the IAM action and the queue', async () => {
  sqs
    .on(StartMessageMoveTaskCommand)
    .rejects(
      Object.assign(
        new Error(
          'User: arn:aws:sts::111122223333:assumed-role/ops/me is not authorized to perform: sqs:StartMessageMoveTask',
        ),
        { name: 'AccessDeniedException' },
      ),
    );

  const run = redrive(
    parseRedriveOptions(['--dlq-arn', DLQ]),
    new SQSClient({ region: 'us-east-1' }),
    new TextCapture(),
  );

  await expect(run).rejects.toThrow(`access denied: sqs:StartMessageMoveTask on ${DLQ}`);
});
