/** What the DynamoDB state store reads back is checked: a damaged item is a clear error where it is read. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../../shared/clock';
import { CorruptItemError, DynamoStateStore, partitionKey } from '../../../shared/state/dynamo';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';
import { makeAlert, sample } from '../../support/alerts';

const KEY = 'arn:aws:iam::111122223333:user/alice|playbook/DeleteApplication';
let dynamo: LocalDynamo;
let store: DynamoStateStore;

beforeAll(async () => {
  dynamo = await startDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  store = new DynamoStateStore({ client: dynamo.documents, tableName: dynamo.tableName, clock: systemClock });
});

async function putIncidentItem(key: string, alert: unknown): Promise<void> {
  await dynamo.documents.send(
    new PutCommand({
      TableName: dynamo.tableName,
      Item: {
        pk: partitionKey('incident', key),
        sk: 'current',
        version: 1,
        published: true,
        announcedUpdates: 0,
        alert,
      },
    }),
  );
}

test('an incident stored with every optional field reads back equal', async () => {
  const alert = makeAlert();

  await store.putIncident({ key: KEY, version: 1, published: false, announcedUpdates: 0, alert }, undefined);

  expect((await store.getIncident(KEY))?.alert).toEqual(alert);
});

test('an incident whose alert has a value the model does not allow is a CorruptItemError naming the field', async () => {
  await putIncidentItem(`${KEY}-bad-severity`, JSON.stringify({ ...makeAlert(), severity: 'APOCALYPTIC' }));

  const read = store.getIncident(`${KEY}-bad-severity`);

  await expect(read).rejects.toBeInstanceOf(CorruptItemError);
  await expect(read).rejects.toThrow(/stored alert is unreadable \(severity: /);
});

test('an incident whose alert is not JSON, or not a string, is a CorruptItemError', async () => {
  await putIncidentItem(`${KEY}-truncated`, JSON.stringify(makeAlert()).slice(0, 100));
  await putIncidentItem(`${KEY}-number`, 42);

  await expect(store.getIncident(`${KEY}-truncated`)).rejects.toThrow('stored alert is unreadable (not JSON)');
  await expect(store.getIncident(`${KEY}-number`)).rejects.toThrow('stored alert is unreadable (not a string)');
});

test('a processed-event marker with an unreadable sample still marks the event done', async () => {
  await store.markProcessed([{ eventId: 'e-good', digest: 'd1', sample: sample({ eventId: 'e-good' }) }]);
  await dynamo.documents.send(
    new PutCommand({
      TableName: dynamo.tableName,
      Item: { pk: 'event#e-bad', sk: 'done', digest: 'd2', sample: '{"eventId":' },
    }),
  );

  const found = await store.processed(['e-good', 'e-bad']);

  expect(found.get('e-good')?.sample).toEqual(sample({ eventId: 'e-good' }));
  expect(found.get('e-bad')).toMatchObject({ digest: 'd2', sample: { eventId: 'e-bad', eventName: 'unknown' } });
});
