import { createClassifier } from '../../../shared/classify/classify';
import { defaultPolicy } from '../../../shared/classify/policy';
import { createSelfMatcher } from '../../../shared/classify/self';
import { PROVING_CASES, SAMPLE_RECORDS } from '../../../shared/playbook/proving-events';
import { PLAYBOOK_TABLE } from '../../../shared/playbook/table';
import { EVENT_SOURCES, type EventSource } from '../../../shared/playbook/types';
import { triageEvent } from '../../support/cloudtrail';

const classify = createClassifier(defaultPolicy(), createSelfMatcher([]));

const CASES = EVENT_SOURCES.flatMap((source) => PROVING_CASES[source].map((entry) => [source, ...entry] as const));

function sample(source: EventSource, eventName: string, errorCode?: string): Record<string, unknown> {
  const row = PLAYBOOK_TABLE.find((candidate) => candidate.eventSource === source && candidate.eventName === eventName);
  const record: Record<string, unknown> = {
    ...structuredClone(SAMPLE_RECORDS[source]),
    eventName,
    eventID: `${source}-${eventName}-${errorCode ?? 'ok'}`,
    readOnly: row?.access === 'read',
  };
  if (errorCode !== undefined) Object.assign(record, { errorCode, errorMessage: 'sample failure' });
  return record;
}

describe('proving events of the playbook table', () => {
  test.each(CASES)('%s %s: the positive sample is %s under its row', (source, eventName, verdict) => {
    // Act
    const classification = classify(triageEvent(sample(source, eventName)));

    // Assert
    expect(classification.rule).toBe(`playbook/${eventName}`);
    expect(classification.row?.eventSource).toBe(source);
    expect(classification.severity).toBe(verdict);
  });

  test.each(CASES)(
    '%s %s: the negative sample (%s) failing with %s is %s',
    (source, eventName, _verdict, errorCode, negativeVerdict) => {
      // Act
      const classification = classify(triageEvent(sample(source, eventName, errorCode)));

      // Assert
      expect(classification.severity).toBe(negativeVerdict);
    },
  );

  test('has proving events for every row and for no operation without a row', () => {
    const proven = CASES.map(([source, eventName]) => `${source} ${eventName}`).sort();
    const rows = PLAYBOOK_TABLE.map((row) => `${row.eventSource} ${row.eventName}`).sort();
    expect(proven).toEqual(rows);
  });

  test.each(EVENT_SOURCES)(
    'an operation %s does not have is unclassified LOW, not a row of another source',
    (source) => {
      // Act
      const classification = classify(triageEvent(sample(source, 'CreateAgentWorkflowThatDoesNotExist')));

      // Assert
      expect(classification).toMatchObject({
        rule: 'unclassified/CreateAgentWorkflowThatDoesNotExist',
        severity: 'LOW',
        category: 'unclassified',
      });
    },
  );
});
