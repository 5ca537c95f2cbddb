/**
 * The Bedrock knowledge base source through the real BedrockAgentRuntimeClient against a local stub speaking
 * the agent runtime's REST-JSON: RetrieveAndGenerate with a model ARN, Retrieve alone without one.
 */
import { fixedClock } from '../../../shared/clock';
import { createEnricher, MemoryAnswerCache } from '../../../shared/enrich';
import { createBedrockKbClient, createBedrockKbSource } from '../../../shared/enrich/bedrock-kb';
import { createLogger } from '../../../shared/logger';
import { startHttpStub, TEST_CREDENTIALS, type HttpStub, type StubReply } from '../../support/http-stub';
import { alertFor, hostileAlert, INJECTION } from '../../support/alerts';

const KB = 'KBQTRIAGE1';
const MODEL = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0';
const reference = (uri: string, text: string) => ({ content: { text }, location: { type: 'S3', s3Location: { uri } } });

const generated = (text: string, references: object[]): StubReply => ({
  status: 200,
  body: JSON.stringify({
    sessionId: 's-1',
    output: { text },
    citations: [
      {
        generatedResponsePart: { textResponsePart: { text, span: { start: 0, end: text.length } } },
        retrievedReferences: references,
      },
    ],
  }),
});
const retrieved = (results: object[]): StubReply => ({
  status: 200,
  body: JSON.stringify({ retrievalResults: results }),
});
const errorReply = (status: number, type: string): StubReply => ({
  status,
  headers: { 'x-amzn-errortype': type },
  body: JSON.stringify({ message: `${type} from stub` }),
});

describe('Bedrock knowledge base source over HTTP', () => {
  let stub: HttpStub;

  beforeAll(async () => {
    stub = await startHttpStub(() => retrieved([]));
  });
  afterAll(async () => {
    await stub.close();
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });

  function enricher(options: { modelArn?: string; budgetMs?: number } = {}) {
    const clock = fixedClock(Date.parse('2026-05-01T10:00:00Z'));
    const client = createBedrockKbClient({
      region: 'us-east-1',
      endpoint: stub.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const source = createBedrockKbSource({
      client,
      knowledgeBaseId: KB,
      ...(options.modelArn !== undefined ? { modelArn: options.modelArn } : {}),
    });
    return createEnricher({
      source,
      cache: new MemoryAnswerCache(clock, 3600),
      playbookVersion: async () => 'v1',
      clock,
      logger: createLogger({ silent: true }),
      budgetMs: options.budgetMs ?? 1000,
      retry: { baseMs: 5, maxDelayMs: 20, maxAttempts: 3 },
    });
  }

  test('posts RetrieveAndGenerate with the knowledge base, the model and our question, and answers with cited files', async () => {
    stub.setHandler(() =>
      generated('1. Delete the unapproved plugin.', [
        reference('s3://acme-aws-playbooks/docs/Amazon_Q.md', 'Containment and Eradication'),
        reference('s3://acme-aws-playbooks/docs/Amazon_Q.md', 'Recovery'),
      ]),
    );

    const enrichment = await enricher({ modelArn: MODEL }).enrich(alertFor('playbook/CreatePlugin'));

    const request = stub.requests[0];
    expect(`${request?.method} ${request?.path}`).toBe('POST /retrieveAndGenerate');
    const body = JSON.parse(request?.body ?? '{}') as {
      input: { text: string };
      retrieveAndGenerateConfiguration: {
        type: string;
        knowledgeBaseConfiguration: { knowledgeBaseId: string; modelArn: string };
      };
    };
    expect(body.retrieveAndGenerateConfiguration).toMatchObject({
      type: 'KNOWLEDGE_BASE',
      knowledgeBaseConfiguration: { knowledgeBaseId: KB, modelArn: MODEL },
    });
    expect(body.input.text).toContain('CreatePlugin');
    expect(enrichment).toMatchObject({
      status: 'answered',
      source: 'bedrock-kb',
      answer: '1. Delete the unapproved plugin.',
    });
    expect(enrichment.citations).toEqual([{ title: 'Amazon_Q.md', url: 's3://acme-aws-playbooks/docs/Amazon_Q.md' }]);
  });

  test('posts Retrieve alone without a model and answers with the passages', async () => {
    stub.setHandler(() =>
      retrieved([
        { ...reference('s3://acme-custom/runbooks/plugins.md', 'Delete the plugin with DeletePlugin.'), score: 0.8 },
      ]),
    );

    const enrichment = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    const request = stub.requests[0];
    expect(`${request?.method} ${request?.path}`).toBe(`POST /knowledgebases/${KB}/retrieve`);
    expect(enrichment).toMatchObject({ status: 'answered', answer: 'Delete the plugin with DeletePlugin.' });
    expect(enrichment.citations).toEqual([{ title: 'plugins.md', url: 's3://acme-custom/runbooks/plugins.md' }]);
  });

  test('reports no answer for the canned reply of an empty retrieval, and for no passage', async () => {
    stub.setHandler(() => generated('Sorry, I am unable to assist you with this request.', []));
    const generatedOutcome = await enricher({ modelArn: MODEL }).enrich(alertFor('playbook/CreatePlugin'));
    stub.setHandler(() => retrieved([]));
    const retrievedOutcome = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    expect(generatedOutcome.status).toBe('no-answer');
    expect(retrievedOutcome.status).toBe('no-answer');
  });

  test('retries throttling and then answers', async () => {
    stub.setHandler((_request, index) =>
      index === 0
        ? errorReply(429, 'ThrottlingException')
        : generated('Delete it.', [reference('s3://b/docs/a.md', 'x')]),
    );

    const enrichment = await enricher({ modelArn: MODEL }).enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment.status).toBe('answered');
    expect(stub.requests).toHaveLength(2);
  });

  test('reports a denied call as an error naming the exception', async () => {
    stub.setHandler(() => errorReply(403, 'AccessDeniedException'));

    const enrichment = await enricher({ modelArn: MODEL }).enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment).toMatchObject({ status: 'error', reason: 'the answer source failed (AnswerSourceError)' });
  });

  test('reports timeout when the knowledge base does not answer within the budget', async () => {
    stub.setHandler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return retrieved([]);
    });

    const enrichment = await enricher({ budgetMs: 100 }).enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment.status).toBe('timeout');
  });

  test('never sends text from the event to the knowledge base', async () => {
    stub.setHandler(() => generated('Delete it.', [reference('s3://b/docs/a.md', 'x')]));

    await enricher({ modelArn: MODEL }).enrich(hostileAlert());

    expect(stub.requests[0]?.body).not.toContain(INJECTION);
  });
});
