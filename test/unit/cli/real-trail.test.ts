/**
 * A trail folder as CloudTrail writes it for a real account: every service's records, gzipped, by Region and
 * day, with digest files beside the logs. The Amazon Q records are the sample records of the playbook table's
 * proving events (shaped like the AWS documentation's examples); the others are the usual S3, EC2 and KMS noise.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { replayCommand } from '../../../shared/cli/commands/replay';
import { SAMPLE_RECORDS } from '../../../shared/playbook/proving-events';
import { TextCapture } from '../../support/streams';

const ACCOUNT = '123456789012';

function otherServiceRecord(i: number): Record<string, unknown> {
  const kinds = [
    {
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventCategory: 'Data',
      readOnly: true,
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::amzn-s3-demo-bucket/key-${i}` }],
    },
    { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', eventCategory: 'Management', readOnly: true },
    // AWS services' own calls have no ARN and an AWSService identity: nothing a Q record would accept.
    {
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      eventCategory: 'Management',
      readOnly: true,
      userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
    },
  ] as const;
  const kind = kinds[i % kinds.length] ?? kinds[0];
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:app',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/app`,
      accountId: ACCOUNT,
    },
    eventTime: `2026-11-20T14:${String(i % 60).padStart(2, '0')}:00Z`,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-sdk-java/2.25.0',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `other-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...kind,
  };
}

const Q_RECORDS = [
  {
    ...SAMPLE_RECORDS['qbusiness.amazonaws.com'],
    eventName: 'CreateApplication',
    eventID: 'q-create-application',
    readOnly: false,
  },
  {
    ...SAMPLE_RECORDS['qapps.amazonaws.com'],
    eventName: 'GetLibraryItem',
    eventID: 'q-get-library-item',
    readOnly: true,
  },
  { ...SAMPLE_RECORDS['q.amazonaws.com'], eventName: 'SendMessage', eventID: 'q-send-message', readOnly: false },
];

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'q-triage-trail-'));
  const day = join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '11', '20');
  const digests = join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', 'us-east-1', '2026', '11', '20');
  await mkdir(day, { recursive: true });
  await mkdir(digests, { recursive: true });
  const others = Array.from({ length: 305 }, (_, i) => otherServiceRecord(i));
  const files = [
    [...others.slice(0, 150), Q_RECORDS[0]],
    [...others.slice(150), Q_RECORDS[1], Q_RECORDS[2]],
  ];
  for (const [index, records] of files.entries()) {
    await writeFile(
      join(day, `${ACCOUNT}_CloudTrail_us-east-1_20261120T14${index}0Z_EXAMPLE${index}.json.gz`),
      gzipSync(JSON.stringify({ Records: records })),
    );
  }
  const digest = {
    awsAccountId: ACCOUNT,
    digestStartTime: '2026-11-20T13:00:00Z',
    digestEndTime: '2026-11-20T14:00:00Z',
    digestS3Bucket: 'trail-bucket',
    digestS3Object: 'digest',
    logFiles: [],
  };
  await writeFile(
    join(digests, `${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20261120T140000Z.json.gz`),
    gzipSync(JSON.stringify(digest)),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replay(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new TextCapture();
  const code = await replayCommand.run([...args, dir], {
    stdout,
    stderr: new TextCapture(),
    stdin: Readable.from([]),
    env: {},
    cwd: process.cwd(),
  });
  return { code, stdout: stdout.text };
}

describe('q-triage replay over a real trail folder', () => {
  test('--strict exits 0: other services are passed over, not rejected', async () => {
    const { code, stdout } = await replay(['--strict', '--no-enrich']);

    expect(code).toBe(0);
    expect(stdout).toContain('3 events, 0 rejected');
    expect(stdout).toContain('other services: 305');
    expect(stdout).not.toContain('Rejected inputs');
  });

  test('reads and grades the Amazon Q records, lists no other service', async () => {
    const { stdout } = await replay(['--format', 'json', '--no-enrich']);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    const events = lines
      .filter((line) => line.type === 'event')
      .map((line) => [line.eventSource, line.eventName, line.severity]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['qbusiness.amazonaws.com', 'CreateApplication', 'MEDIUM'],
        ['qapps.amazonaws.com', 'GetLibraryItem', 'INFORMATIONAL'],
        ['q.amazonaws.com', 'SendMessage', 'INFORMATIONAL'],
      ]),
    );
    expect(events).toHaveLength(3);
    expect(lines.filter((line) => line.type === 'rejected')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', events: 3, rejected: 0, otherServices: 305, inputs: 308 });
  });
});
