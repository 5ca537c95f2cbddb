/** Replay's progress line: on a terminal only, redrawn in place, erased at the end. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countFiles, createProgress } from '../../../shared/cli/progress';
import { TextCapture } from '../../support/streams';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'q-triage-progress-'));
  for (let i = 0; i < 4; i += 1) writeFileSync(path.join(dir, `log-${i}.json`), '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('on a terminal: files of the total, events, rate and ETA, then the line is erased', async () => {
  const stderr = new TextCapture(true);
  let now = 0;
  const progress = createProgress(
    stderr,
    () => Promise.resolve(4),
    () => now,
  );
  await Promise.resolve(); // the count settles in the background

  now = 1000;
  progress.batch(500);
  progress.done();

  expect(stderr.text).toBe('\r\x1b[Kreplay: 1/4 files, 500 events, 500/s, ETA 3 s\r\x1b[K');
});

test('not a terminal (a pipe, a log file): nothing', () => {
  const stderr = new TextCapture(false);
  let now = 0;
  const progress = createProgress(
    stderr,
    () => Promise.resolve(4),
    () => now,
  );

  now = 5000;
  progress.batch(500);
  progress.done();

  expect(stderr.text).toBe('');
});

test('counts the files a replay will read, hidden entries skipped', async () => {
  writeFileSync(path.join(dir, '.DS_Store'), '');

  await expect(countFiles([dir], '/')).resolves.toBe(4);
});
