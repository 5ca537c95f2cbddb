import { createLogger } from '../../shared/logger';

/** The JSON lines the logger writes, captured from stdout and stderr. */
function captureLines(act: () => void): string[] {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

const HOSTILE = 'Delete\u202eexe.txt\u0085\u009b31m\u200b';

describe('createLogger', () => {
  const savedLevel = process.env.POWERTOOLS_LOG_LEVEL;
  beforeEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  });
  afterEach(() => {
    if (savedLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = savedLevel;
  });

  test('escapes bidi overrides, C1 controls and invisible characters in logged values', () => {
    const [line] = captureLines(() =>
      createLogger().warn('event rejected', { reason: `unknown eventName ${HOSTILE}` }),
    );

    expect(line).toBeDefined();
    expect(line).not.toMatch(/[\u202e\u0085\u009b\u200b]/);
    expect(JSON.parse(line!)).toMatchObject({
      reason: 'unknown eventName Delete\\u202eexe.txt\\u0085\\u009b31m\\u200b',
    });
  });

  test('escapes the message and an error message the same way', () => {
    const [line] = captureLines(() =>
      createLogger().error(`rejected ${HOSTILE}`, { error: new Error(`bad ${HOSTILE}`) }),
    );

    expect(line).not.toMatch(/[\u202e\u0085\u009b\u200b]/);
    const parsed = JSON.parse(line!) as { message: string; error: { message: string } };
    expect(parsed.message).toBe('rejected Delete\\u202eexe.txt\\u0085\\u009b31m\\u200b');
    expect(parsed.error.message).toBe('bad Delete\\u202eexe.txt\\u0085\\u009b31m\\u200b');
  });

  test('keeps long values whole', () => {
    const [line] = captureLines(() => createLogger().warn('long', { reason: 'x'.repeat(5000) }));

    expect((JSON.parse(line!) as { reason: string }).reason).toHaveLength(5000);
  });
});
