import { classifyEvent } from '../../../shared/classify/classify';
import { RulesFileError, applyRules, parseRulesJson } from '../../../shared/classify/overrides';
import { parseRulesFile } from '../../../shared/classify/rules-file';
import { defaultPolicy, rowKey, type Policy } from '../../../shared/classify/policy';
import { createSelfMatcher } from '../../../shared/classify/self';
import { cloudTrailRecord, triageEvent } from '../../support/cloudtrail';

const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;

function policyFrom(text: string, name = 'rules.yaml'): Policy {
  return applyRules(defaultPolicy(), parseRulesFile(text, name), name);
}

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected an error, none was thrown');
}

const burst = (policy: Policy, id: string) => policy.bursts.find((rule) => rule.id === id);
const severityOf = (policy: Policy, eventName: string) =>
  classifyEvent(triageEvent(cloudTrailRecord({ eventName })), policy, createSelfMatcher([])).severity;

describe('parseRulesFile + applyRules: overrides', () => {
  test('a YAML file overrides a burst threshold', () => {
    // Arrange
    const text = lines('bursts:', '  bulk-delete:', '    threshold: 5');

    // Act
    const policy = policyFrom(text);

    // Assert
    expect(burst(policy, 'bulk-delete')?.threshold).toBe(5);
  });

  test('a JSON file overrides a burst threshold', () => {
    // Arrange
    const text = JSON.stringify({ bursts: { 'bulk-read': { threshold: 200 } } }, null, 2);

    // Act
    const policy = policyFrom(text, 'rules.json');

    // Assert
    expect(burst(policy, 'bulk-read')?.threshold).toBe(200);
  });

  test('an override leaves the other burst rules as they were', () => {
    // Arrange
    const defaults = defaultPolicy();

    // Act
    const policy = policyFrom(lines('bursts:', '  bulk-delete:', '    threshold: 5'));

    // Assert
    expect(burst(policy, 'bulk-read')).toEqual(burst(defaults, 'bulk-read'));
    expect(burst(policy, 'auth-failures')).toEqual(burst(defaults, 'auth-failures'));
  });

  test('a burst severity can be overridden', () => {
    // Act
    const policy = policyFrom(lines('bursts:', '  auth-failures:', '    severity: CRITICAL'));

    // Assert
    expect(burst(policy, 'auth-failures')?.severity).toBe('CRITICAL');
    expect(burst(policy, 'auth-failures')?.threshold).toBe(10);
  });

  test('the burst window is given in minutes', () => {
    // Act
    const policy = policyFrom(lines('burstWindowMinutes: 10', 'aggregationWindowMinutes: 2'));

    // Assert
    expect(policy.burstWindowMs).toBe(600_000);
    expect(policy.aggregationWindowMs).toBe(120_000);
  });

  test('a row severity can be overridden and the classifier uses it', () => {
    // Arrange
    const text = lines('rows:', '  - eventName: ListApplications', '    severity: MEDIUM');

    // Act
    const policy = policyFrom(text);

    // Assert
    expect(severityOf(policy, 'ListApplications')).toBe('MEDIUM');
  });

  test('a row override keeps the fields it does not name', () => {
    // Arrange
    const before = defaultPolicy().rows.get(rowKey('qbusiness.amazonaws.com', 'ListApplications'));

    // Act
    const after = policyFrom(lines('rows:', '  - eventName: ListApplications', '    severity: MEDIUM')).rows.get(
      rowKey('qbusiness.amazonaws.com', 'ListApplications'),
    );

    // Assert
    expect(after).toEqual({ ...before, severity: 'MEDIUM' });
  });

  test('a Q Developer row is overridden through its eventSource', () => {
    // Arrange
    const text = JSON.stringify({
      rows: [{ eventSource: 'q.amazonaws.com', eventName: 'SendMessage', severity: 'LOW' }],
    });

    // Act
    const policy = policyFrom(text, 'rules.json');

    // Assert
    expect(policy.rows.get(rowKey('q.amazonaws.com', 'SendMessage'))?.severity).toBe('LOW');
  });

  test('a complete new row classifies an operation the table did not know', () => {
    // Arrange
    const text = lines(
      'rows:',
      '  - eventName: CreateQuantumWidget',
      '    category: application',
      '    severity: HIGH',
      '    description: Creates a widget that exposes the index.',
    );

    // Act
    const policy = policyFrom(text);
    const result = classifyEvent(
      triageEvent(cloudTrailRecord({ eventName: 'CreateQuantumWidget' })),
      policy,
      createSelfMatcher([]),
    );

    // Assert
    expect(result).toMatchObject({ severity: 'HIGH', category: 'application', rule: 'playbook/CreateQuantumWidget' });
  });

  test('an empty or comments-only file changes nothing', () => {
    // Arrange
    const defaults = defaultPolicy();

    // Act
    const policy = policyFrom(lines('# no overrides yet', '# bursts:', '#   bulk-read:', '#     threshold: 100'));

    // Assert
    expect(policy.bursts).toEqual(defaults.bursts);
    expect(policy.burstWindowMs).toBe(defaults.burstWindowMs);
  });
});

describe('parseRulesFile + applyRules: errors', () => {
  test('a bad severity names the file and its line', () => {
    // Arrange: the bad value is on line 4.
    const text = lines('# overrides for prod', 'rows:', '  - eventName: DeleteIndex', '    severity: SEVERE');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'prod-rules.yaml'));

    // Assert
    expect(error).toBeInstanceOf(RulesFileError);
    expect(error.message).toContain('prod-rules.yaml:4:');
    expect(error.message).toContain('severity');
  });

  test('a bad burst severity in JSON names its line', () => {
    // Arrange: pretty-printed, the severity is on line 4.
    const text = JSON.stringify({ bursts: { 'bulk-read': { severity: 'URGENT' } } }, null, 2);

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.json'));

    // Assert
    expect(error.message).toContain('rules.json:4:');
  });

  test('a threshold that is not a positive integer names its line', () => {
    // Arrange
    const text = lines('bursts:', '  bulk-delete:', '    threshold: 0');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.yaml'));

    // Assert
    expect(error.message).toContain('rules.yaml:3:');
    expect(error.message).toContain('threshold');
  });

  test('an unknown top-level key is rejected, named, with its own line', () => {
    // Arrange
    const text = lines('burstWindowMinutes: 5', 'burstWindow: 5');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.yaml'));

    // Assert
    expect(error).toBeInstanceOf(RulesFileError);
    expect(error.message).toContain('rules.yaml:2:');
    expect(error.message).toContain('burstWindow');
  });

  test('a misspelt key in a burst override is rejected with its line', () => {
    // Arrange
    const text = lines('bursts:', '  bulk-read:', '    threshhold: 5');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.yaml'));

    // Assert
    expect(error.message).toContain('rules.yaml:3:');
    expect(error.message).toContain('threshhold');
  });

  test('an unknown burst rule id is rejected', () => {
    // Arrange
    const text = lines('bursts:', '  bulk-write:', '    threshold: 5');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.yaml'));

    // Assert
    expect(error).toBeInstanceOf(RulesFileError);
    expect(error.message).toContain('rules.yaml:');
  });

  test('a YAML syntax error names its line', () => {
    // Arrange: line 4 is indented differently from its siblings.
    const text = lines('bursts:', '  bulk-read:', '    threshold: 5', '   severity: HIGH');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.yaml'));

    // Assert
    expect(error).toBeInstanceOf(RulesFileError);
    expect(error.message).toContain('rules.yaml:4:');
  });

  test('a JSON syntax error is reported with a line', () => {
    // Arrange
    const text = '{"bursts": {"bulk-read": {"threshold": 5}\n';

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.json'));

    // Assert
    expect(error).toBeInstanceOf(RulesFileError);
    expect(error.message).toMatch(/^rules\.json:\d+: /);
  });

  test('a new row without a category is rejected and names the file and the operation', () => {
    // Arrange
    const rules = parseRulesFile(
      lines('rows:', '  - eventName: CreateQuantumWidget', '    severity: HIGH', '    description: A widget.'),
      'rules.yaml',
    );

    // Act
    const error = errorOf(() => applyRules(defaultPolicy(), rules, 'rules.yaml'));

    // Assert
    expect(error).toBeInstanceOf(RulesFileError);
    expect(error.message).toContain('rules.yaml');
    expect(error.message).toContain('CreateQuantumWidget');
    expect(error.message).toContain('category');
  });

  test('a row with an unknown category is rejected with its line', () => {
    // Arrange
    const text = lines('rows:', '  - eventName: DeleteIndex', '    category: storage');

    // Act
    const error = errorOf(() => parseRulesFile(text, 'rules.yaml'));

    // Assert
    expect(error.message).toContain('rules.yaml:3:');
  });
});

describe('parseRulesJson (RULES_JSON in the Lambda)', () => {
  test('applies the same overrides as a rules file', () => {
    const policy = applyRules(
      defaultPolicy(),
      parseRulesJson('{"bursts":{"bulk-read":{"threshold":7}}}', 'RULES_JSON'),
      'RULES_JSON',
    );

    expect(policy.bursts.find((rule) => rule.id === 'bulk-read')?.threshold).toBe(7);
  });

  test('names the variable and the path of a bad value', () => {
    expect(() => parseRulesJson('{"rows":[{"eventName":"DeleteIndex","severity":"SEVERE"}]}', 'RULES_JSON')).toThrow(
      /RULES_JSON:1: rows\.0\.severity/,
    );
  });

  test('rejects text that is not JSON, naming the variable', () => {
    expect(() => parseRulesJson('bursts: {}', 'RULES_JSON')).toThrow(/RULES_JSON: not valid JSON/);
  });
});
