import type { Principal } from '../../../shared/events';
import { createSelfMatcher, parseSelfPrincipals } from '../../../shared/classify/self';
import { cloudTrailRecord, identities, triageEvent, type IdentityFixture } from '../../support/cloudtrail';

const principalOf = (identity: IdentityFixture): Principal => triageEvent(cloudTrailRecord({ identity })).principal;

describe('createSelfMatcher', () => {
  test.each([
    ['an exact ARN', 'arn:aws:iam::111122223333:role/q-triage-prod-triage', true],
    ['a trailing *', 'arn:aws:iam::111122223333:role/q-triage-*', true],
    ['* over slashes and colons', 'arn:aws:*/q-triage-prod-triage', true],
    ['* matching an empty run', 'arn:aws:iam::111122223333:role/q-triage-prod-triage*', true],
    ['* in the middle', 'arn:aws:iam::*:role/q-triage-*-triage', true],
    ['a different role', 'arn:aws:iam::111122223333:role/other-*', false],
    ['a prefix without *', 'arn:aws:iam::111122223333:role/q-triage', false],
  ])('%s on the issuer role ARN: %s → %s', (_label, glob, expected) => {
    // Arrange
    const matcher = createSelfMatcher([glob]);
    const principal = principalOf(identities.assumedRole('q-triage-prod-triage', 'session'));

    // Act
    const matched = matcher.matches(principal);

    // Assert
    expect(matched).toBe(expected);
  });

  test.each([
    ['.', 'arn:aws:iam::111122223333:role/q.triage', 'arn:aws:iam::111122223333:role/qXtriage'],
    ['?', 'arn:aws:iam::111122223333:role/q-triage?', 'arn:aws:iam::111122223333:role/q-triage'],
    ['+', 'arn:aws:iam::111122223333:role/q-triage+', 'arn:aws:iam::111122223333:role/q-triageee'],
    ['( | )', 'arn:aws:iam::111122223333:role/(a|q-triage)', 'arn:aws:iam::111122223333:role/q-triage'],
    ['[ ]', 'arn:aws:iam::111122223333:role/[qr]-triage', 'arn:aws:iam::111122223333:role/q-triage'],
    ['^ $', '^arn:aws:iam::111122223333:role/q-triage$', 'arn:aws:iam::111122223333:role/q-triage'],
    ['\\', 'arn:aws:iam::111122223333:role/q\\-triage', 'arn:aws:iam::111122223333:role/q-triage'],
  ])('treats the regex metacharacter %s literally', (_label, glob, arn) => {
    // Arrange
    const matcher = createSelfMatcher([glob]);

    // Act
    const matched = matcher.matches({ key: arn, type: 'IAMUser', arn });

    // Assert
    expect(matched).toBe(false);
  });

  test('matches a literal metacharacter that is really in the ARN', () => {
    // Arrange
    const arn = 'arn:aws:iam::111122223333:role/q.triage+(x)';
    const matcher = createSelfMatcher([arn]);

    // Act
    const matched = matcher.matches({ key: arn, type: 'IAMUser', arn });

    // Assert
    expect(matched).toBe(true);
  });

  test('matches the session issuer ARN of an assumed role', () => {
    // Arrange
    const matcher = createSelfMatcher(['arn:aws:iam::111122223333:role/q-triage-prod-triage']);

    // Act
    const matched = matcher.matches(principalOf(identities.assumedRole('q-triage-prod-triage', 'any')));

    // Assert
    expect(matched).toBe(true);
  });

  test('matches userIdentity.arn of an assumed role session', () => {
    // Arrange
    const matcher = createSelfMatcher(['arn:aws:sts::111122223333:assumed-role/q-triage-prod-triage/*']);

    // Act
    const matched = matcher.matches(principalOf(identities.assumedRole('q-triage-prod-triage', 'any')));

    // Assert
    expect(matched).toBe(true);
  });

  test('any of several globs can match', () => {
    // Arrange
    const matcher = createSelfMatcher([
      'arn:aws:iam::111122223333:role/nothing',
      'arn:aws:iam::111122223333:user/Alice',
    ]);

    // Act
    const matched = matcher.matches(principalOf(identities.iamUser('Alice')));

    // Assert
    expect(matched).toBe(true);
  });

  test('ignores blank globs and trims the others', () => {
    // Arrange
    const matcher = createSelfMatcher(['', '   ', '  arn:aws:iam::111122223333:user/Alice  ']);

    // Act
    const matched = matcher.matches(principalOf(identities.iamUser('Alice')));

    // Assert
    expect(matcher.patterns).toEqual(['arn:aws:iam::111122223333:user/Alice']);
    expect(matched).toBe(true);
  });

  test('a principal without any ARN never matches, not even *', () => {
    // Arrange
    const matcher = createSelfMatcher(['*']);

    // Act
    const matched = [identities.identityCenterUser(), identities.awsService(), identities.awsAccount()].map(
      (identity) => matcher.matches(principalOf(identity)),
    );

    // Assert
    expect(matched).toEqual([false, false, false]);
  });

  test('no globs match nothing', () => {
    // Act
    const matched = createSelfMatcher([]).matches(principalOf(identities.root()));

    // Assert
    expect(matched).toBe(false);
  });
});

describe('parseSelfPrincipals', () => {
  test.each([
    [undefined, []],
    ['', []],
    ['arn:aws:iam::1:role/a', ['arn:aws:iam::1:role/a']],
    [' arn:aws:iam::1:role/a , arn:aws:iam::1:role/b-*,, ', ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b-*']],
  ])('parses %j', (value, expected) => {
    // Act
    const globs = parseSelfPrincipals(value);

    // Assert
    expect(globs).toEqual(expected);
  });
});
