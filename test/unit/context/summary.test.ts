/** The incident timeline (plugin created, documents uploaded, index deleted) against the expected answers. */
import { CONTEXT_QUESTIONS, summarizeActivity, toActivityEntry } from '../../../shared/context';
import { QUESTIONS } from '../../../shared/playbook';
import {
  APP_ID,
  ATTACKER_AGENT,
  DATA_RECORDS,
  DATA_SOURCE_ID,
  INDEX_ID,
  MANAGEMENT_RECORDS,
  NOW,
  PLUGIN_ID,
} from '../../support/timeline';
import { triageEvent } from '../../support/cloudtrail';

const WINDOW_HOURS = 24;
const SINCE = NOW - WINDOW_HOURS * 3600_000;
const entries = [...MANAGEMENT_RECORDS, ...DATA_RECORDS].map((record) =>
  toActivityEntry(triageEvent(structuredClone(record))),
);

function summarize(overrides: Partial<Parameters<typeof summarizeActivity>[0]> = {}) {
  return summarizeActivity({
    entries,
    windowHours: WINDOW_HOURS,
    sinceMs: SINCE,
    retentionDays: 7,
    complete: true,
    earliest: Date.parse('2026-11-23T09:00:00Z'),
    ...overrides,
  });
}
const answer = (question: string, context = summarize()): string =>
  context.answers.find((entry) => entry.question === question)?.answer ?? '<missing>';

test('answers the six playbook questions first, in the playbook order', () => {
  const questions = summarize().answers.map((entry) => entry.question);

  expect(questions.slice(0, 6)).toEqual([
    QUESTIONS.resources,
    QUESTIONS.plugins,
    QUESTIONS.applications,
    QUESTIONS.accessed,
    QUESTIONS.uploads,
    QUESTIONS.ide,
  ]);
});

test('resources: the plugin created and the index deleted, with their ids; not the denied creation', () => {
  const text = answer(QUESTIONS.resources);

  expect(text).toBe(
    `Created: plugin ${PLUGIN_ID} (CreatePlugin, 2026-11-23T09:00Z). Deleted: index ${INDEX_ID} (DeleteIndex, 2026-11-23T11:30Z).`,
  );
});

test('plugins: created, read and used in a plugin-mode chat', () => {
  const text = answer(QUESTIONS.plugins);

  expect(text).toBe(
    `Created: ${PLUGIN_ID}. Used in 1 chat call(s): ${PLUGIN_ID}. Plugin configuration read: GetPlugin ×1.`,
  );
});

test('applications: the application, index and data source the principal reached', () => {
  const text = answer(QUESTIONS.applications);

  expect(text).toBe(`Applications: ${APP_ID}; indexes: ${INDEX_ID}; data sources: ${DATA_SOURCE_ID}.`);
});

test('accessed: the chat and the sync job started', () => {
  const text = answer(QUESTIONS.accessed);

  expect(text).toBe(`Chat and retrieval calls: ChatSync ×1. Data source syncs started: 1 (${DATA_SOURCE_ID}).`);
});

test('uploads: five documents in two calls into the index', () => {
  const text = answer(QUESTIONS.uploads);

  expect(text).toBe(`Uploaded 5 document(s) in 2 BatchPutDocument call(s) into index ${INDEX_ID}.`);
});

test('ide: says no IDE or CLI call is recorded, and where such calls would be logged', () => {
  expect(answer(QUESTIONS.ide)).toMatch(
    /^No Amazon Q Developer IDE or CLI call recorded.*codewhisperer\.amazonaws\.com/,
  );
});

test('ide: tallies the IDE and CLI calls (codewhisperer.amazonaws.com) of the principal', () => {
  const [first] = entries;
  if (first === undefined) throw new Error('the timeline has no entries');
  const ide = ['GenerateAssistantResponse', 'GenerateAssistantResponse', 'CreateUploadUrl'].map((eventName, i) => ({
    ...first,
    eventId: `ide-${i}`,
    eventSource: 'codewhisperer.amazonaws.com',
    eventName,
    eventCategory: 'Data',
  }));

  expect(answer(QUESTIONS.ide, summarize({ entries: [...entries, ...ide] }))).toBe(
    'Amazon Q Developer IDE and CLI calls: GenerateAssistantResponse ×2, CreateUploadUrl ×1.',
  );
});

test('guardrails: the chat controls update on the application', () => {
  expect(answer(CONTEXT_QUESTIONS.guardrails)).toBe(`UpdateChatControlsConfiguration ×1 on application(s) ${APP_ID}.`);
});

test('authorization failures: the denied plugin creation', () => {
  expect(answer(CONTEXT_QUESTIONS.authorization)).toBe('1 denied call(s): CreatePlugin ×1; last at 2026-11-23T11:00Z.');
});

test('first seen inside the window marks the principal as new', () => {
  expect(answer(CONTEXT_QUESTIONS.firstSeen)).toMatch(/^Yes, likely: .*2026-11-23T09:00Z/);
});

test('first seen before the window says it is not new', () => {
  const context = summarize({ earliest: NOW - 3 * 86_400_000 });

  expect(answer(CONTEXT_QUESTIONS.firstSeen, context)).toBe('No: active on Amazon Q since at least 2026-11-20T12:00Z.');
});

test('keeps source IPs and user agents raw and distinct, newest first', () => {
  const context = summarize();

  expect(context.sourceIps).toEqual(['203.0.113.7', '198.51.100.23']);
  expect(context.userAgents).toEqual(['aws-cli/2.17.0', ATTACKER_AGENT]);
});

test('never puts the attacker-chosen user agent or resource name into an answer', () => {
  const text = summarize()
    .answers.map((entry) => entry.answer)
    .join('\n');

  expect(text).not.toContain('Ignore previous instructions');
  expect(text).not.toContain('payroll-export');
});

test('caps the number of distinct user agents', () => {
  const many = Array.from({ length: 30 }, (_, index) => ({
    ...(entries[0] as (typeof entries)[number]),
    eventId: `e${index}`,
    userAgent: `agent-${index}`,
  }));

  expect(summarize({ entries: many }).userAgents).toHaveLength(10);
});

test('says data events are missing when the activity log holds none', () => {
  const management = entries.filter((entry) => entry.eventCategory === 'Management');

  expect(answer(QUESTIONS.accessed, summarize({ entries: management }))).toContain('No data events recorded');
});
