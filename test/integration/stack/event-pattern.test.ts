import { UnsupportedPatternError, matchesPattern } from './event-pattern';

const event = { source: 'aws.qbusiness', detail: { eventName: 'ChatSync', tags: ['a', 'b'], userIdentity: { type: 'IAMUser' } } };

describe('matchesPattern (the subset the stack\'s rules use)', () => {
  it('matches an exact value', () => {
    expect(matchesPattern({ detail: { eventName: ['ChatSync'] } }, event)).toBe(true);
  });

  it('rejects a different exact value', () => {
    expect(matchesPattern({ detail: { eventName: ['Chat'] } }, event)).toBe(false);
  });

  it('matches a prefix', () => {
    expect(matchesPattern({ source: [{ prefix: 'aws.q' }] }, event)).toBe(true);
  });

  it('matches any element of an array field', () => {
    expect(matchesPattern({ detail: { tags: ['b'] } }, event)).toBe(true);
  });

  it('excludes listed values with anything-but', () => {
    expect(matchesPattern({ detail: { eventName: [{ 'anything-but': ['ChatSync', 'Chat'] }] } }, event)).toBe(false);
  });

  it('never matches an absent field with anything-but', () => {
    expect(matchesPattern({ detail: { userIdentity: { arn: [{ 'anything-but': ['x'] }] } } }, event)).toBe(false);
  });

  it('matches an absent nested field with exists:false', () => {
    expect(matchesPattern({ detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } } }, event)).toBe(true);
  });

  it('matches a present field only with exists:true', () => {
    expect(matchesPattern({ detail: { eventName: [{ exists: false }] } }, event)).toBe(false);
  });

  it('matches when any $or branch matches', () => {
    expect(matchesPattern({ detail: { $or: [{ eventName: ['Chat'] }, { userIdentity: { type: ['IAMUser'] } }] } }, event)).toBe(true);
  });

  it('fails when no $or branch matches', () => {
    expect(matchesPattern({ detail: { $or: [{ eventName: ['Chat'] }, { userIdentity: { type: ['Root'] } }] } }, event)).toBe(false);
  });

  it('refuses operators it does not implement', () => {
    expect(() => matchesPattern({ detail: { eventName: [{ wildcard: 'Chat*' }] } }, event)).toThrow(UnsupportedPatternError);
  });
});
