/**
 * The one place where attacker-controlled text (userAgent, source IP, error messages, resource
 * ARNs, principal names, event names from forged events) is made safe for output.
 *
 * Two layers:
 * - `cleanText` for every output (terminal, email, JSON, SNS subject/attributes): control
 *   characters become visible escapes (`\u001b`, `\n`), so an ANSI sequence cannot recolour or
 *   clear a terminal, a CR/LF cannot forge an extra line, a bidi override cannot reorder what the
 *   responder reads; the text is kept as evidence, only made inert. Length is capped.
 * - `markdownText` / `markdownCode` on top of it for chat (AWS Chatbot `client-markdown`):
 *   markdown and Slack/Teams metacharacters are neutralised, links are defanged and mentions
 *   (`@here`, `<!channel>`) cannot notify anyone.
 */

/** Caps for single fields (characters, before escaping expands them). */
export const FIELD_LIMITS = {
  userAgent: 256,
  sourceIp: 64,
  errorMessage: 512,
  arn: 300,
  principal: 300,
  eventName: 128,
  short: 128,
  sentence: 1000,
  answer: 4000,
} as const;

const ELLIPSIS = '…';

/**
 * C0 controls (incl. TAB, CR, LF, ESC), DEL, C1 controls, and every invisible format character
 * (`\p{Cf}`: bidi embeddings/overrides/isolates, direction marks, zero-width characters, BOM, soft
 * hyphen, the Unicode tag characters of "ASCII smuggling"), line/paragraph separators, other
 * characters that render as nothing (combining grapheme joiner, Mongolian vowel separator, variation
 * selectors, Hangul fillers, interlinear annotation marks), and unpaired surrogates (in `u` mode a
 * surrogate range matches only a lone half; SNS's request encoder throws on one).
 */
const UNSAFE_CHARS =
  // Each of these is wanted on its own (a variation selector or joiner included): the class is not misleading.
  // eslint-disable-next-line no-misleading-character-class
  /[\p{Cc}\p{Cf}\u2028\u2029\u034f\u115f\u1160\u180e\u3164\ufe00-\ufe0f\uffa0\ufff9-\ufffb\u{e0100}-\u{e01ef}\ud800-\udfff]/gu;
/** The same class, for a yes/no test (no `g`: a global regex would carry lastIndex between calls). */
// eslint-disable-next-line no-misleading-character-class
const UNSAFE_CHAR = new RegExp(UNSAFE_CHARS.source, 'u');

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visibleEscape(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  // Beyond the BMP (the tag characters), the braced form: `\ue0049` would read as U+E004 and a 9.
  return (
    NAMED_ESCAPES[char] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** Cuts to `max` characters (code points, so no surrogate pair is split) and marks the cut. */
export function capLength(value: string, max: number): string {
  // UTF-16 length bounds the code point count from above: most values return here.
  if (value.length <= max) return value;
  let kept = 0;
  let cut = 0;
  for (const char of value) {
    if (kept === max) break;
    kept += 1;
    cut += char.length;
  }
  if (cut === value.length) return value;
  const omitted = Array.from(value.slice(cut)).length;
  return `${value.slice(0, cut)}${ELLIPSIS}[+${omitted} chars]`;
}

/**
 * Makes attacker-controlled text inert for any output: caps it, then turns every control, bidi
 * and invisible formatting character into a visible escape. The result is one line.
 */
export function cleanText(value: unknown, max: number = FIELD_LIMITS.sentence): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const capped = capLength(text, max);
  // Most text has nothing to escape: a test is much cheaper than a replace that finds nothing.
  return UNSAFE_CHAR.test(capped) ? capped.replace(UNSAFE_CHARS, visibleEscape) : capped;
}

/** Like `cleanText`, restricted to printable ASCII (SNS subjects must be ASCII): the rest becomes `?`. */
export function asciiText(value: unknown, max: number): string {
  const cleaned = cleanText(value, max).replace(/[^\u0020-\u007e]/gu, '?');
  return cleaned.length <= max ? cleaned : `${cleaned.slice(0, max - 3)}...`;
}

/** Characters with a meaning in CommonMark, Slack mrkdwn or Teams markdown. */
const MARKDOWN_META = /[\\`*_~[\]()#|!]/gu;
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** `@here`, `@channel`, `@everyone`, `@user`: the at sign is swapped for a look-alike that notifies no one. */
function neutraliseMentions(value: string): string {
  return value.replace(/@/gu, '\uff20');
}

/**
 * `https://evil.example` → `hxxps[:]//evil.example`, `www.evil.example` → `www[.]evil.example`: chat clients
 * no longer turn them into links. No word boundary is required before a scheme: `_https://` and `1https://`
 * are auto-linked too.
 */
function defangLinks(value: string): string {
  return value
    .replace(/(h)tt(ps?)(:)\/\//giu, '$1xx$2[:]//')
    .replace(/(ftp|file|javascript|data|mailto)(:)/giu, '$1[:]')
    .replace(/(www)\./giu, '$1[.]');
}

function escapeEntities(value: string): string {
  return value.replace(/[&<>]/gu, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * For running text in chat markdown: cleaned, links defanged, mentions neutralised, `& < >` as
 * entities (Slack's own escaping; `<!channel>` cannot survive it), markdown metacharacters
 * backslash-escaped.
 */
export function markdownText(value: unknown, max: number = FIELD_LIMITS.sentence): string {
  const safe = neutraliseMentions(defangLinks(cleanText(value, max)));
  return escapeEntities(safe.replace(MARKDOWN_META, (char) => `\\${char}`));
}

/**
 * For evidence values in chat markdown: shown as inline code, where no markdown applies. Backticks
 * inside the value are replaced so it cannot close the code span; links, mentions and entities are
 * neutralised as in `markdownText` because some clients still act on them inside code.
 */
export function markdownCode(value: unknown, max: number = FIELD_LIMITS.short): string {
  const safe = neutraliseMentions(defangLinks(cleanText(value, max))).replace(/`/gu, '\u02cb');
  return `\`${escapeEntities(safe)}\``;
}

/** Multi-line text we want to keep multi-line (an enrichment answer): each line cleaned on its own. */
export function cleanLines(value: unknown, max: number = FIELD_LIMITS.answer): string[] {
  const text = capLength(typeof value === 'string' ? value : '', max);
  return text.split(/\r\n|\r|\n|\u2028|\u2029/u).map((line) => cleanText(line, max));
}

/** Hosts whose links are shown as links in chat; every other URL is defanged text. */
const TRUSTED_LINK_HOSTS = ['docs.aws.amazon.com', 'aws.amazon.com', 'github.com', 'repost.aws'] as const;

/** An https URL on a trusted host, normalised; `undefined` for anything else. */
export function trustedLink(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    const trusted = TRUSTED_LINK_HOSTS.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
    return url.protocol === 'https:' && url.username === '' && url.password === '' && trusted ? url.href : undefined;
  } catch {
    return undefined;
  }
}
