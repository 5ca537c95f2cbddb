/** The doctor report as text (one block per check) or JSON. Check texts are ours; nothing here is attacker-supplied. */
import { worstStatus, type CheckResult } from './checks';

export function renderDoctorText(results: readonly CheckResult[]): string {
  const lines = results.flatMap((result) => [
    `${result.status.padEnd(4)}  ${result.id}: ${result.detail}`,
    ...(result.fix !== '' ? [`      fix: ${result.fix}`] : []),
  ]);
  const counts = (['PASS', 'WARN', 'FAIL'] as const).map(
    (status) => `${results.filter((result) => result.status === status).length} ${status}`,
  );
  return `${lines.join('\n')}\n\nReadiness: ${worstStatus(results)} (${counts.join(', ')})\n`;
}

export function renderDoctorJson(results: readonly CheckResult[]): string {
  return `${JSON.stringify({ status: worstStatus(results), checks: results }, null, 2)}\n`;
}
