/**
 * The scheduled readiness check: run the doctor, compare with the previous run (state table
 * `pk=readiness`, `sk=last`) and alert once when a check that passed no longer does.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { CHECK_STATUSES, runDoctor, type CheckResult, type DoctorDeps } from './checks';

export interface ReadinessStore {
  previous(): Promise<readonly CheckResult[] | undefined>;
  save(results: readonly CheckResult[], at: number): Promise<void>;
}

const storedSchema = z.object({
  results: z.array(z.object({ id: z.string(), status: z.enum(CHECK_STATUSES), detail: z.string(), fix: z.string() })),
});

export const READINESS_KEY = { pk: 'readiness', sk: 'last' } as const;
/** The last result is kept long enough to survive a paused schedule. */
const READINESS_TTL_SECONDS = 30 * 86_400;

export class DynamoReadinessStore implements ReadinessStore {
  constructor(
    private readonly options: {
      readonly client: DynamoDBDocumentClient;
      readonly tableName: string;
      readonly logger: Logger;
    },
  ) {}

  async previous(): Promise<readonly CheckResult[] | undefined> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: READINESS_KEY }),
    );
    if (Item === undefined) return undefined;
    const parsed = z.safeParse(storedSchema, Item);
    if (!parsed.success) {
      this.options.logger.warn('readiness: previous result unreadable, treated as absent');
      return undefined;
    }
    return parsed.data.results;
  }

  async save(results: readonly CheckResult[], at: number): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: {
          ...READINESS_KEY,
          results,
          checkedAt: new Date(at).toISOString(),
          ttl: Math.floor(at / 1000) + READINESS_TTL_SECONDS,
        },
      }),
    );
  }
}

export class MemoryReadinessStore implements ReadinessStore {
  private last: readonly CheckResult[] | undefined;
  async previous(): Promise<readonly CheckResult[] | undefined> {
    return this.last;
  }
  async save(results: readonly CheckResult[]): Promise<void> {
    this.last = results;
  }
}

export interface Regression {
  readonly id: string;
  readonly from: 'PASS';
  readonly to: 'WARN' | 'FAIL';
  readonly detail: string;
  readonly fix: string;
}

/** Checks that passed last time and now warn or fail. A check seen for the first time is not a regression. */
export function findRegressions(previous: readonly CheckResult[], current: readonly CheckResult[]): Regression[] {
  const before = new Map(previous.map((result) => [result.id, result.status]));
  return current
    .filter((result) => before.get(result.id) === 'PASS' && result.status !== 'PASS')
    .map((result) => ({
      id: result.id,
      from: 'PASS',
      to: result.status as 'WARN' | 'FAIL',
      detail: result.detail,
      fix: result.fix,
    }));
}

export function regressionMessage(
  regressions: readonly Regression[],
  account: string | undefined,
): { subject: string; body: string } {
  const subject = `[MEDIUM] q-triage readiness regressed: ${regressions.length} check(s)`.slice(0, 99);
  const lines = [
    `q-triage readiness regressed${account !== undefined ? ` in account ${account}` : ''}.`,
    '',
    ...regressions.flatMap((regression) => [
      `${regression.id}: ${regression.from} -> ${regression.to}`,
      `  ${regression.detail}`,
      `  Fix: ${regression.fix}`,
    ]),
    '',
    'Run `q-triage doctor` for the full report.',
  ];
  return { subject, body: lines.join('\n') };
}

export interface ReadinessDeps {
  readonly doctor: DoctorDeps;
  readonly store: ReadinessStore;
  readonly sns: SNSClient;
  readonly alertsTopicArn: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly account?: string;
}

export interface ReadinessOutcome {
  readonly results: readonly CheckResult[];
  readonly regressions: readonly Regression[];
  readonly published: boolean;
}

export async function runReadinessCheck(deps: ReadinessDeps): Promise<ReadinessOutcome> {
  const results = await runDoctor(deps.doctor);
  const previous = await deps.store.previous();
  const regressions = previous === undefined ? [] : findRegressions(previous, results);
  for (const result of results) deps.logger.info('readiness check', { check: result.id, status: result.status });
  let published = false;
  if (regressions.length > 0) {
    const message = regressionMessage(regressions, deps.account);
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.alertsTopicArn,
        Subject: message.subject,
        Message: message.body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'MEDIUM' },
          category: { DataType: 'String', StringValue: 'readiness' },
          rule: { DataType: 'String', StringValue: 'readiness-regression' },
        },
      }),
    );
    published = true;
    deps.logger.warn('readiness regressed', { regressions: regressions.map((regression) => regression.id) });
  }
  // Saved after publishing: if the publish fails, the next run finds the same regression again.
  await deps.store.save(results, deps.clock.now());
  return { results, regressions, published };
}
