import { UnsupportedPolicyError, evaluate, type Request, type Statement } from './policy-evaluator';

const TRIAGE = 'arn:aws:iam::111122223333:role/q-triage-dev-us-east-1-triage';
const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const QUEUE = 'arn:aws:sqs:us-east-1:111122223333:buffer';

const asRole = (arn: string, action = 'sqs:ReceiveMessage', context: Request['context'] = {}): Request => ({
  caller: { arn },
  action,
  resource: QUEUE,
  context,
});
const deny = (condition: Statement['Condition'], action = 'sqs:ReceiveMessage'): Statement[] => [
  { Effect: 'Deny', Principal: '*', Action: action, Resource: QUEUE, Condition: condition },
];

describe('evaluate (the subset of IAM the template uses)', () => {
  test('denies a principal outside an ArnNotLike list', () => {
    expect(evaluate(deny({ ArnNotLike: { 'aws:PrincipalArn': [TRIAGE] } }), asRole(ADMIN))).toBe('deny');
  });

  test('does not deny a principal inside an ArnNotLike list', () => {
    expect(evaluate(deny({ ArnNotLike: { 'aws:PrincipalArn': [TRIAGE] } }), asRole(TRIAGE))).toBe('no-decision');
  });

  test('matches ArnNotLike wildcards, and a look-alike name does not match an exact ARN', () => {
    const policy = deny({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/SecOps-*'] } });
    expect(evaluate(policy, asRole('arn:aws:iam::111122223333:role/SecOps-Alice'))).toBe('no-decision');
    expect(evaluate(deny({ ArnNotLike: { 'aws:PrincipalArn': [TRIAGE] } }), asRole(`${TRIAGE}-copy`))).toBe('deny');
  });

  test('treats a missing key as holding for a negated operator (a service has no aws:PrincipalArn)', () => {
    const request: Request = {
      caller: { service: 'events.amazonaws.com' },
      action: 'sqs:ReceiveMessage',
      resource: QUEUE,
    };
    expect(evaluate(deny({ ArnNotLike: { 'aws:PrincipalArn': [TRIAGE] } }), request)).toBe('deny');
  });

  test('treats a missing key as failing a positive operator', () => {
    expect(
      evaluate(
        deny({ ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:111122223333:rule/x'] } }),
        asRole(ADMIN),
      ),
    ).toBe('no-decision');
  });

  test('requires every operator of a condition (AND)', () => {
    const policy = deny({
      ArnNotLike: { 'aws:PrincipalArn': [TRIAGE] },
      ArnNotEquals: { 'aws:SourceArn': ['arn:aws:events:us-east-1:111122223333:rule/r'] },
    });
    const fromRule: Request = {
      caller: { service: 'events.amazonaws.com' },
      action: 'sqs:ReceiveMessage',
      resource: QUEUE,
      context: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/r' },
    };
    expect(evaluate(policy, fromRule)).toBe('no-decision');
    expect(
      evaluate(policy, {
        ...fromRule,
        context: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/other' },
      }),
    ).toBe('deny');
  });

  test('holds ForAllValues on a missing key and fails it when a listed value is present', () => {
    const policy = deny({ 'ForAllValues:StringNotEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } });
    expect(evaluate(policy, asRole(ADMIN))).toBe('deny');
    expect(
      evaluate(policy, asRole(ADMIN, 'sqs:ReceiveMessage', { 'aws:CalledVia': ['cloudformation.amazonaws.com'] })),
    ).toBe('no-decision');
  });

  test('fails ForAnyValue on a missing key', () => {
    expect(
      evaluate(deny({ 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['athena.amazonaws.com'] } }), asRole(ADMIN)),
    ).toBe('no-decision');
  });

  test('compares Bool values written as booleans', () => {
    const policy = deny({ Bool: { 'aws:SecureTransport': false } as unknown as Record<string, unknown> });
    expect(evaluate(policy, asRole(ADMIN, 'sqs:ReceiveMessage', { 'aws:SecureTransport': false }))).toBe('deny');
    expect(evaluate(policy, asRole(ADMIN, 'sqs:ReceiveMessage', { 'aws:SecureTransport': true }))).toBe('no-decision');
  });

  test('tests presence with Null', () => {
    expect(evaluate(deny({ Null: { 'aws:SourceArn': 'true' } }), asRole(ADMIN))).toBe('deny');
    expect(evaluate(deny({ Null: { 'aws:SourceArn': 'false' } }), asRole(ADMIN))).toBe('no-decision');
  });

  test('lets a Deny win over an Allow', () => {
    const policy: Statement[] = [
      { Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'sqs:ReceiveMessage', Resource: QUEUE },
      ...deny(undefined),
    ];
    expect(evaluate(policy, asRole(ADMIN))).toBe('deny');
  });

  test('allows only the principals an Allow names; the account root names every principal of the account', () => {
    const policy: Statement[] = [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    ];
    expect(evaluate(policy, { caller: { arn: ADMIN }, action: 'kms:Decrypt', resource: 'key' })).toBe('allow');
    expect(
      evaluate(policy, {
        caller: { arn: 'arn:aws:iam::444455556666:role/Admin' },
        action: 'kms:Decrypt',
        resource: 'key',
      }),
    ).toBe('no-decision');
    expect(
      evaluate(policy, { caller: { service: 'events.amazonaws.com' }, action: 'kms:Decrypt', resource: 'key' }),
    ).toBe('no-decision');
  });

  test('ignores statements for other actions or resources', () => {
    expect(evaluate(deny(undefined, 'sqs:SendMessage'), asRole(ADMIN))).toBe('no-decision');
    expect(evaluate(deny(undefined), { ...asRole(ADMIN), resource: `${QUEUE}-dlq` })).toBe('no-decision');
  });

  test('refuses operators it does not implement', () => {
    expect(() => evaluate(deny({ NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] } }), asRole(ADMIN))).toThrow(
      UnsupportedPolicyError,
    );
  });
});
