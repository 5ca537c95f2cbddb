import { UnsafeArchiveError, type UnsafeArchiveReason } from '../../../shared/resync/errors';
import { globToRegExp, includeFilter, unpackTarball, type ArchiveLimits } from '../../../shared/resync/tarball';
import {
  buildTarball,
  FIXTURE_COMMIT,
  FIXTURE_FILES,
  FIXTURE_TOP,
  repositoryEntries,
  type TarEntry,
} from '../../fixtures/tarballs/build';

const LIMITS: ArchiveLimits = { maxFiles: 50, maxFileBytes: 1024, maxUnpackedBytes: 8192 };
const docsOnly = includeFilter(['docs/**/*.md']);

async function refusal(
  entries: readonly TarEntry[],
  limits: ArchiveLimits = LIMITS,
): Promise<UnsafeArchiveReason | 'accepted'> {
  const archive = await buildTarball(entries, { commit: FIXTURE_COMMIT });
  try {
    await unpackTarball(archive, limits, docsOnly);
    return 'accepted';
  } catch (error) {
    if (error instanceof UnsafeArchiveError) return error.reason;
    throw error;
  }
}

describe('unpackTarball', () => {
  test('keeps the included files under paths without the top-level directory', async () => {
    const archive = await buildTarball(repositoryEntries(FIXTURE_FILES), { commit: FIXTURE_COMMIT });

    const tree = await unpackTarball(archive, LIMITS, docsOnly);

    expect([...tree.files.keys()].sort()).toEqual([
      'docs/Other_Playbook.md',
      'docs/Sample_Playbook.md',
      'docs/de/de.Sample_Playbook.md',
    ]);
    expect(tree.topLevel).toBe(FIXTURE_TOP);
  });

  test('reads the commit from the pax global header comment', async () => {
    const archive = await buildTarball(repositoryEntries(FIXTURE_FILES), { commit: FIXTURE_COMMIT });

    const tree = await unpackTarball(archive, LIMITS, docsOnly);

    expect(tree.commit).toBe(FIXTURE_COMMIT);
  });

  test('leaves the commit undefined when the archive has no pax global header', async () => {
    const archive = await buildTarball(repositoryEntries(FIXTURE_FILES));

    const tree = await unpackTarball(archive, LIMITS, docsOnly);

    expect(tree.commit).toBeUndefined();
  });

  const top = { name: `${FIXTURE_TOP}/`, type: 'directory' } as const;
  const cases: ReadonlyArray<readonly [string, readonly TarEntry[], UnsafeArchiveReason, ArchiveLimits]> = [
    [
      'a path climbing out of the tree',
      [top, { name: `${FIXTURE_TOP}/../x.md`, content: 'x' }],
      'path-traversal',
      LIMITS,
    ],
    ['a bare ../ path', [{ name: '../x.md', content: 'x' }], 'path-traversal', LIMITS],
    ['an absolute path', [top, { name: '/etc/cron.d/x', content: 'x' }], 'absolute-path', LIMITS],
    [
      'a symlink',
      [top, { name: `${FIXTURE_TOP}/docs/link.md`, type: 'symlink', linkname: '/etc/passwd' }],
      'link',
      LIMITS,
    ],
    [
      'a hard link',
      [top, { name: `${FIXTURE_TOP}/docs/hard.md`, type: 'link', linkname: `${FIXTURE_TOP}/README.md` }],
      'link',
      LIMITS,
    ],
    [
      'a character device',
      [top, { name: `${FIXTURE_TOP}/docs/tty`, type: 'character-device' }],
      'special-file',
      LIMITS,
    ],
    ['a fifo', [top, { name: `${FIXTURE_TOP}/docs/pipe`, type: 'fifo' }], 'special-file', LIMITS],
    [
      'a file over the per-file cap',
      [top, { name: `${FIXTURE_TOP}/docs/big.md`, content: 'x'.repeat(2048) }],
      'file-too-large',
      LIMITS,
    ],
    [
      'files over the total cap',
      repositoryEntries(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`docs/p${i}.md`, 'x'.repeat(1000)]))),
      'archive-too-large',
      LIMITS,
    ],
    [
      'more entries than the cap',
      repositoryEntries(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`docs/p${i}.md`, 'x']))),
      'too-many-files',
      { ...LIMITS, maxFiles: 5 },
    ],
    [
      'two top-level directories',
      [top, { name: 'elsewhere/docs/x.md', content: 'x' }],
      'no-top-level-directory',
      LIMITS,
    ],
    ['a file at the top level', [{ name: 'loose.md', content: 'x' }], 'no-top-level-directory', LIMITS],
  ];
  test.each(cases)('refuses an archive with %s', async (_label, entries, reason, limits) => {
    await expect(refusal(entries, limits)).resolves.toBe(reason);
  });

  test('refuses an excluded file that is unsafe too: checks cover the whole archive, not only docs', async () => {
    await expect(
      refusal([top, { name: `${FIXTURE_TOP}/scripts/run.sh`, type: 'symlink', linkname: '../../x' }]),
    ).resolves.toBe('link');
  });

  test('refuses bytes that are not gzip', async () => {
    await expect(unpackTarball(Buffer.from('not an archive'), LIMITS, docsOnly)).rejects.toMatchObject({
      name: 'UnsafeArchiveError',
      reason: 'corrupt',
    });
  });
});

describe('globToRegExp', () => {
  test.each([
    ['docs/**/*.md', 'docs/Amazon_Q.md', true],
    ['docs/**/*.md', 'docs/de/de.Amazon_Q.md', true],
    ['docs/**/*.md', 'docs/img/x.png', false],
    ['docs/**/*.md', 'README.md', false],
    ['docs/*.md', 'docs/de/de.Amazon_Q.md', false],
  ])('%s against %s → %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});
