import {
  asciiText,
  capLength,
  cleanLines,
  cleanText,
  markdownCode,
  markdownText,
  trustedLink,
} from '../../../shared/alerts/escape';
import { HOSTILE_TEXT } from '../../support/alerts';

// Characters that must never reach an output raw.
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point of the test
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const RAW_BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

describe('cleanText', () => {
  test('turns ANSI escape sequences into visible text', () => {
    const out = cleanText('\u001b[31mred\u001b[0m');

    expect(out).toBe('\\u001b[31mred\\u001b[0m');
  });

  test('keeps CR/LF from starting a forged line', () => {
    const out = cleanText('boto3\r\n[CRITICAL] all clear');

    expect(out).toBe('boto3\\r\\n[CRITICAL] all clear');
  });

  test('escapes bidi overrides and isolates', () => {
    const out = cleanText('invoice\u202Egnp.exe\u2066x\u2069');

    expect(RAW_BIDI.test(out)).toBe(false);
    expect(out).toContain('\\u202e');
  });

  test('escapes C1 controls, DEL and zero-width characters', () => {
    const out = cleanText('a\u009bb\u007fc\u200bd\ufeffe');

    expect(out).toBe('a\\u009bb\\u007fc\\u200bd\\ufeffe');
  });

  test.each([
    ['a soft hyphen', 'pay\u00adpal', 'pay\\u00adpal'],
    ['Unicode tag characters (hidden ASCII), in the braced form', 'ok\u{E0049}\u{E0047}', 'ok\\u{e0049}\\u{e0047}'],
    ['a variation selector used to hide bytes', 'a\ufe01\u{E0101}b', 'a\\ufe01\\u{e0101}b'],
    [
      'a combining grapheme joiner, a Mongolian vowel separator and a Hangul filler',
      'a\u034fb\u180ec\u3164d',
      'a\\u034fb\\u180ec\\u3164d',
    ],
    ['interlinear annotation marks', 'x\ufff9y\ufffbz', 'x\\ufff9y\\ufffbz'],
    ['an unpaired surrogate (SNS cannot encode one)', 'Create\ud800Plugin\udc00', 'Create\\ud800Plugin\\udc00'],
  ])('escapes %s', (_label, input, expected) => {
    expect(cleanText(input)).toBe(expected);
    expect(() => encodeURIComponent(cleanText(input))).not.toThrow(); // what the SNS query encoder does
  });

  test('leaves paired surrogates (emoji) alone', () => {
    expect(cleanText('done 😀')).toBe('done 😀');
  });

  test('leaves ordinary Unicode alone', () => {
    expect(cleanText('Zoë 東京 ✓')).toBe('Zoë 東京 ✓');
  });

  test('caps length and says how much was cut', () => {
    const out = cleanText('a'.repeat(50), 10);

    expect(out).toBe(`${'a'.repeat(10)}…[+40 chars]`);
  });

  test('never returns raw control characters for the hostile sample', () => {
    expect(RAW_CONTROL.test(cleanText(HOSTILE_TEXT))).toBe(false);
  });

  test('renders non-strings as text', () => {
    expect(cleanText(undefined)).toBe('');
    expect(cleanText(42)).toBe('42');
  });
});

describe('capLength', () => {
  test('does not split a surrogate pair', () => {
    const out = capLength('😀😀😀', 2);

    expect(out.startsWith('😀😀')).toBe(true);
    expect(out).toContain('[+1 chars]');
  });
});

describe('asciiText', () => {
  test('keeps only printable ASCII within the cap', () => {
    const out = asciiText(`Zoë ${HOSTILE_TEXT}`, 60);

    expect(out).toMatch(/^[\u0020-\u007e]*$/u);
    expect(out.length).toBeLessThanOrEqual(60);
  });
});

describe('cleanLines', () => {
  test('keeps line structure but cleans each line', () => {
    const lines = cleanLines('first\nsecond \u001b[2J\r\nthird');

    expect(lines).toEqual(['first', 'second \\u001b[2J', 'third']);
  });
});

describe('markdownText', () => {
  test('neutralises @here, @channel and Slack special mentions', () => {
    const out = markdownText('hi @here @channel <!channel> <@U123>');

    expect(out).not.toMatch(/@here|@channel|<!channel>|<@U123>/u);
    expect(out).toContain('&lt;\\!channel&gt;');
  });

  test('defangs links so chat clients do not make them clickable', () => {
    const out = markdownText('go to https://evil.example/x and http://b.example');

    expect(out).not.toContain('https://');
    expect(out).not.toContain('http://');
    expect(out).toContain('hxxps\\[:\\]//evil.example/x');
  });

  test.each([
    ['after a word character', '_https://evil.example/login', 'https'],
    ['after a digit', '1http://evil.example', 'http:'],
    ['without a scheme', 'see www.evil.example/reset', 'www.'],
  ])('defangs a link %s', (_label, input, raw) => {
    expect(markdownText(input)).not.toContain(raw === 'https' ? 'https:' : raw);
  });

  test('escapes markdown metacharacters', () => {
    const out = markdownText('*bold* _it_ ~s~ `code` [a](b) # | !');

    expect(out).toBe('\\*bold\\* \\_it\\_ \\~s\\~ \\`code\\` \\[a\\]\\(b\\) \\# \\| \\!');
  });

  test('escapes the hostile sample completely', () => {
    const out = markdownText(HOSTILE_TEXT);

    expect(RAW_CONTROL.test(out)).toBe(false);
    expect(RAW_BIDI.test(out)).toBe(false);
    expect(out).not.toMatch(/(^|[^\\])[*_`[]/u);
    expect(out).not.toContain('@here');
    expect(out).not.toContain('<');
  });
});

describe('markdownCode', () => {
  test('wraps the value in one code span that the value cannot close', () => {
    const out = markdownCode('a`b`c');

    expect(out).toBe('`aˋbˋc`');
    expect(out.split('`')).toHaveLength(3);
  });

  test('neutralises mentions, links and angle brackets inside code', () => {
    const out = markdownCode('@here <!channel> https://evil.example', 200);

    expect(out).not.toMatch(/@here|<!channel>|https:\/\//u);
  });
});

describe('trustedLink', () => {
  test('accepts https links to AWS documentation', () => {
    expect(trustedLink('https://docs.aws.amazon.com/sns/latest/dg/welcome.html')).toBe(
      'https://docs.aws.amazon.com/sns/latest/dg/welcome.html',
    );
  });

  test.each([
    ['http scheme', 'http://docs.aws.amazon.com/x'],
    ['look-alike host', 'https://docs.aws.amazon.com.evil.example/x'],
    ['credentials in URL', 'https://user:pw@docs.aws.amazon.com/x'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['not a URL', 'docs'],
  ])('rejects %s', (_case, url) => {
    expect(trustedLink(url)).toBeUndefined();
  });
});
