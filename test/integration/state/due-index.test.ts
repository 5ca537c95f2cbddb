/** The due-incidents index of the DynamoDB state store (dynalite, the table as serverless.yml declares it). */
import { fixedClock } from '../../../shared/clock';
import type { IncidentRecord } from '../../../shared/state/store';
import { DynamoStateStore } from '../../../shared/state/dynamo';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';
import { makeAlert } from '../../support/alerts';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

const NOW = Date.parse('2026-11-20T15:00:00Z');
const incident = (key: string, dueAt?: number): IncidentRecord => ({
  key,
  version: 1,
  alert: makeAlert(),
  published: true,
  announcedUpdates: 0,
  ...(dueAt !== undefined ? { dueAt } : {}),
});

describe('DynamoStateStore due incidents', () => {
  test('names the incidents due by now, earliest first, by their key (a long key too), and forgets one that owes nothing', async () => {
    const store = new DynamoStateStore({
      client: dynamo.documents,
      tableName: dynamo.tableName,
      clock: fixedClock(NOW),
    });
    const long = `${'arn:aws:sts::111122223333:assumed-role/Long/'.padEnd(1500, 'x')}#actor`;
    await store.putIncident(incident('late#actor', NOW - 1000), undefined);
    await store.putIncident(incident(long, NOW - 5000), undefined);
    await store.putIncident(incident('future#actor', NOW + 60_000), undefined);
    await store.putIncident(incident('quiet#actor'), undefined);

    expect(await store.dueIncidents(NOW, 10)).toEqual([long, 'late#actor']);
    expect(await store.dueIncidents(NOW, 1)).toEqual([long]);

    await store.putIncident({ ...incident('late#actor'), version: 2 }, 1);
    expect(await store.dueIncidents(NOW, 10)).toEqual([long]);
    expect((await store.getIncident(long))?.dueAt).toBe(NOW - 5000);
  });
});
