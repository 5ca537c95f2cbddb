import { isNoAnswer } from '../../../shared/enrich';

describe('isNoAnswer', () => {
  test.each([
    'Sorry, I could not find relevant information to complete your request.',
    "I couldn't find any relevant information in the documents.",
    'SORRY, I COULD NOT FIND RELEVANT INFORMATION.',
    'I don’t have enough information to answer that.',
    '   ',
  ])('recognises "%s" without attributions', (reply) => {
    expect(isNoAnswer(reply, 0)).toBe(true);
  });

  test('recognises a short apology even when an attribution came back', () => {
    expect(isNoAnswer('Sorry, I could not find relevant information to complete your request.', 1)).toBe(true);
  });

  test('keeps a real answer', () => {
    expect(isNoAnswer('1. Delete the plugin with DeletePlugin.\n2. Rotate its secret.', 1)).toBe(false);
  });

  test('keeps a long cited answer that mentions a gap in passing', () => {
    const reply = `${'Delete the plugin and rotate its secret. '.repeat(10)}The playbook has no information about vendor contacts.`;
    expect(isNoAnswer(reply, 2)).toBe(false);
  });
});
