/** ChatSync through the real QBusinessClient against a local stub speaking Q Business REST-JSON. */
import { fixedClock } from '../../../shared/clock';
import {
  buildQuestion,
  createEnricher,
  createQBusinessClient,
  createQBusinessSource,
  MemoryAnswerCache,
} from '../../../shared/enrich';
import { createLogger } from '../../../shared/logger';
import { startHttpStub, TEST_CREDENTIALS, type HttpStub, type StubReply } from '../../support/http-stub';
import { alertFor, hostileAlert, INJECTION } from '../../support/alerts';

const APP = 'a1b2c3d4-0000-1111-2222-333344445555';

const answer = (systemMessage: string, attributions: object[] = []): StubReply => ({
  status: 200,
  body: JSON.stringify({
    conversationId: 'c-1',
    systemMessageId: 'm-2',
    userMessageId: 'm-1',
    systemMessage,
    sourceAttributions: attributions,
  }),
});
const ATTRIBUTIONS = [
  {
    title: 'Amazon Q playbook: Plugins',
    url: 'https://s3.amazonaws.com/playbooks/amazon-q.md',
    snippet: 'Delete the plugin',
    citationNumber: 2,
  },
  {
    title: 'Compromised credentials',
    url: 'https://s3.amazonaws.com/playbooks/creds.md',
    snippet: 'Rotate',
    citationNumber: 1,
  },
];
const errorReply = (status: number, type: string): StubReply => ({
  status,
  headers: { 'x-amzn-errortype': type },
  body: JSON.stringify({ message: `${type} from stub` }),
});

describe('Q Business source over HTTP', () => {
  let stub: HttpStub;

  beforeAll(async () => {
    stub = await startHttpStub(() => answer('Delete the plugin.', ATTRIBUTIONS));
  });
  afterAll(async () => {
    await stub.close();
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });

  function enricher(budgetMs = 1000) {
    const clock = fixedClock(Date.parse('2026-05-01T10:00:00Z'));
    const client = createQBusinessClient({
      region: 'us-east-1',
      endpoint: stub.endpoint,
      credentials: TEST_CREDENTIALS,
    });
    const source = createQBusinessSource({ client, applicationId: APP, chatMode: 'RETRIEVAL_MODE' });
    return createEnricher({
      source,
      cache: new MemoryAnswerCache(clock, 3600),
      playbookVersion: async () => 'v1',
      clock,
      logger: createLogger({ silent: true }),
      budgetMs,
      retry: { baseMs: 5, maxDelayMs: 20, maxAttempts: 3 },
    });
  }

  test('posts ChatSync to the application conversations path with the question and chat mode', async () => {
    stub.setHandler(() => answer('Delete the plugin.', ATTRIBUTIONS));

    await enricher().enrich(alertFor('playbook/CreatePlugin'));

    const request = stub.requests[0];
    expect(request?.method).toBe('POST');
    const url = new URL(request?.path ?? '/', stub.endpoint);
    expect(url.pathname).toBe(`/applications/${APP}/conversations`);
    expect(url.searchParams.has('sync')).toBe(true);
    const body = JSON.parse(request?.body ?? '{}') as { userMessage: string; chatMode: string };
    expect(body.chatMode).toBe('RETRIEVAL_MODE');
    expect(body.userMessage).toBe(buildQuestion(alertFor('playbook/CreatePlugin'), 'en').text);
  });

  test('returns the answer with citations ordered by citation number', async () => {
    stub.setHandler(() => answer('Delete the plugin.', ATTRIBUTIONS));

    const enrichment = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment).toMatchObject({ status: 'answered', answer: 'Delete the plugin.', source: 'qbusiness' });
    expect(enrichment.citations.map((citation) => citation.title)).toEqual([
      'Compromised credentials',
      'Amazon Q playbook: Plugins',
    ]);
    expect(enrichment.citations[1]?.url).toBe('https://s3.amazonaws.com/playbooks/amazon-q.md');
  });

  test("sends none of a hostile event's text in the request", async () => {
    stub.setHandler(() => answer('Delete the plugin.', ATTRIBUTIONS));

    await enricher().enrich(hostileAlert());

    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.body).not.toContain('IGNORE ALL PREVIOUS');
    expect(stub.requests[0]?.path).not.toContain('IGNORE');
    expect(JSON.stringify(stub.requests[0]?.headers)).not.toContain(INJECTION);
  });

  test('retries a 429 ThrottlingException and then answers', async () => {
    stub.setHandler((_request, index) =>
      index === 0 ? errorReply(429, 'ThrottlingException') : answer('Delete the plugin.', ATTRIBUTIONS),
    );

    const enrichment = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment.status).toBe('answered');
    expect(stub.requests).toHaveLength(2);
  });

  test('reports throttled when Q keeps throttling', async () => {
    stub.setHandler(() => errorReply(429, 'ThrottlingException'));

    const enrichment = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment.status).toBe('throttled');
    expect(stub.requests).toHaveLength(3);
  });

  test('reports error on a 500 InternalServerException', async () => {
    stub.setHandler(() => errorReply(500, 'InternalServerException'));

    const enrichment = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment).toMatchObject({ status: 'error', reason: 'the answer source failed (AnswerSourceError)' });
  });

  test('reports timeout when the answer comes after the budget', async () => {
    stub.setHandler(() => ({ ...answer('Too late.', ATTRIBUTIONS), delayMs: 2000 }));

    const enrichment = await enricher(200).enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment).toMatchObject({ status: 'timeout', reason: 'no answer within 200 ms' });
  });

  test('reports no answer in the playbooks for a "could not find" reply', async () => {
    stub.setHandler(() => answer('Sorry, I could not find relevant information to complete your request.'));

    const enrichment = await enricher().enrich(alertFor('playbook/CreatePlugin'));

    expect(enrichment).toMatchObject({ status: 'no-answer', reason: 'no answer in the playbooks' });
    expect(enrichment.answer).toBeUndefined();
  });
});
