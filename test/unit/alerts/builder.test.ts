/** What an incident keeps of the resources its events touched. */
import { foldEvent, openAlert, subjectOfEvent } from '../../../shared/alerts/builder';
import { MAX_RESOURCES_PER_KIND, MAX_RESOURCES_PER_OPERATION, MAX_STEPS } from '../../../shared/alerts/model';
import { classifyEvent } from '../../../shared/classify/classify';
import { defaultPolicy } from '../../../shared/classify/policy';
import { createSelfMatcher } from '../../../shared/classify/self';
import type { TriageEvent } from '../../../shared/events';
import { APPLICATION_ID, INDEX_ID, cloudTrailRecord, triageEvent } from '../../support/cloudtrail';

const policy = defaultPolicy();
const self = createSelfMatcher([]);
const subject = (event: TriageEvent) => subjectOfEvent(event, classifyEvent(event, policy, self));
const deleteDocuments = (second: number, ids: string[]) =>
  triageEvent(
    cloudTrailRecord({
      eventName: 'BatchDeleteDocument',
      second,
      requestParameters: {
        applicationId: APPLICATION_ID,
        indexId: INDEX_ID,
        documents: ids.map((documentId) => ({ documentId })),
      },
    }),
  );

describe('alert resources', () => {
  test('an opened alert names the resources of its first event, under its operation', () => {
    const event = deleteDocuments(0, ['doc-1']);

    expect(openAlert(subject(event), event).resources).toEqual([
      {
        eventName: 'BatchDeleteDocument',
        resources: [
          { kind: 'application', value: APPLICATION_ID },
          { kind: 'index', value: INDEX_ID },
          { kind: 'document', value: 'doc-1' },
        ],
      },
    ]);
  });

  test('folding adds new resources once, keeps the first few of a kind, and stays bounded', () => {
    const first = deleteDocuments(0, ['doc-1']);
    let alert = openAlert(subject(first), first);
    for (let i = 2; i <= 30; i++) {
      const event = deleteDocuments(i, [`doc-${i}`]);
      alert = foldEvent(alert, subject(event), event);
    }

    const resources = alert.resources?.[0]?.resources ?? [];
    expect(resources.filter((item) => item.kind === 'application')).toHaveLength(1);
    expect(resources.filter((item) => item.kind === 'document').map((item) => item.value)).toEqual([
      'doc-1',
      'doc-2',
      'doc-3',
    ]);
    expect(MAX_RESOURCES_PER_KIND).toBe(3);
    expect(resources.length).toBeLessThanOrEqual(MAX_RESOURCES_PER_OPERATION);
    expect(alert.count).toBe(30);
  });

  test('each operation keeps its own resources', () => {
    const create = triageEvent(
      cloudTrailRecord({ eventName: 'CreateIndex', requestParameters: { applicationId: APPLICATION_ID } }),
    );
    const remove = triageEvent(
      cloudTrailRecord({
        eventName: 'DeleteIndex',
        second: 5,
        requestParameters: { applicationId: APPLICATION_ID, indexId: INDEX_ID },
      }),
    );

    const alert = foldEvent(openAlert(subject(create), create), subject(remove), remove);

    expect(
      alert.resources?.map((operation) => [operation.eventName, operation.resources.map((item) => item.kind)]),
    ).toEqual([
      ['CreateIndex', ['application']],
      ['DeleteIndex', ['application', 'index']],
    ]);
  });

  test('an incident stored before resources existed gains them from the next event', () => {
    const first = deleteDocuments(0, ['doc-1']);
    const stored = { ...openAlert(subject(first), first), resources: undefined };
    const next = deleteDocuments(1, ['doc-2']);

    expect(foldEvent(stored, subject(next), next).resources?.[0]?.resources).toContainEqual({
      kind: 'document',
      value: 'doc-2',
    });
  });

  test('samples keep the Region, whether it is a data event, and the evidence', () => {
    const event = deleteDocuments(0, ['doc-1']);

    expect(openAlert(subject(event), event).samples[0]).toMatchObject({
      region: 'us-east-1',
      dataEvent: false,
      evidence: expect.arrayContaining([{ kind: 'document', value: 'doc-1' }]),
    });
  });
});

describe('incident steps from all its subjects', () => {
  const event = (eventName: string, second: number, errorCode?: string) =>
    triageEvent(cloudTrailRecord({ eventName, second, ...(errorCode !== undefined ? { errorCode } : {}) }));
  const stepsOf = (e: TriageEvent) => subject(e).steps.map((step) => step.text);

  test('a worse subject puts its steps first; the earlier subjects keep theirs after it, each step once', () => {
    const denied = event('ListIndices', 0, 'AccessDeniedException');
    const plugin = event('CreatePlugin', 60);
    const again = event('ListIndices', 70, 'AccessDeniedException');

    const alert = foldEvent(
      foldEvent(openAlert(subject(denied), denied), subject(plugin), plugin),
      subject(again),
      again,
    );

    const expected = [...new Set([...stepsOf(plugin), ...stepsOf(denied)])];
    expect(alert.steps.map((step) => step.text)).toEqual(expected);
    expect(alert.stepGroups?.reduce((sum, group) => sum + group.size, 0)).toBe(expected.length);
    expect(alert.links).toEqual([
      ...new Set(alert.steps.flatMap((step) => (step.link === undefined ? [] : [step.link]))),
    ]);
  });

  test('a lesser subject after the worst one adds its steps after the worst one’s, not before', () => {
    const plugin = event('CreatePlugin', 0);
    const index = event('CreateIndex', 30);

    const alert = foldEvent(openAlert(subject(plugin), plugin), subject(index), index);

    expect(alert.steps.slice(0, stepsOf(plugin).length).map((step) => step.text)).toEqual(stepsOf(plugin));
    expect(alert.steps.map((step) => step.text)).toEqual([...new Set([...stepsOf(plugin), ...stepsOf(index)])]);
  });

  test('many subjects keep at most MAX_STEPS steps, dropping the least severe ones', () => {
    const names = [
      'DeleteIndex',
      'CreatePlugin',
      'AssociatePermission',
      'CreateDataAccessor',
      'DeleteApplication',
      'CreateIndex',
      'CreateRetriever',
      'CreateDataSource',
      'CreateWebExperience',
      'ListIndices',
    ];
    const events = names.map((name, i) => event(name, i));
    let alert = openAlert(subject(events[0] as TriageEvent), events[0] as TriageEvent);
    for (const e of events.slice(1)) alert = foldEvent(alert, subject(e), e);

    expect(alert.steps.length).toBeLessThanOrEqual(MAX_STEPS);
    expect(alert.stepGroups?.reduce((sum, group) => sum + group.size, 0)).toBe(alert.steps.length);
    // The first step is the first HIGH subject's; no MEDIUM subject's step comes before a HIGH one's.
    expect(alert.steps[0]?.text).toBe(stepsOf(events[0] as TriageEvent)[0]);
    const severities = alert.stepGroups?.map((group) => group.severity) ?? [];
    expect(severities.indexOf('MEDIUM') < 0 || severities.lastIndexOf('HIGH') < severities.indexOf('MEDIUM')).toBe(
      true,
    );
  });
});
