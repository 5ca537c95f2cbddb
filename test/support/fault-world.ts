/**
 * The deployed triage wiring under faults: the real handler module, cold-started per container from the
 * environment the template gives it, its real DynamoDB client talking to dynalite through a fault-injecting
 * proxy, its real SNS client talking to an SNS stub, fed by a simulated SQS queue (visibility timeout,
 * partial batch responses, DLQ after 5 receives). Time is Date only (jest's fake clock for Date, real timers),
 * so minutes of outage pass in milliseconds and the SDKs' own retries still run.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startDynamo, type LocalDynamo } from './dynalite';
import { startFaultProxy, type FaultProxy, type ProxiedRequest, type WorldDecision } from './fault-proxy';
import { startHttpStub, type HttpStub } from './http-stub';
import { answeringEnvironment, localTriageEnvironment } from './lambda-env';
import { publishedMessages, snsError, snsPublished, type PublishedMessage } from './sns-stub';
import { SimulatedQueue } from './sqs-queue';
import { SWEEP_REQUEST } from '../../shared/runtime/triage';
import { coldStartTriageInvocation, type TriageInvocation } from './cold-start';

export const ALERTS = 'arn:aws:sns:us-east-1:111122223333:q-triage-faults-alerts';
export const PAGING = 'arn:aws:sns:us-east-1:111122223333:q-triage-faults-paging';
export const VISIBILITY_TIMEOUT_MS = 180_000;
export const MAX_RECEIVE_COUNT = 5;

/** What the SNS stub does with one Publish: accept it, refuse it (retryable or not), or accept it and kill the invocation. */
export type SnsFault = 'accept' | 'down' | 'transient' | 'accept-then-kill';

export interface AcceptedMessage extends PublishedMessage {
  readonly at: number;
  /** performance.now() when SNS accepted it: real time, where `at` is the simulated clock. */
  readonly wallAt: number;
}

export interface FaultWorldOptions {
  readonly containers?: number;
  readonly pagesPerHour?: number;
  readonly batchSize?: number;
  readonly order?: (messageIds: readonly string[]) => readonly string[];
  /** Milliseconds left, by the number of times the invocation asked. */
  readonly remainingMs?: (calls: number) => number;
  /** Enrichment on, from a Q Business ChatSync stub that answers after this many (real) milliseconds. */
  readonly answerDelayMs?: number;
}

export interface FaultWorld {
  readonly queue: SimulatedQueue;
  readonly accepted: AcceptedMessage[];
  /** performance.now() when each ChatSync request reached the answer stub (with `answerDelayMs`). */
  readonly answerRequests: number[];
  snsFault: (message: PublishedMessage, now: number) => SnsFault;
  dynamoFault: (request: ProxiedRequest, now: number) => WorldDecision;
  send(records: readonly Record<string, unknown>[]): void;
  /** Runs the containers until the queue is empty (deleted or dead-lettered), moving the clock to each redelivery. */
  drain(): Promise<void>;
  /** The schedule's invocation: every container sweeps the due incidents at once (EventBridge may deliver twice). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

const now = (): number => Date.now();

/** Fakes only Date (minutes of outage pass in milliseconds); SDK retries, backoff and sockets keep real timers. */
export function fakeDateOnly(start: number): void {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
    now: start,
  });
}

/** A deterministic shuffle (Park–Miller from `seed`), for reshuffled batches (FaultWorldOptions.order). */
export function seededShuffle(seed: number): (ids: readonly string[]) => string[] {
  let state = seed;
  return (ids) => {
    const copy = [...ids];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      state = (state * 48271) % 2147483647;
      const j = state % (i + 1);
      [copy[i], copy[j]] = [copy[j] as string, copy[i] as string];
    }
    return copy;
  };
}

export function envelope(record: Record<string, unknown>): string {
  return JSON.stringify({
    version: '0',
    id: `eb-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.qbusiness',
    account: '111122223333',
    time: record.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: record,
  });
}

export async function startFaultWorld(options: FaultWorldOptions = {}): Promise<FaultWorld> {
  const dynamo: LocalDynamo = await startDynamo();
  const proxy: FaultProxy = await startFaultProxy(dynamo.endpoint);
  const accepted: AcceptedMessage[] = [];
  let killed = false;
  const world = {
    snsFault: (() => 'accept') as FaultWorld['snsFault'],
    dynamoFault: (() => 'forward') as FaultWorld['dynamoFault'],
  };
  const sns: HttpStub = await startHttpStub((request, index) => {
    const [message] = publishedMessages([request]);
    if (message === undefined) return snsPublished(index);
    if (killed) return snsError(500, 'InternalError');
    const fault = world.snsFault(message, now());
    if (fault === 'down') return snsError(400, 'KMSDisabled');
    if (fault === 'transient') return snsError(500, 'InternalError');
    accepted.push({ ...message, at: now(), wallAt: performance.now() });
    if (fault === 'accept-then-kill') killed = true;
    return snsPublished(index);
  });
  proxy.setFault((request) => {
    if (killed) return 'drop';
    const decision = world.dynamoFault(request, now());
    if (decision !== 'kill') return decision;
    killed = true;
    return 'drop';
  });
  const answerRequests: number[] = [];
  const answers =
    options.answerDelayMs === undefined ? undefined : await startAnswerStub(options.answerDelayMs, answerRequests);
  Object.assign(process.env, {
    ...localTriageEnvironment({
      tableName: dynamo.tableName,
      dynamoEndpoint: proxy.endpoint,
      snsEndpoint: sns.endpoint,
      alertsTopicArn: ALERTS,
      pagingTopicArn: PAGING,
      selfPrincipals: 'arn:aws:iam::*:role/q-triage-*',
    }),
    PAGES_PER_HOUR: String(options.pagesPerHour ?? 20),
    ...(answers === undefined ? {} : answeringEnvironment(answers.endpoint)),
  });
  const containers = Array.from({ length: options.containers ?? 1 }, () => coldStartTriageInvocation());
  const queue = new SimulatedQueue({
    visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    order: options.order,
  });

  async function invoke(handler: TriageInvocation, batch: SQSEvent): Promise<void> {
    let calls = 0;
    const context = {
      getRemainingTimeInMillis: () => {
        calls += 1;
        return options.remainingMs?.(calls) ?? 25_000;
      },
    } as unknown as Context;
    try {
      const response = (await handler(batch, context)) as SQSBatchResponse;
      // A killed invocation answers nothing: every message comes back after the visibility timeout.
      if (!killed)
        queue.complete(
          batch,
          response.batchItemFailures.map((failure) => failure.itemIdentifier),
        );
    } catch {
      // A failed invocation: the whole batch comes back after the visibility timeout.
    } finally {
      killed = false;
    }
  }

  return {
    queue,
    accepted,
    answerRequests,
    get snsFault() {
      return world.snsFault;
    },
    set snsFault(fault) {
      world.snsFault = fault;
    },
    get dynamoFault() {
      return world.dynamoFault;
    },
    set dynamoFault(fault) {
      world.dynamoFault = fault;
    },
    send(records) {
      for (const record of records) queue.send(envelope(record), now());
    },
    async drain() {
      for (let round = 0; round < 500 && queue.inFlight > 0; round += 1) {
        const batches = containers.map(() => queue.receive(now(), options.batchSize ?? 10));
        if (batches.every((batch) => batch.Records.length === 0)) {
          const next = queue.nextVisibleAt();
          if (next !== undefined) jest.setSystemTime(Math.max(next, now()));
          continue;
        }
        await Promise.all(
          batches.map((batch, i) =>
            batch.Records.length === 0 ? undefined : invoke(containers[i] as TriageInvocation, batch),
          ),
        );
        jest.setSystemTime(now() + 1000);
      }
    },
    async sweep() {
      const context = { getRemainingTimeInMillis: () => 25_000 } as unknown as Context;
      await Promise.all(containers.map((handler) => handler(SWEEP_REQUEST, context).catch(() => undefined)));
      killed = false;
    },
    async close() {
      await answers?.close();
      await sns.close();
      await proxy.close();
      await dynamo.close();
    },
  };
}

/** A ChatSync stub that answers after `delayMs` of real time, noting when each question came. */
function startAnswerStub(delayMs: number, requests: number[]): Promise<HttpStub> {
  return startHttpStub(() => {
    requests.push(performance.now());
    return {
      status: 200,
      delayMs,
      body: JSON.stringify({
        conversationId: 'c-1',
        systemMessageId: 'm-2',
        systemMessage: 'Restore the index from its data sources; review who deleted it.',
        sourceAttributions: [],
      }),
    };
  });
}

/**
 * A fault world per test, on a fake Date from `start`: the returned function starts it; after each test it is
 * closed, real timers come back and the environment the handler's cold start set is put back.
 */
export function faultWorldPerTest(start: number): (options?: FaultWorldOptions) => Promise<FaultWorld> {
  const savedEnv = { ...process.env };
  let world: FaultWorld | undefined;
  beforeEach(() => {
    fakeDateOnly(start);
  });
  afterEach(async () => {
    await world?.close();
    world = undefined;
    jest.useRealTimers();
    process.env = { ...savedEnv };
  });
  return async (options = {}) => (world = await startFaultWorld(options));
}

/** The write a DynamoDB request makes, by the key prefix of its item: `event`, `burst`, `incident`, `delivery`, `pages`. */
export function writeKind(request: ProxiedRequest): string | undefined {
  if (!['PutItem', 'UpdateItem', 'BatchWriteItem', 'DeleteItem'].includes(request.operation)) return undefined;
  return /"pk":\{"S":"([a-z]+)#/u.exec(request.body)?.[1];
}

export interface Tally {
  readonly expected: number;
  readonly sent: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly phantom: number;
  /** Repeats of one message that did not carry the first one's message id (must be 0: a repeat carries the same id). */
  readonly repeatsWithNewId: number;
}

/** `rule principal` of a message, the way a responder tells incidents apart. */
export const incidentOf = (message: PublishedMessage): string =>
  `${String(message.document.rule)} ${String(message.document.principal)}`;

/**
 * Counts the accepted first messages of a topic against the expected incidents (`rule principal`, a multiset):
 * sent = distinct alerts, duplicated = accepted repeats of one message, lost/phantom = multiset differences.
 */
export function tally(accepted: readonly AcceptedMessage[], topic: string, expected: readonly string[]): Tally {
  // A page is an incident's first reach of HIGH (a new alert, or an update when it rose) or its one rise to
  // CRITICAL: pages are told apart by incident and severity, alerts by incident.
  const paging = topic === PAGING;
  const firsts = accepted.filter(
    (message) =>
      message.topicArn === topic &&
      (paging || message.attributes.kind === 'new') &&
      message.document.rule !== 'page-cap',
  );
  const keyOf = (message: AcceptedMessage): string =>
    paging
      ? `${String(message.document.alertId)}#${String(message.document.severity)}`
      : String(message.document.alertId);
  const byAlert = new Map<string, AcceptedMessage[]>();
  for (const message of firsts) byAlert.set(keyOf(message), [...(byAlert.get(keyOf(message)) ?? []), message]);
  // An incident is named as last announced: its rule is that of its worst subject, which may have risen since its first message.
  const lastOf = (alertId: unknown): AcceptedMessage | undefined =>
    accepted.filter((message) => message.topicArn === topic && message.document.alertId === alertId).at(-1);
  const sent = [...byAlert.values()].map((messages) =>
    incidentOf(lastOf((messages[0] as AcceptedMessage).document.alertId) ?? (messages[0] as AcceptedMessage)),
  );
  const remaining = [...expected];
  let phantom = 0;
  for (const incident of sent) {
    const at = remaining.indexOf(incident);
    if (at < 0) phantom += 1;
    else remaining.splice(at, 1);
  }
  const updates = accepted.filter(
    (message) => !paging && message.topicArn === topic && message.attributes.kind === 'update',
  );
  const updateKeys = updates.map(
    (message) => `${String(message.document.alertId)}#${String(message.document.updates)}`,
  );
  const repeats = [...byAlert.values()].flatMap((messages) =>
    messages.slice(1).map((message) => [messages[0] as AcceptedMessage, message] as const),
  );
  return {
    expected: expected.length,
    sent: byAlert.size,
    lost: remaining.length,
    duplicated: firsts.length - byAlert.size + (updateKeys.length - new Set(updateKeys).size),
    phantom,
    repeatsWithNewId: repeats.filter(
      ([first, repeat]) =>
        first.attributes.messageId === undefined || first.attributes.messageId !== repeat.attributes.messageId,
    ).length,
  };
}

export const summaries = (accepted: readonly AcceptedMessage[]): number =>
  accepted.filter((message) => message.topicArn === PAGING && message.document.rule === 'page-cap').length;
