/**
 * Q Business in RETRIEVAL_MODE answers politely when the index holds nothing relevant. Those replies are
 * not advice: the enricher reports `no-answer` instead of forwarding them.
 */

/** Phrasings seen from retrieval assistants when nothing relevant was found (lower-case fragments). */
export const NO_ANSWER_PHRASES: readonly string[] = [
  'could not find relevant information',
  "couldn't find relevant information",
  'could not find any relevant information',
  "couldn't find any relevant information",
  'could not find information',
  "couldn't find information",
  'could not find an answer',
  "couldn't find an answer",
  'no relevant information',
  'no information about',
  'not able to find',
  'unable to find',
  // Bedrock Knowledge Bases' RetrieveAndGenerate reply when retrieval found nothing.
  'unable to assist you with this request',
  'i do not have enough information',
  "i don't have enough information",
  'i do not have information',
  "i don't have information",
  'the provided documents do not',
  'the documents provided do not',
  'not mentioned in the',
  'no answer is found',
  'no answer was found',
  'cannot answer this question',
  "can't answer this question",
  'please rephrase your question',
];

const SHORT_REPLY_CHARS = 240;

function normalise(text: string): string {
  return text.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
}

/**
 * True when a reply is a "nothing found" message: empty; or a known phrasing with no source
 * attributions; or a known phrasing that makes up a short reply even if some attribution came back.
 */
export function isNoAnswer(reply: string | undefined, attributionCount: number): boolean {
  const text = normalise(reply ?? '');
  if (text === '') return true;
  const phrased = NO_ANSWER_PHRASES.some((phrase) => text.includes(phrase));
  if (!phrased) return false;
  return attributionCount === 0 || text.length <= SHORT_REPLY_CHARS;
}
