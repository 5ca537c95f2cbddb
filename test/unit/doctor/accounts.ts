/** Stubbed accounts for the doctor (aws-sdk-client-mock): one ready, and variations of it. */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetApplicationCommand, QBusinessClient } from '@aws-sdk/client-qbusiness';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { fixedClock } from '../../../shared/clock';
import type { DoctorDeps } from '../../../shared/doctor';

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:q-triage-alerts';
export const NOW = Date.parse('2026-11-23T12:00:00Z');
export const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail';

export const mocks = {
  cloudTrail: mockClient(CloudTrailClient),
  eventBridge: mockClient(EventBridgeClient),
  sns: mockClient(SNSClient),
  qbusiness: mockClient(QBusinessClient),
};

export const QBUSINESS_SELECTORS = [
  { Name: 'Management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
  ...['Application', 'DataSource', 'Index', 'WebExperience', 'Integration'].map((type) => ({
    Name: `Q ${type}`,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [`AWS::QBusiness::${type}`] },
    ],
  })),
];

/** Every check passes. */
export function readyAccount(): void {
  for (const mock of Object.values(mocks)) mock.reset();
  mocks.cloudTrail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'org-trail',
        TrailARN: TRAIL_ARN,
        IsMultiRegionTrail: true,
        LogFileValidationEnabled: true,
        KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k1',
        HomeRegion: 'us-east-1',
      },
    ],
  });
  mocks.cloudTrail
    .on(GetEventSelectorsCommand)
    .resolves({ TrailARN: TRAIL_ARN, AdvancedEventSelectors: QBUSINESS_SELECTORS });
  mocks.cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  mocks.eventBridge
    .on(DescribeRuleCommand, { Name: 'q-triage-writes' })
    .resolves({ Name: 'q-triage-writes', State: 'ENABLED', EventPattern: '{"source":["aws.qbusiness"]}' });
  mocks.eventBridge.on(DescribeRuleCommand, { Name: 'q-triage-reads' }).resolves({
    Name: 'q-triage-reads',
    State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    EventPattern: '{"source":["aws.qbusiness"],"detail":{"readOnly":[true]}}',
  });
  mocks.sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [
      {
        SubscriptionArn: `${TOPIC_ARN}:6f1c0c2e-1111-2222-3333-444455556666`,
        Protocol: 'email',
        Endpoint: 'secops@example.com',
        TopicArn: TOPIC_ARN,
      },
    ],
  });
  mocks.qbusiness.on(GetApplicationCommand).resolves({ applicationId: 'app-1', status: 'ACTIVE' });
}

/** A Region and (example) credentials: the doctor command checks both before its first call. */
const CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
};

export function doctorDeps(overrides: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    cloudTrail: new CloudTrailClient(CLIENT_CONFIG),
    eventBridge: new EventBridgeClient(CLIENT_CONFIG),
    sns: new SNSClient(CLIENT_CONFIG),
    qbusiness: new QBusinessClient(CLIENT_CONFIG),
    readPlaybookVersion: async () => ({ version: 'v12', syncedAt: '2026-11-23T06:00:00Z' }),
    clock: fixedClock(NOW),
    config: {
      alertsTopicArn: TOPIC_ARN,
      eventRuleNames: ['q-triage-writes', 'q-triage-reads'],
      applicationId: 'app-1',
      syncStaleHours: 48,
    },
    ...overrides,
  };
}
