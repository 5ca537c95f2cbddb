/**
 * Readiness checks: is the account set up so that q-triage sees what it must see and reaches who it
 * must reach? Each check reads only (Describe/Get/List) and says how to fix what it finds.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type CloudTrailClient,
  type EventSelector,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetApplicationCommand, type QBusinessClient } from '@aws-sdk/client-qbusiness';
import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Clock } from '../clock';
import { errorName } from '../errors';

export const CHECK_STATUSES = ['PASS', 'WARN', 'FAIL'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  /** Stable id: readiness regressions are found by comparing results with the same id. */
  readonly id: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do; empty when the check passed. */
  readonly fix: string;
}

export interface PlaybookVersionRecord {
  readonly version?: string;
  readonly syncedAt?: string;
  /** When resync last downloaded and compared the playbooks (older records carry only syncedAt). */
  readonly verifiedAt?: string;
}

export interface DoctorConfig {
  readonly alertsTopicArn?: string;
  readonly eventRuleNames: readonly string[];
  readonly applicationId?: string;
  readonly syncStaleHours: number;
}

export interface DoctorDeps {
  readonly cloudTrail: CloudTrailClient;
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
  /** Absent when no Q Business application is configured for enrichment. */
  readonly qbusiness?: QBusinessClient;
  /** Reads `playbook#version` from the state table; undefined when the item does not exist. */
  readonly readPlaybookVersion?: () => Promise<PlaybookVersionRecord | undefined>;
  readonly clock: Clock;
  readonly config: DoctorConfig;
}

/**
 * Q Business resource types with data events: the Amazon Q playbook's three, and the web experience and
 * integration types of the CloudTrail user guide's data-event table.
 */
export const QBUSINESS_DATA_RESOURCE_TYPES = [
  'AWS::QBusiness::Application',
  'AWS::QBusiness::DataSource',
  'AWS::QBusiness::Index',
  'AWS::QBusiness::WebExperience',
  'AWS::QBusiness::Integration',
] as const;

/** PutEventSelectors replaces every selector: the recommendation keeps a Management selector. */
export function dataEventSelectorsFix(trailName: string): string {
  const selectors = [
    { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    ...QBUSINESS_DATA_RESOURCE_TYPES.map((type) => ({
      Name: `Amazon Q Business data events (${type.split('::')[2] ?? type})`,
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: [type] },
      ],
    })),
  ];
  return [
    `Add advanced event selectors for ${QBUSINESS_DATA_RESOURCE_TYPES.join(', ')} to trail ${trailName}.`,
    'PutEventSelectors replaces ALL selectors of the trail: first read the current ones (aws cloudtrail get-event-selectors),',
    'keep every existing selector and keep a Management selector, or the trail stops logging management events. For example:',
    `aws cloudtrail put-event-selectors --trail-name ${trailName} --advanced-event-selectors '${JSON.stringify(selectors)}'`,
    '(An organization trail is changed from the management account. Data events are billed per event.)',
  ].join(' ');
}

function trailLabel(trail: Trail): string {
  return trail.Name ?? trail.TrailARN ?? 'unnamed trail';
}

/** The Q Business resource types a trail's selectors log data events for. */
export function qbusinessDataTypes(
  advanced: readonly AdvancedEventSelector[],
  basic: readonly EventSelector[],
): Set<string> {
  const types = new Set<string>();
  for (const selector of advanced) {
    const fields = selector.FieldSelectors ?? [];
    const isData = fields.some((field) => field.Field === 'eventCategory' && (field.Equals ?? []).includes('Data'));
    if (!isData) continue;
    for (const field of fields.filter((candidate) => candidate.Field === 'resources.type')) {
      for (const type of QBUSINESS_DATA_RESOURCE_TYPES) {
        if ((field.Equals ?? []).includes(type) || (field.StartsWith ?? []).some((prefix) => type.startsWith(prefix)))
          types.add(type);
      }
    }
  }
  for (const selector of basic) {
    for (const resource of selector.DataResources ?? []) {
      for (const type of QBUSINESS_DATA_RESOURCE_TYPES) if (resource.Type === type) types.add(type);
    }
  }
  return types;
}

interface TrailFacts {
  readonly trail: Trail;
  readonly qbusinessTypes: ReadonlySet<string>;
  readonly logging: boolean;
}

async function trailFacts(cloudTrail: CloudTrailClient): Promise<TrailFacts[]> {
  const { trailList = [] } = await cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const facts: TrailFacts[] = [];
  for (const trail of trailList) {
    const name = trail.TrailARN ?? trail.Name;
    if (name === undefined) continue;
    const [selectors, status] = await Promise.all([
      cloudTrail.send(new GetEventSelectorsCommand({ TrailName: name })),
      cloudTrail.send(new GetTrailStatusCommand({ Name: name })),
    ]);
    facts.push({
      trail,
      qbusinessTypes: qbusinessDataTypes(selectors.AdvancedEventSelectors ?? [], selectors.EventSelectors ?? []),
      logging: status.IsLogging === true,
    });
  }
  return facts;
}

/** The trail the other trail checks are about: the best one for Q data events, logging first. */
function chooseTrail(facts: readonly TrailFacts[]): TrailFacts | undefined {
  return [...facts].sort(
    (a, b) =>
      b.qbusinessTypes.size - a.qbusinessTypes.size ||
      Number(b.logging) - Number(a.logging) ||
      Number(b.trail.IsMultiRegionTrail === true) - Number(a.trail.IsMultiRegionTrail === true),
  )[0];
}

const pass = (id: string, detail: string): CheckResult => ({ id, status: 'PASS', detail, fix: '' });

async function trailChecks(deps: DoctorDeps): Promise<CheckResult[]> {
  let facts: TrailFacts[];
  try {
    facts = await trailFacts(deps.cloudTrail);
  } catch (error) {
    const detail = `CloudTrail could not be read (${errorName(error, 'an unknown error')}).`;
    const fix =
      'Allow cloudtrail:DescribeTrails, cloudtrail:GetEventSelectors and cloudtrail:GetTrailStatus to the role running the check.';
    return ['trail-data-events', 'trail-logging', 'trail-multi-region', 'trail-log-validation', 'trail-kms'].map(
      (id) => ({ id, status: 'FAIL', detail, fix }),
    );
  }
  const chosen = chooseTrail(facts);
  if (chosen === undefined) {
    const fix =
      'Create a multi-Region trail with log file validation and a KMS key, logging management events and Amazon Q Business data events.';
    return [
      {
        id: 'trail-data-events',
        status: 'FAIL',
        detail: 'No CloudTrail trail exists in this Region: no data events are logged.',
        fix,
      },
      { id: 'trail-logging', status: 'FAIL', detail: 'No CloudTrail trail exists.', fix },
      { id: 'trail-multi-region', status: 'FAIL', detail: 'No CloudTrail trail exists.', fix },
      { id: 'trail-log-validation', status: 'FAIL', detail: 'No CloudTrail trail exists.', fix },
      { id: 'trail-kms', status: 'FAIL', detail: 'No CloudTrail trail exists.', fix },
    ];
  }
  const name = trailLabel(chosen.trail);
  const missing = QBUSINESS_DATA_RESOURCE_TYPES.filter((type) => !chosen.qbusinessTypes.has(type));
  const dataEvents: CheckResult =
    missing.length === 0 && chosen.logging
      ? pass(
          'trail-data-events',
          `Trail ${name} logs Amazon Q Business data events for ${QBUSINESS_DATA_RESOURCE_TYPES.join(', ')}.`,
        )
      : missing.length === QBUSINESS_DATA_RESOURCE_TYPES.length
        ? {
            id: 'trail-data-events',
            status: 'FAIL',
            detail: `No trail logs Amazon Q Business data events (${facts.length} trail(s) checked): uploads, chats and syncs are invisible.`,
            fix: dataEventSelectorsFix(name),
          }
        : missing.length > 0
          ? {
              id: 'trail-data-events',
              status: 'WARN',
              detail: `Trail ${name} logs Amazon Q Business data events, but not for ${missing.join(', ')}.`,
              fix: dataEventSelectorsFix(name),
            }
          : {
              id: 'trail-data-events',
              status: 'FAIL',
              detail: `Trail ${name} selects Amazon Q Business data events but is not logging.`,
              fix: `Start logging: aws cloudtrail start-logging --name ${name}.`,
            };
  return [
    dataEvents,
    chosen.logging
      ? pass('trail-logging', `Trail ${name} is logging.`)
      : {
          id: 'trail-logging',
          status: 'FAIL',
          detail: `Trail ${name} is not logging.`,
          fix: `aws cloudtrail start-logging --name ${name}`,
        },
    chosen.trail.IsMultiRegionTrail === true
      ? pass('trail-multi-region', `Trail ${name} is multi-Region.`)
      : {
          id: 'trail-multi-region',
          status: 'WARN',
          detail: `Trail ${name} logs one Region only; Amazon Q activity in other Regions is not recorded.`,
          fix: `aws cloudtrail update-trail --name ${name} --is-multi-region-trail`,
        },
    chosen.trail.LogFileValidationEnabled === true
      ? pass('trail-log-validation', `Trail ${name} has log file validation.`)
      : {
          id: 'trail-log-validation',
          status: 'WARN',
          detail: `Trail ${name} has no log file validation: tampering with its log files would go unnoticed.`,
          fix: `aws cloudtrail update-trail --name ${name} --enable-log-file-validation`,
        },
    chosen.trail.KmsKeyId !== undefined && chosen.trail.KmsKeyId !== ''
      ? pass('trail-kms', `Trail ${name} encrypts its log files with a KMS key.`)
      : {
          id: 'trail-kms',
          status: 'WARN',
          detail: `Trail ${name} log files are not encrypted with a KMS key (SSE-S3 only).`,
          fix: `aws cloudtrail update-trail --name ${name} --kms-key-id <key-arn> (the key policy must allow CloudTrail to use it)`,
        },
  ];
}

/** A rule whose pattern (or name) targets read-only calls only fires in the ENABLED_WITH_ALL_… state. */
function targetsReadOnly(name: string, pattern: string | undefined): boolean {
  if (/\bread-?only\b|\breads?\b/i.test(name)) return true;
  if (pattern === undefined) return false;
  try {
    const readOnly = (JSON.parse(pattern) as { detail?: { readOnly?: unknown } }).detail?.readOnly;
    return Array.isArray(readOnly) && readOnly.includes(true);
  } catch {
    return false;
  }
}

const READ_ONLY_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

async function ruleChecks(deps: DoctorDeps): Promise<CheckResult[]> {
  const names = deps.config.eventRuleNames;
  if (names.length === 0) {
    return [
      {
        id: 'event-rules',
        status: 'WARN',
        detail: 'EVENT_RULE_NAMES is not set: the EventBridge rules were not checked.',
        fix: 'Set EVENT_RULE_NAMES to the comma-separated names of the q-triage rules.',
      },
    ];
  }
  const results: CheckResult[] = [];
  let readOnlyCovered = false;
  for (const name of names) {
    const id = `event-rule:${name}`;
    try {
      const rule = await deps.eventBridge.send(new DescribeRuleCommand({ Name: name }));
      const state = rule.State ?? 'UNKNOWN';
      if (state === READ_ONLY_STATE) readOnlyCovered = true;
      if (state !== 'ENABLED' && state !== READ_ONLY_STATE) {
        results.push({
          id,
          status: 'FAIL',
          detail: `Rule ${name} is ${state}: its events do not reach q-triage.`,
          fix: `aws events enable-rule --name ${name}`,
        });
      } else if (targetsReadOnly(name, rule.EventPattern) && state !== READ_ONLY_STATE) {
        results.push({
          id,
          status: 'FAIL',
          detail: `Rule ${name} matches read-only calls but is ENABLED; only ${READ_ONLY_STATE} delivers read-only management events.`,
          fix: `Set the rule's State to ${READ_ONLY_STATE} (CloudFormation State property, or aws events put-rule --name ${name} --event-pattern <pattern> --state ${READ_ONLY_STATE}).`,
        });
      } else results.push(pass(id, `Rule ${name} is ${state}.`));
    } catch (error) {
      const notFound = errorName(error, 'an unknown error') === 'ResourceNotFoundException';
      results.push({
        id,
        status: 'FAIL',
        detail: notFound
          ? `Rule ${name} does not exist in this Region.`
          : `Rule ${name} could not be read (${errorName(error, 'an unknown error')}).`,
        fix: notFound
          ? 'Deploy the q-triage stack in this Region, or correct EVENT_RULE_NAMES.'
          : 'Allow events:DescribeRule on the q-triage rules to the role running the check.',
      });
    }
  }
  results.push(
    readOnlyCovered
      ? pass('event-rules-read-only', `A rule is ${READ_ONLY_STATE}: read-only calls and denied reads are seen.`)
      : {
          id: 'event-rules-read-only',
          status: 'WARN',
          detail: `No rule is ${READ_ONLY_STATE}: read-only management calls (Get*, List*) and denied reads (probing) are not seen.`,
          fix: `Enable the read-only rule of the stack with State ${READ_ONLY_STATE} (volume can be high).`,
        },
  );
  return results;
}

async function subscriptionCheck(deps: DoctorDeps): Promise<CheckResult[]> {
  const id = 'alerts-subscription';
  const topic = deps.config.alertsTopicArn;
  if (topic === undefined)
    return [
      {
        id,
        status: 'WARN',
        detail: 'ALERTS_TOPIC_ARN is not set: the alerts topic was not checked.',
        fix: 'Set ALERTS_TOPIC_ARN to the q-triage alerts topic.',
      },
    ];
  try {
    let confirmed = 0;
    let pending = 0;
    let nextToken: string | undefined;
    do {
      const page = await deps.sns.send(
        new ListSubscriptionsByTopicCommand({
          TopicArn: topic,
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        }),
      );
      for (const subscription of page.Subscriptions ?? []) {
        if (subscription.SubscriptionArn?.startsWith('arn:') === true) confirmed += 1;
        else if (subscription.SubscriptionArn === 'PendingConfirmation') pending += 1;
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    if (confirmed > 0) return [pass(id, `The alerts topic has ${confirmed} confirmed subscription(s).`)];
    return [
      {
        id,
        status: 'FAIL',
        detail: `The alerts topic has no confirmed subscription${pending > 0 ? ` (${pending} pending confirmation)` : ''}: alerts reach nobody.`,
        fix:
          pending > 0
            ? 'Confirm the pending subscription (the link in the email SNS sent), or subscribe another endpoint.'
            : `aws sns subscribe --topic-arn ${topic} --protocol email --notification-endpoint <address>, then confirm it.`,
      },
    ];
  } catch (error) {
    return [
      {
        id,
        status: 'FAIL',
        detail: `The alerts topic could not be read (${errorName(error, 'an unknown error')}).`,
        fix: 'Check ALERTS_TOPIC_ARN and allow sns:ListSubscriptionsByTopic on it to the role running the check.',
      },
    ];
  }
}

async function applicationCheck(deps: DoctorDeps): Promise<CheckResult[]> {
  const id = 'qbusiness-application';
  const applicationId = deps.config.applicationId;
  if (applicationId === undefined || deps.qbusiness === undefined) {
    return [
      {
        id,
        status: 'WARN',
        detail: 'No Q Business application is configured: alerts are enriched from the local playbooks only.',
        fix: 'Set QBUSINESS_APPLICATION_ID to enrich alerts from the playbook assistant.',
      },
    ];
  }
  try {
    const application = await deps.qbusiness.send(new GetApplicationCommand({ applicationId }));
    if (application.status === 'ACTIVE') return [pass(id, `Q Business application ${applicationId} is ACTIVE.`)];
    return [
      {
        id,
        status: 'FAIL',
        detail: `Q Business application ${applicationId} is ${application.status ?? 'in an unknown state'}.`,
        fix: 'Wait for the application to become ACTIVE or repair it in the Q Business console; enrichment fails meanwhile.',
      },
    ];
  } catch (error) {
    return [
      {
        id,
        status: 'FAIL',
        detail: `Q Business application ${applicationId} is not reachable (${errorName(error, 'an unknown error')}).`,
        fix: 'Check QBUSINESS_APPLICATION_ID and QBUSINESS_REGION, and allow qbusiness:GetApplication on it.',
      },
    ];
  }
}

async function playbookCheck(deps: DoctorDeps): Promise<CheckResult[]> {
  const id = 'playbooks-synced';
  if (deps.readPlaybookVersion === undefined)
    return [
      {
        id,
        status: 'WARN',
        detail: 'STATE_TABLE is not set: the playbook sync was not checked.',
        fix: 'Set STATE_TABLE to the q-triage state table.',
      },
    ];
  try {
    const record = await deps.readPlaybookVersion();
    // Stale means the playbooks could not be checked: unchanged upstream playbooks are current, however old.
    const checkedIso = record?.verifiedAt ?? record?.syncedAt;
    const checkedAt = checkedIso === undefined ? Number.NaN : Date.parse(checkedIso);
    if (Number.isNaN(checkedAt))
      return [
        {
          id,
          status: 'FAIL',
          detail: 'The playbooks were never synced.',
          fix: 'Invoke the resync function once and check its logs.',
        },
      ];
    const ageHours = (deps.clock.now() - checkedAt) / 3600_000;
    const when = `${new Date(checkedAt).toISOString()} (${ageHours.toFixed(1)} h ago)`;
    if (ageHours <= deps.config.syncStaleHours) return [pass(id, `Playbooks checked at ${when}.`)];
    return [
      {
        id,
        status: 'WARN',
        detail: `Playbooks last checked at ${when}, older than ${deps.config.syncStaleHours} h.`,
        fix: 'Check the resync function schedule and its recent errors; invoke it once.',
      },
    ];
  } catch (error) {
    return [
      {
        id,
        status: 'FAIL',
        detail: `The state table could not be read (${errorName(error, 'an unknown error')}).`,
        fix: 'Check STATE_TABLE and allow dynamodb:GetItem on it to the role running the check.',
      },
    ];
  }
}

/** The checks, in report order. Adding one is a row here and a test. */
const CHECKS: readonly ((deps: DoctorDeps) => Promise<CheckResult[]>)[] = [
  trailChecks,
  ruleChecks,
  subscriptionCheck,
  applicationCheck,
  playbookCheck,
];

export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const results = await Promise.all(CHECKS.map((check) => check(deps)));
  return results.flat();
}

export function worstStatus(results: readonly CheckResult[]): CheckStatus {
  return results.reduce<CheckStatus>(
    (worst, result) => (CHECK_STATUSES.indexOf(result.status) > CHECK_STATUSES.indexOf(worst) ? result.status : worst),
    'PASS',
  );
}
