/**
 * The Amazon Bedrock Knowledge Base answer source, for accounts without Q Business: `RetrieveAndGenerate`
 * with a model ARN (an answer written from the retrieved playbook passages, with citations), or `Retrieve`
 * alone when no model is configured (the best passages themselves, cited; no model, no generation cost).
 * Errors, "no answer" and citations are handled as for ChatSync.
 */
import {
  BedrockAgentRuntimeClient,
  RetrieveAndGenerateCommand,
  RetrieveCommand,
  type RetrievalResultLocation,
  type RetrieveAndGenerateCommandOutput,
  type RetrieveCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { Citation } from '../alerts/model';
import { AnswerAbortedError, AnswerSourceError, AnswerThrottledError, NoAnswerError } from './errors';
import { isNoAnswer } from './no-answer';
import type { Answer, AnswerSource, Question } from './types';
import { answerClientConfig, type AnswerClientOptions } from './client-config';
import { errorName } from '../errors';

/** The part of the client the source uses. */
export interface KnowledgeBaseClient {
  send(
    command: RetrieveAndGenerateCommand,
    options: { abortSignal: AbortSignal },
  ): Promise<RetrieveAndGenerateCommandOutput>;
  send(command: RetrieveCommand, options: { abortSignal: AbortSignal }): Promise<RetrieveCommandOutput>;
}

export interface BedrockKbSourceOptions {
  readonly client: KnowledgeBaseClient;
  readonly knowledgeBaseId: string;
  /** With a model: RetrieveAndGenerate. Without: Retrieve alone. */
  readonly modelArn?: string;
  /** Passages retrieved per question. */
  readonly numberOfResults?: number;
}

const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceQuotaExceededException']);
const DEFAULT_RESULTS = 5;
/** Retrieve alone answers with the best passages, each trimmed like a local section. */
const RETRIEVED_PASSAGES = 3;
const PASSAGE_CHARS = 480;

function failure(operation: string, error: unknown, signal: AbortSignal): Error {
  if (signal.aborted || errorName(error) === 'AbortError')
    return new AnswerAbortedError(`${operation} cancelled: enrichment budget exhausted`, { cause: error });
  if (THROTTLING_ERRORS.has(errorName(error)))
    return new AnswerThrottledError(`${operation} throttled (${errorName(error)})`, { cause: error });
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return new AnswerSourceError(
    `${operation} failed: ${errorName(error)}${status !== undefined ? ` (HTTP ${status})` : ''}`,
    { cause: error },
  );
}

/** The document a passage came from: its S3 URI (or web URL), titled by the file name. */
function citationOf(location: RetrievalResultLocation | undefined): Citation | undefined {
  const url =
    location?.s3Location?.uri ??
    location?.webLocation?.url ??
    location?.confluenceLocation?.url ??
    location?.sharePointLocation?.url;
  if (url === undefined || url === '') return undefined;
  const title = decodeURIComponent(
    url
      .replace(/[?#].*$/, '')
      .split('/')
      .filter(Boolean)
      .pop() ?? url,
  );
  return { title, url };
}

function uniqueCitations(locations: readonly (RetrievalResultLocation | undefined)[]): Citation[] {
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const citation of locations.map(citationOf)) {
    if (citation === undefined || seen.has(citation.url ?? citation.title)) continue;
    seen.add(citation.url ?? citation.title);
    citations.push(citation);
  }
  return citations;
}

function trimmed(text: string): string {
  const flat = text.replace(/\s+\n/g, '\n').trim();
  return flat.length <= PASSAGE_CHARS ? flat : `${flat.slice(0, PASSAGE_CHARS).trimEnd()} …`;
}

export function createBedrockKbSource(options: BedrockKbSourceOptions): AnswerSource {
  const { client, knowledgeBaseId, modelArn } = options;
  const retrievalConfiguration = {
    vectorSearchConfiguration: { numberOfResults: options.numberOfResults ?? DEFAULT_RESULTS },
  };

  async function generate(question: Question, signal: AbortSignal, model: string): Promise<Answer> {
    let output: RetrieveAndGenerateCommandOutput;
    try {
      output = await client.send(
        new RetrieveAndGenerateCommand({
          input: { text: question.text },
          retrieveAndGenerateConfiguration: {
            type: 'KNOWLEDGE_BASE',
            knowledgeBaseConfiguration: { knowledgeBaseId, modelArn: model, retrievalConfiguration },
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw failure('RetrieveAndGenerate', error, signal);
    }
    const references = (output.citations ?? []).flatMap((citation) => citation.retrievedReferences ?? []);
    const text = (output.output?.text ?? '').trim();
    if (isNoAnswer(text, references.length)) throw new NoAnswerError('the knowledge base found nothing relevant');
    return { text, citations: uniqueCitations(references.map((reference) => reference.location)) };
  }

  async function retrieve(question: Question, signal: AbortSignal): Promise<Answer> {
    let output: RetrieveCommandOutput;
    try {
      output = await client.send(
        new RetrieveCommand({ knowledgeBaseId, retrievalQuery: { text: question.text }, retrievalConfiguration }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw failure('Retrieve', error, signal);
    }
    const passages = (output.retrievalResults ?? [])
      .filter((result) => (result.content?.text ?? '').trim() !== '')
      .slice(0, RETRIEVED_PASSAGES);
    if (passages.length === 0) throw new NoAnswerError('the knowledge base returned no passage');
    return {
      text: passages.map((passage) => trimmed(passage.content?.text ?? '')).join('\n\n'),
      citations: uniqueCitations(passages.map((passage) => passage.location)),
    };
  }

  return {
    name: 'bedrock-kb',
    ask: (question, { signal }) =>
      modelArn !== undefined ? generate(question, signal, modelArn) : retrieve(question, signal),
  };
}

/** The one client of the container (answerClientConfig: SDK retries off, the enricher retries). */
export function createBedrockKbClient(
  options: AnswerClientOptions<{ accessKeyId: string; secretAccessKey: string }>,
): BedrockAgentRuntimeClient {
  return new BedrockAgentRuntimeClient(answerClientConfig(options));
}
