/** `q-triage doctor`: is this account ready for q-triage? Reads only; exit 1 on any FAIL. */
import type { Writable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../clock';
import {
  createDoctorDeps,
  loadReadinessConfig,
  renderDoctorJson,
  renderDoctorText,
  runDoctor,
  worstStatus,
  type DoctorDeps,
  type ReadinessConfig,
} from '../../doctor';
import { checkAwsSetup } from '../aws';
import type { CliIo, Command } from '../command';
import { outputFormat, parseCliArgs } from '../options';
import { writeText } from '../output';

const USAGE = `Usage: q-triage doctor [options]

Checks, read-only, that this account and Region are ready for q-triage: a trail logging Amazon Q
Business data events (multi-Region, log file validation, KMS, logging), the EventBridge rules
enabled (the read-only rule as ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS), a confirmed
subscription on the alerts topic, the Q Business application ACTIVE, the playbooks synced recently.
Each check prints PASS, WARN or FAIL and how to fix it. Exit status 1 when any check fails.

Reads ALERTS_TOPIC_ARN, EVENT_RULE_NAMES, QBUSINESS_APPLICATION_ID, QBUSINESS_REGION, STATE_TABLE,
SYNC_STALE_HOURS and the usual AWS credentials and AWS_REGION from the environment.

Options:
  --format text|json   text (default) or one JSON document
  --region REGION      the Region to check (default: AWS_REGION)
  -h, --help           this help`;

export type DoctorDepsFactory = (config: ReadinessConfig, region: string | undefined) => DoctorDeps;

const defaultFactory: DoctorDepsFactory = (config, region) =>
  createDoctorDeps(config, {
    clock: systemClock,
    ...(region !== undefined ? { region } : {}),
    ...(config.stateTable !== undefined
      ? { dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(region !== undefined ? { region } : {})) }
      : {}),
  });

export function createDoctorCommand(factory: DoctorDepsFactory = defaultFactory): Command {
  return {
    name: 'doctor',
    summary: 'Check that the account is ready: trails, data events, rules, subscriptions, Q',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const { values } = parseCliArgs({
        args: [...args],
        options: { format: { type: 'string' }, region: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
      const format = outputFormat(values.format);
      const deps = factory(loadReadinessConfig(io.env), values.region ?? io.env.AWS_REGION);
      // Without a Region or credentials every check would fail the same way, each with an IAM "fix".
      await checkAwsSetup(deps.cloudTrail);
      const results = await runDoctor(deps);
      writeText(io.stdout as Writable, format === 'json' ? renderDoctorJson(results) : renderDoctorText(results));
      return worstStatus(results) === 'FAIL' ? 1 : 0;
    },
  };
}

export const doctorCommand: Command = createDoctorCommand();
