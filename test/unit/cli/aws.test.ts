/** What the AWS commands check before their first call. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsSetupError } from '../../../shared/cli/command';
import { checkAwsSetup, regionOfArn } from '../../../shared/cli/aws';

const EXAMPLE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

test('returns the Region when the Region and credentials resolve', async () => {
  await expect(checkAwsSetup(new SQSClient({ region: 'eu-west-1', credentials: EXAMPLE_CREDENTIALS }))).resolves.toBe(
    'eu-west-1',
  );
});

test("no credentials: one line in the AWS CLI's words", async () => {
  const client = new SQSClient({
    region: 'eu-west-1',
    credentials: () =>
      Promise.reject(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      ),
  });

  const check = checkAwsSetup(client);

  await expect(check).rejects.toThrow(AwsSetupError);
  await expect(check).rejects.toThrow(
    /^Unable to locate credentials\. You can configure credentials by running "aws configure"\.$/,
  );
});

test('no Region: says where a Region comes from', async () => {
  const client = new SQSClient({
    region: (): Promise<string> => Promise.reject(new Error('Region is missing')),
    credentials: EXAMPLE_CREDENTIALS,
  });

  await expect(checkAwsSetup(client)).rejects.toThrow(/^You must specify a region: --region, AWS_REGION/);
});

test.each([
  ['arn:aws:sqs:us-east-1:111122223333:q-triage-dlq', 'us-east-1'],
  ['arn:aws-cn:sqs:cn-north-1:111122223333:q', 'cn-north-1'],
  ['arn:aws:iam::111122223333:role/q-triage-triage', undefined],
])('the Region of %s is %s', (arn, region) => {
  expect(regionOfArn(arn)).toBe(region);
});
