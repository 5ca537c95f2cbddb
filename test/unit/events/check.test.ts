import * as z from 'zod/mini';
import { compileCheck, UnsupportedSchemaError } from '../../../shared/events/check';
import { cloudTrailRecordSchema, eventBridgeEnvelopeSchema } from '../../../shared/events/schema';
import { cloudTrailRecord, dataEvent, envelope, identities, without, withField } from '../../support/cloudtrail';

/** Every declared field of the record schema, dotted, nested ones included. */
const FIELDS = [
  'eventID',
  'eventName',
  'eventSource',
  'eventTime',
  'awsRegion',
  'userIdentity',
  'userIdentity.type',
  'userIdentity.principalId',
  'userIdentity.arn',
  'userIdentity.accountId',
  'userIdentity.accessKeyId',
  'userIdentity.userName',
  'userIdentity.invokedBy',
  'userIdentity.sessionContext',
  'userIdentity.sessionContext.sessionIssuer',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'userIdentity.sessionContext.sessionIssuer.type',
  'userIdentity.sessionContext.sessionIssuer.userName',
  'userIdentity.sessionContext.attributes',
  'userIdentity.sessionContext.attributes.mfaAuthenticated',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'readOnly',
  'resources',
  'managementEvent',
  'recipientAccountId',
  'eventCategory',
] as const;

/** Values of every JSON kind, at and around the length bounds of the schema. */
const REPLACEMENTS: readonly unknown[] = [null, '', 'x', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 0, 1.5, true, false, {}, [], ['x'], [{}], [{ ARN: 1 }], [{ ARN: 'arn', type: null }], [null]];

describe('compileCheck agrees with zod', () => {
  const isRecord = compileCheck(cloudTrailRecordSchema);
  const base = cloudTrailRecord({ identity: identities.assumedRole() });
  const cases: [string, unknown][] = [
    ['the base record', base],
    ['a data event', dataEvent()],
    ['a record with extra fields', { ...base, requestParameters: { applicationId: 'a' }, additionalEventData: [1, 2] }],
    ...Object.entries(identities).map(([kind, identity]): [string, unknown] => [`identity ${kind}`, cloudTrailRecord({ identity: identity() })]),
    ...[null, undefined, 'text', 1, [], [base]].map((value): [string, unknown] => [`the input ${JSON.stringify(value)}`, value]),
  ];
  for (const field of FIELDS) {
    cases.push([`without ${field}`, without(base, field)]);
    cases.push([`${field} undefined`, withField(base, field, undefined)]);
    for (const replacement of REPLACEMENTS) cases.push([`${field} = ${JSON.stringify(replacement).slice(0, 20)}`, withField(base, field, replacement)]);
  }

  test.each(cases)('%s', (_name, value) => {
    expect(isRecord(value)).toBe(cloudTrailRecordSchema.safeParse(value).success);
  });

  test('the envelope schema too', () => {
    const isEnvelope = compileCheck(eventBridgeEnvelopeSchema);
    const good = envelope(base);
    for (const value of [good, without(good, 'detail-type'), withField(good, 'source', 3), withField(good, 'detail', undefined), []]) {
      expect(isEnvelope(value)).toBe(eventBridgeEnvelopeSchema.safeParse(value).success);
    }
  });
});

describe('compileCheck refuses what it cannot compile', () => {
  test.each([
    ['a number', z.number()],
    ['a regex check', z.string().check(z.regex(/^a/))],
    ['an enum', z.enum(['a', 'b'])],
    ['an object with a catchall', z.catchall(z.object({ a: z.string() }), z.string())],
    ['a check on an array', z.array(z.string()).check(z.minLength(1))],
  ])('%s', (_name, schema) => {
    expect(() => compileCheck(schema)).toThrow(UnsupportedSchemaError);
  });
});
