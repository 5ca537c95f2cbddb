import { PassThrough } from 'node:stream';
import { createStdoutNotifier } from '../../../shared/notify';
import type { Alert } from '../../../shared/alerts/model';
import type { OutgoingMessage, PublishKind } from '../../../shared/notify';
import { HOSTILE_TEXT, makeAlert, sample } from '../../support/alerts';

const message = (alert: Alert, kind: PublishKind): OutgoingMessage => ({ id: 'msg-1', route: 'alerts', alert, kind });

function capture(): { stream: PassThrough; output: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, output: () => Buffer.concat(chunks).toString('utf8') };
}

describe('stdout notifier', () => {
  test('writes one JSON line per alert with the documented keys', async () => {
    const { stream, output } = capture();
    const notifier = createStdoutNotifier({ stream, format: 'json' });

    await notifier.send(message(makeAlert(), 'new'));
    await notifier.send(message(makeAlert({ updates: 1, count: 3 }), 'update'));

    const lines = output().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(first).toMatchObject({
      type: 'alert',
      alertId: 'alert-7f3a',
      severity: 'HIGH',
      category: 'application',
      rule: 'playbook/DeleteApplication',
      title: 'Q Business application deleted',
      principal: 'arn:aws:iam::111122223333:user/alice',
      eventIds: ['e-0001', 'e-0002'],
      count: 2,
      kind: 'new',
    });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ kind: 'update', updates: 1, count: 3 });
  });

  test('keeps a hostile userAgent from breaking the one-line-per-alert framing', async () => {
    const { stream, output } = capture();

    await createStdoutNotifier({ stream, format: 'json' }).send(
      message(makeAlert({ samples: [sample({ userAgent: HOSTILE_TEXT })] }), 'new'),
    );

    expect(output().trimEnd().split('\n')).toHaveLength(1);
    // eslint-disable-next-line no-control-regex -- finding raw control characters is the point of the test
    expect(output()).not.toMatch(/[\u001b\u202e]/u);
  });

  test('writes readable text with the title line first', async () => {
    const { stream, output } = capture();

    await createStdoutNotifier({ stream, format: 'text' }).send(message(makeAlert({ severity: 'CRITICAL' }), 'new'));

    expect(output().startsWith('[CRITICAL] Q Business application deleted\n')).toBe(true);
  });

  test('writes nothing for a page: the alert is shown once, with its paged flag', async () => {
    const { stream, output } = capture();

    await createStdoutNotifier({ stream, format: 'json' }).send({
      ...message(makeAlert({ severity: 'CRITICAL' }), 'new'),
      route: 'paging',
    });

    expect(output()).toBe('');
  });

  test('rejects when the stream fails', async () => {
    const stream = new PassThrough();
    stream.destroy();

    await expect(createStdoutNotifier({ stream, format: 'json' }).send(message(makeAlert(), 'new'))).rejects.toThrow();
  });
});
