/** `q-triage resync`: the scheduled resync, run locally against the configured environment. */
import type { Writable } from 'node:stream';
import { systemClock } from '../../clock';
import { createLogger } from '../../logger';
import { createResyncDeps, loadResyncConfig, renderReportText, runResync } from '../../resync';
import { checkAwsSetup } from '../aws';
import type { CliIo, Command } from '../command';
import { outputFormat, parseCliArgs } from '../options';
import { writeJsonLine, writeText } from '../output';

const USAGE = `Usage: q-triage resync [--dry-run] [--force-sync] [--format text|json]

Downloads the playbook repository tarball, verifies it, mirrors its documentation (docs/**/*.md) to
AWS_PLAYBOOKS_BUCKET like \`aws s3 sync --delete\`, starts the Q Business data source syncs when the
playbooks changed, records the playbook version in STATE_TABLE and publishes the report to
ALERTS_TOPIC_ARN when something changed or failed. Configuration comes from the environment
(PLAYBOOK_REPOSITORY, PLAYBOOK_REF, PLAYBOOK_TARBALL_URL, AWS_PLAYBOOKS_BUCKET, CUSTOM_PLAYBOOKS_BUCKET,
PLAYBOOKS_KMS_KEY_ARN, QBUSINESS_APPLICATION_ID, QBUSINESS_INDEX_ID, QBUSINESS_DATA_SOURCE_IDS,
SYNC_STALE_HOURS, MAX_TARBALL_BYTES, STATE_TABLE, ALERTS_TOPIC_ARN) and the usual AWS credentials.

Options:
  --dry-run            download, verify and diff against the bucket; write, start and publish nothing
  --force-sync         start the data source syncs even when nothing changed
  --format text|json   text (default): a summary; json: the report as one object
  -h, --help           this help

Exit code: 0 when the resync succeeded, 1 when it failed or found a failed or stale data source sync.`;

export const resyncCommand: Command = {
  name: 'resync',
  summary: 'Sync the playbooks to S3 and start the Q Business data source syncs',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCliArgs({
      args: [...args],
      options: {
        'dry-run': { type: 'boolean', default: false },
        'force-sync': { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
      },
    });
    const format = outputFormat(parsed.values.format);
    const deps = createResyncDeps(loadResyncConfig(io.env), {
      clock: systemClock,
      logger: createLogger({ silent: true }),
    });
    await checkAwsSetup(deps.s3);
    const report = await runResync(deps, { dryRun: parsed.values['dry-run'], forceSync: parsed.values['force-sync'] });
    const stdout = io.stdout as Writable;
    if (format === 'json') writeJsonLine(stdout, report);
    else writeText(stdout, renderReportText(report));
    return report.outcome === 'ok' && report.problems.length === 0 ? 0 : 1;
  },
};
