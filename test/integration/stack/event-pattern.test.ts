import { UnsupportedPatternError, matchesPattern } from './event-pattern';

const event = {
  source: 'aws.qbusiness',
  detail: { eventName: 'ChatSync', tags: ['a', 'b'], userIdentity: { type: 'IAMUser' } },
};

describe("matchesPattern (the subset the stack's rules use)", () => {
  test('matches an exact value', () => {
    expect(matchesPattern({ detail: { eventName: ['ChatSync'] } }, event)).toBe(true);
  });

  test('rejects a different exact value', () => {
    expect(matchesPattern({ detail: { eventName: ['Chat'] } }, event)).toBe(false);
  });

  test('matches a prefix', () => {
    expect(matchesPattern({ source: [{ prefix: 'aws.q' }] }, event)).toBe(true);
  });

  test('matches any element of an array field', () => {
    expect(matchesPattern({ detail: { tags: ['b'] } }, event)).toBe(true);
  });

  test('excludes listed values with anything-but', () => {
    expect(matchesPattern({ detail: { eventName: [{ 'anything-but': ['ChatSync', 'Chat'] }] } }, event)).toBe(false);
  });

  test('never matches an absent field with anything-but', () => {
    expect(matchesPattern({ detail: { userIdentity: { arn: [{ 'anything-but': ['x'] }] } } }, event)).toBe(false);
  });

  test('matches an absent nested field with exists:false', () => {
    expect(
      matchesPattern(
        { detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } } },
        event,
      ),
    ).toBe(true);
  });

  test('matches a present field only with exists:true', () => {
    expect(matchesPattern({ detail: { eventName: [{ exists: false }] } }, event)).toBe(false);
  });

  test('matches when any $or branch matches', () => {
    expect(
      matchesPattern({ detail: { $or: [{ eventName: ['Chat'] }, { userIdentity: { type: ['IAMUser'] } }] } }, event),
    ).toBe(true);
  });

  test('fails when no $or branch matches', () => {
    expect(
      matchesPattern({ detail: { $or: [{ eventName: ['Chat'] }, { userIdentity: { type: ['Root'] } }] } }, event),
    ).toBe(false);
  });

  test('refuses operators it does not implement', () => {
    expect(() => matchesPattern({ detail: { eventName: [{ wildcard: 'Chat*' }] } }, event)).toThrow(
      UnsupportedPatternError,
    );
  });
});
