/** The Q Business answer source: one ChatSync call per question against the playbook-assistant application. */
import {
  ChatSyncCommand,
  QBusinessClient,
  type AttributeFilter,
  type ChatSyncCommandOutput,
  type SourceAttribution,
} from '@aws-sdk/client-qbusiness';
import type { Citation } from '../alerts/model';
import type { ChatMode } from './config';
import { AnswerAbortedError, AnswerSourceError, AnswerThrottledError, NoAnswerError } from './errors';
import { isNoAnswer } from './no-answer';
import type { Answer, AnswerSource, Question } from './types';
import { answerClientConfig, type AnswerClientOptions } from './client-config';
import { errorName } from '../errors';

/** The part of QBusinessClient the source uses, so a client built with any credentials fits. */
export interface ChatSyncClient {
  send(command: ChatSyncCommand, options: { abortSignal: AbortSignal }): Promise<ChatSyncCommandOutput>;
}

export interface QBusinessSourceOptions {
  readonly client: ChatSyncClient;
  readonly applicationId: string;
  readonly chatMode: ChatMode;
  readonly attributeFilter?: AttributeFilter;
}

const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceQuotaExceededException']);

function citationsOf(attributions: readonly (SourceAttribution | null)[] | undefined): Citation[] {
  const seen = new Set<string>();
  const citations: Citation[] = [];
  const ordered = (attributions ?? [])
    .filter((a): a is SourceAttribution => a !== null)
    .sort((a, b) => (a.citationNumber ?? 0) - (b.citationNumber ?? 0));
  for (const attribution of ordered) {
    const title = attribution.title?.trim() || attribution.url?.trim();
    if (title === undefined || title === '') continue;
    const key = `${title}|${attribution.url ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push(
      attribution.url !== undefined && attribution.url !== '' ? { title, url: attribution.url } : { title },
    );
  }
  return citations;
}

export function createQBusinessSource(options: QBusinessSourceOptions): AnswerSource {
  const { client, applicationId, chatMode, attributeFilter } = options;
  return {
    name: 'qbusiness',
    async ask(question: Question, { signal }): Promise<Answer> {
      let output: ChatSyncCommandOutput;
      try {
        output = await client.send(
          new ChatSyncCommand({
            applicationId,
            userMessage: question.text,
            chatMode,
            ...(attributeFilter !== undefined ? { attributeFilter } : {}),
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (signal.aborted || errorName(error) === 'AbortError')
          throw new AnswerAbortedError('ChatSync cancelled: enrichment budget exhausted', { cause: error });
        if (THROTTLING_ERRORS.has(errorName(error)))
          throw new AnswerThrottledError(`ChatSync throttled (${errorName(error)})`, { cause: error });
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        throw new AnswerSourceError(
          `ChatSync failed: ${errorName(error)}${status !== undefined ? ` (HTTP ${status})` : ''}`,
          { cause: error },
        );
      }
      const attributions = output.sourceAttributions ?? [];
      if (isNoAnswer(output.systemMessage, attributions.length)) {
        throw new NoAnswerError('the playbook assistant found nothing relevant');
      }
      return { text: (output.systemMessage ?? '').trim(), citations: citationsOf(attributions) };
    },
  };
}

/** Credentials for the Q Business client: static/role credentials, or a refreshing identity-aware provider. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

/**
 * The one QBusinessClient of the container. `credentials` absent: the function's role (anonymous
 * applications); a provider: identity-aware credentials (Identity Center applications).
 * Settings from answerClientConfig. The client's default handler is HTTP/2 (for the Chat event stream);
 * ChatSync is plain request/response, so HTTP/1.1 serves it.
 */
export function createQBusinessClient(
  options: AnswerClientOptions<AwsCredentials | CredentialsProvider>,
): QBusinessClient {
  return new QBusinessClient(answerClientConfig(options));
}
