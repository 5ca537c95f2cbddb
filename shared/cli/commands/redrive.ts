/**
 * `q-triage redrive`: after an outage, move what landed in the dead-letter queue back to the buffer with
 * SQS's own message move task. Safe to run twice: the pipeline triages each CloudTrail eventID once.
 */
import type { Writable } from 'node:stream';
import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { checkAwsSetup, deniedCallError, isAccessDenied, regionOfArn } from '../aws';
import { UsageError, type CliIo, type Command } from '../command';
import { parseCliArgs } from '../options';
import { writeJsonLine, writeText } from '../output';

const USAGE = `Usage: q-triage redrive --dlq-arn ARN [--destination-arn ARN] [--max-per-second N] [--status] [--region R]

Moves the messages of the triage dead-letter queue back to the buffer queue (SQS StartMessageMoveTask).
Every message is an EventBridge event; triage de-duplicates on the CloudTrail eventID, so a message that
was already triaged before it reached the DLQ does not alert twice. The buffer queue admits only the
CloudTrail rules and the roles in the stack parameter queueSenderArns: run this as one of those roles.

Options:
  --dlq-arn ARN          the dead-letter queue: stack output BufferDeadLetterQueueArn (messages triage
                         failed), or RuleDeliveryDeadLetterQueueArn (events EventBridge could not deliver;
                         give --destination-arn, the buffer queue's ARN, for those)
  --destination-arn ARN  where to move them (default: the queue they came from)
  --max-per-second N     throttle the move (default: SQS's own rate)
  --status               only show the recent move tasks of the DLQ
  --format text|json     output format (default text)
  --region R             AWS Region (default: the queue ARN's)

Exit status: 0 started (or listed); 1 SQS refused the call; 2 a bad option, no credentials.`;

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;

export interface RedriveOptions {
  readonly dlqArn: string;
  readonly destinationArn?: string;
  readonly maxPerSecond?: number;
  readonly status: boolean;
  readonly format: 'text' | 'json';
  readonly region?: string;
}

export function parseRedriveOptions(args: readonly string[]): RedriveOptions {
  const { values } = parseCliArgs({
    args: [...args],
    options: {
      'dlq-arn': { type: 'string' },
      'destination-arn': { type: 'string' },
      'max-per-second': { type: 'string' },
      status: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      region: { type: 'string' },
    },
  });
  const dlqArn = values['dlq-arn'];
  if (dlqArn === undefined || !SQS_ARN.test(dlqArn)) throw new UsageError('--dlq-arn must be an SQS queue ARN');
  const destinationArn = values['destination-arn'];
  if (destinationArn !== undefined && !SQS_ARN.test(destinationArn))
    throw new UsageError('--destination-arn must be an SQS queue ARN');
  const rate = values['max-per-second'] === undefined ? undefined : Number(values['max-per-second']);
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500))
    throw new UsageError('--max-per-second must be a whole number from 1 to 500');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  // A queue lives in the Region of its ARN: asking for it elsewhere can only fail.
  const region = regionOfArn(dlqArn);
  if (values.region !== undefined && values.region !== region)
    throw new UsageError(`--region ${values.region}, but the queue ${dlqArn} is in ${region}`);
  return { dlqArn, destinationArn, maxPerSecond: rate, status: values.status, format: values.format, region };
}

/** The call, with a refusal named by its IAM action and the queue. */
async function send<T>(call: () => Promise<T>, action: string, resource: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isAccessDenied(error) ? deniedCallError(error, action, resource) : error;
  }
}

export async function redrive(
  options: RedriveOptions,
  client: Pick<SQSClient, 'send'>,
  stdout: Writable,
): Promise<number> {
  if (!options.status) {
    const started = await send(
      () =>
        client.send(
          new StartMessageMoveTaskCommand({
            SourceArn: options.dlqArn,
            ...(options.destinationArn === undefined ? {} : { DestinationArn: options.destinationArn }),
            ...(options.maxPerSecond === undefined ? {} : { MaxNumberOfMessagesPerSecond: options.maxPerSecond }),
          }),
        ),
      'sqs:StartMessageMoveTask',
      options.dlqArn,
    );
    if (options.format === 'json') writeJsonLine(stdout, { type: 'started', taskHandle: started.TaskHandle });
    else
      writeText(
        stdout,
        `Move task started (handle ${started.TaskHandle ?? 'unknown'}). Run with --status to follow it.`,
      );
  }
  const tasks = await send(
    () => client.send(new ListMessageMoveTasksCommand({ SourceArn: options.dlqArn, MaxResults: 5 })),
    'sqs:ListMessageMoveTasks',
    options.dlqArn,
  );
  for (const task of tasks.Results ?? []) {
    const line = {
      type: 'task',
      status: task.Status,
      moved: task.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task.ApproximateNumberOfMessagesToMove,
      destination: task.DestinationArn,
      started: task.StartedTimestamp === undefined ? undefined : new Date(task.StartedTimestamp).toISOString(),
      failureReason: task.FailureReason,
    };
    if (options.format === 'json') writeJsonLine(stdout, line);
    else
      writeText(
        stdout,
        `${line.started ?? '?'}  ${line.status ?? '?'}  moved ${line.moved}${line.toMove === undefined ? '' : ` of ${line.toMove}`}${line.failureReason === undefined ? '' : `  (${line.failureReason})`}`,
      );
  }
  return 0;
}

export const redriveCommand: Command = {
  name: 'redrive',
  summary: 'Move messages from the dead-letter queue back to the buffer, idempotently',
  usage: USAGE,
  async run(args, io: CliIo) {
    const options = parseRedriveOptions(args);
    const client = new SQSClient(options.region === undefined ? {} : { region: options.region });
    await checkAwsSetup(client);
    return redrive(options, client, io.stdout as Writable);
  },
};
