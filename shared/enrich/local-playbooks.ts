/**
 * The local answer source: retrieval over playbook markdown (a folder for `q-triage replay --playbooks DIR`
 * and `npm start`; the S3 mirror resync keeps for the triage function). Files are split into sections at
 * headings. What answers an alert is a section that says what to do in the alert's phase: a section about the
 * operation or its category under a heading naming the phase, or the phase section of the playbook about the
 * service (a file naming many operations of our table: the AWS Amazon Q playbook). Tables and lists that only
 * name operations (event-name catalogues) rank after every such section. The best one to three sections are
 * returned with file and heading as citations. Translations are recognised by a locale folder (`de/…`) or file
 * prefix (`de.…`); a locale with no matching section falls back to the untranslated (English) files. When the
 * principal's credentials look stolen (stolen-credentials.ts), the compromised-credentials playbook's section
 * for the phase comes first.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Citation } from '../alerts/model';
import { cleanWrittenName, looksLikeOperationName } from '../playbook/names';
import { PLAYBOOK_TABLE } from '../playbook/table';
import type { Category, Phase } from '../playbook/types';
import { ALERT_LOCALES, type AlertLocale } from './config';
import { AnswerAbortedError, AnswerSourceError, NoAnswerError } from './errors';
import type { Answer, AnswerSource, Question } from './types';

export interface PlaybookSection {
  /** Path relative to the playbook folder, with `/` separators. */
  readonly file: string;
  readonly locale: AlertLocale;
  /** Heading chain from the top of the file down to this section. */
  readonly headings: readonly string[];
  readonly body: string;
}

/** Words that point at a category in a playbook (lower-case; matched as substrings, so stems work). */
export const CATEGORY_KEYWORDS: Readonly<Record<Category, readonly string[]>> = {
  application: ['application', 'anwendung', 'aplicación', 'アプリケーション', '应用程序'],
  index: ['index', 'indexes', 'indices', 'retriever', 'índice', 'インデックス', '索引'],
  retriever: ['retriever', 'index', 'kendra'],
  'data-source': [
    'data source',
    'datasource',
    'sync job',
    'connector',
    'datenquelle',
    'fuente de datos',
    'source de données',
    'データソース',
    '数据源',
  ],
  document: ['document', 'upload', 'attachment', 'dokument', 'documento', 'ドキュメント', '文档'],
  conversation: ['conversation', 'chat history', 'message', 'konversation', 'conversación', '会話', '对话'],
  'user-group': ['user', 'group', 'identity', 'benutzer', 'gruppe', 'usuario', 'utilisateur', 'ユーザー', '用户'],
  plugin: ['plugin', 'plug-in', 'third-party', 'complemento'],
  guardrails: ['guardrail', 'chat control', 'blocked phrase', 'topic control', 'chat-steuerung'],
  'web-experience': ['web experience', 'web-erlebnis', 'experiencia web', 'expérience web'],
  'data-accessor': ['data accessor', 'datenzugriff', 'isv', 'accessor'],
  subscription: ['subscription', 'abonnement', 'suscripción', 'サブスクリプション', '订阅'],
  'q-app': ['q apps', 'qapps', 'library item'],
  'developer-ide': [' ide ', 'codewhisperer', 'customization', 'command line'],
  general: ['amazon q developer', ' ide ', 'troubleshoot', 'console'],
  unclassified: ['amazon q'],
};

/** Heading words of each incident-response step, across the playbook translations (lower-case, substrings). */
const STEP_KEYWORDS = {
  detection: ['detection', 'erkennung', 'detección', 'détection', '検出', '检测'],
  analysis: ['analysis', 'analyse', 'análisis', '分析'],
  containment: ['containment', 'eindämmung', 'contención', 'confinement', '封じ込め', '遏制'],
  eradication: ['eradication', 'ausrottung', 'beseitigung', 'erradicación', 'éradication', '根絶', '根除'],
  recovery: ['recovery', 'wiederherstellung', 'recuperación', 'récupération', 'リカバリ', '復旧', '恢复'],
} as const;

/** Heading words that mark the incident-response phase of a section. */
export const PHASE_KEYWORDS: Readonly<Record<Phase, readonly string[]>> = {
  'detection-analysis': [...STEP_KEYWORDS.detection, ...STEP_KEYWORDS.analysis],
  'containment-eradication': [...STEP_KEYWORDS.containment, ...STEP_KEYWORDS.eradication],
  recovery: STEP_KEYWORDS.recovery,
};

/**
 * The compromised-credentials playbook's sections to answer from in each phase, best first. Analysis, not
 * Detection: the alert is the detection. The AWS playbook has Containment and Eradication apart, and its
 * translations say Erholung and 回復 for Recovery (words kept out of PHASE_KEYWORDS: the Japanese Amazon Q
 * playbook's "回復:" is a list of objectives, not its Recovery section).
 */
const CREDENTIALS_PHASE_STEPS: Readonly<Record<Phase, readonly (readonly string[])[]>> = {
  'detection-analysis': [STEP_KEYWORDS.analysis],
  'containment-eradication': [STEP_KEYWORDS.containment, STEP_KEYWORDS.eradication],
  recovery: [[...STEP_KEYWORDS.recovery, 'erholung', '回復']],
};

/**
 * The compromised-credentials playbook, by file name: the AWS corpus's `Compromised_IAM_Credentials.md` and
 * its translations (`de/de.Compromised_IAM_Credentials.md`), or a custom `compromised-credentials.md`. Copies
 * under an `Archived` folder are superseded versions.
 */
const CREDENTIALS_PLAYBOOK_NAME = /^(?:[a-z]{2}[._-])?compromised[_-](?:iam[_-])?credentials\.md$/i;

export function isCredentialsPlaybook(file: string): boolean {
  const parts = file.split('/');
  return (
    CREDENTIALS_PLAYBOOK_NAME.test(parts[parts.length - 1] ?? '') &&
    !parts.slice(0, -1).some((folder) => /^archived?$/i.test(folder))
  );
}

/**
 * Section relevance (operation and category words), then what makes a relevant section an answer: a heading
 * that names the alert's phase (its own heading counts more than an enclosing one) in the playbook about the
 * service. `serviceMin` is how many distinct operations of our table a file must name to be that playbook
 * (the AWS Amazon Q playbook names about 50 in every translation; other AWS playbooks name 4 at most).
 */
const WEIGHTS = {
  operationInHeading: 12,
  operationInBody: 8,
  categoryInHeading: 4,
  categoryInBody: 1,
  phaseInOwnHeading: 16,
  phaseInParentHeading: 10,
  fileNamesOperation: 6,
  servicePlaybook: 12,
} as const;
const SERVICE_MIN_OPERATIONS = 10;
const MAX_SECTIONS = 3;
const SECTION_CHARS = 480;
const MIN_BODY_CHARS = 30;
const MAX_LABEL_CHARS = 48;
const MIN_CATALOGUE_LABELS = 8;

/** Lower-cased operation names of our table: what makes a file the playbook about Amazon Q. */
const TABLE_OPERATIONS: ReadonlySet<string> = new Set(PLAYBOOK_TABLE.map((row) => row.eventName.toLowerCase()));

/** What is known about one playbook file once loaded: the operations of our table it names anywhere. */
export interface PlaybookFile {
  readonly operations: ReadonlySet<string>;
  /** The compromised-credentials playbook (isCredentialsPlaybook). */
  readonly credentials: boolean;
}

/** A section with what ranking needs to know about it, computed once at load. */
export interface IndexedSection {
  readonly section: PlaybookSection;
  /** True when the section is a list or table that only names operations (an event-name catalogue). */
  readonly catalogue: boolean;
  readonly file: PlaybookFile;
}

const LIST_ITEM = /^\s*(?:[*+-]|\d+[.)])\s+(.*)$/;
const TABLE_ROW = /^\s*\|(.*)\|?\s*$/;
const TABLE_SEPARATOR = /^\s*\|?[\s:|-]+\|?\s*$/;

/** The first cell of a table row or the text of a list item, without quotes and emphasis; undefined for prose. */
function itemText(line: string): string | undefined {
  const item = LIST_ITEM.exec(line)?.[1] ?? TABLE_ROW.exec(line)?.[1]?.split('|')[0];
  return item === undefined ? undefined : cleanWrittenName(item.replace(/\*+/g, ''));
}

/** A list item or first cell that only names something: an identifier, or a short label that is no sentence or link. */
function isNameItem(item: string): boolean {
  return looksLikeOperationName(item) || (item.length <= MAX_LABEL_CHARS && !/\]\(|[.?!。？！]$/u.test(item));
}

/**
 * A catalogue names operations without saying what to do: most of its lines are list items or table rows
 * whose text (first cell) is a bare identifier, or many short labels (translations spell the names out:
 * "Starten Sie den DataSourceSyncJob"). It tells which playbook covers an operation, not what to do.
 */
export function isCatalogue(body: string): boolean {
  let identifiers = 0;
  let labels = 0;
  let other = 0;
  for (const line of body.split('\n')) {
    if (line.trim() === '' || TABLE_SEPARATOR.test(line)) continue;
    const item = itemText(line);
    if (item !== undefined && looksLikeOperationName(item)) identifiers += 1;
    else if (item !== undefined && isNameItem(item)) labels += 1;
    else other += 1;
  }
  return (
    (identifiers >= 3 && identifiers > other) ||
    (identifiers + labels >= MIN_CATALOGUE_LABELS && identifiers + labels > other)
  );
}

function tableOperationsIn(text: string): Set<string> {
  return new Set(
    (text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [])
      .map((word) => word.toLowerCase())
      .filter((word) => TABLE_OPERATIONS.has(word)),
  );
}

/** Indexes sections for ranking: per file, the operations of our table it names; per section, whether it is a catalogue. */
export function indexSections(sections: readonly PlaybookSection[]): IndexedSection[] {
  const files = new Map<string, { operations: Set<string>; credentials: boolean }>();
  for (const section of sections) {
    const file = files.get(section.file) ?? {
      operations: new Set<string>(),
      credentials: isCredentialsPlaybook(section.file),
    };
    for (const operation of tableOperationsIn(`${section.headings.join(' ')}\n${section.body}`))
      file.operations.add(operation);
    files.set(section.file, file);
  }
  return sections.map((section) => ({
    section,
    catalogue: isCatalogue(section.body),
    file: files.get(section.file) ?? { operations: new Set(), credentials: false },
  }));
}

/** The locale a playbook path is written in: a locale folder (`de/…`) or file prefix (`de.…`), else English. */
export function localeOf(file: string): AlertLocale {
  const parts = file.split('/');
  const folder = parts.length > 1 ? parts[0] : undefined;
  const base = parts[parts.length - 1] ?? '';
  const prefix = /^([a-z]{2})[._-]/i.exec(base)?.[1]?.toLowerCase();
  for (const candidate of [folder?.toLowerCase(), prefix]) {
    if (candidate !== undefined && candidate !== 'en' && (ALERT_LOCALES as readonly string[]).includes(candidate))
      return candidate as AlertLocale;
  }
  return 'en';
}

/** Splits one markdown document into sections at ATX headings (`#` … `######`), ignoring fenced code. */
export function splitSections(file: string, markdown: string, locale: AlertLocale = localeOf(file)): PlaybookSection[] {
  const sections: PlaybookSection[] = [];
  const chain: { level: number; title: string }[] = [];
  let body: string[] = [];
  let fenced = false;
  const flush = (): void => {
    const text = body.join('\n').trim();
    if (chain.length > 0 && text.length > 0)
      sections.push({ file, locale, headings: chain.map((h) => h.title), body: text });
    body = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1] !== undefined && heading[2] !== undefined) {
      flush();
      const level = heading[1].length;
      while (chain.length > 0 && (chain[chain.length - 1]?.level ?? 0) >= level) chain.pop();
      chain.push({ level, title: heading[2].replace(/[:：]\s*$/, '').trim() });
    } else body.push(line);
  }
  flush();
  return sections;
}

export async function markdownFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
      found.push(...(await markdownFiles(root, path)));
    else if (entry.isFile() && /\.md$/i.test(entry.name)) found.push(path);
  }
  return found;
}

/** Reads every `*.md` under `dir` (recursively) into sections. */
export async function loadPlaybookSections(dir: string): Promise<PlaybookSection[]> {
  const sections: PlaybookSection[] = [];
  for (const path of await markdownFiles(dir)) {
    const file = relative(dir, path).split(sep).join('/');
    sections.push(...splitSections(file, await readFile(path, 'utf8')));
  }
  return sections;
}

/** Length of a text in Latin-script characters: a Chinese or Japanese character says about as much as two. */
function textWeight(text: string): number {
  return text.length + (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu) ?? []).length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function countMatches(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

function namesPhase(heading: string | undefined, phase: Phase): boolean {
  const lower = heading?.toLowerCase();
  return lower !== undefined && PHASE_KEYWORDS[phase].some((keyword) => lower.includes(keyword));
}

/**
 * Canonical names are kept in translations; whole-word and case-insensitive (playbooks vary in case). A
 * one-word name (`Chat`) is also an ordinary word ("Q Chat"), so only a code-formatted mention counts.
 */
function operationPattern(operation: string): RegExp {
  const name = escapeRegExp(operation.toLowerCase());
  return /^[A-Z][a-z]+$/.test(operation)
    ? new RegExp(`\`${name}\``, 'g')
    : new RegExp(`(^|[^a-z0-9])${name}($|[^a-z0-9])`, 'g');
}

/** How much a section is about the alert's operation and category, from its own heading and body. */
export function scoreSection(section: PlaybookSection, question: Pick<Question, 'operation' | 'category'>): number {
  const heading = section.headings.join(' › ').toLowerCase();
  const body = section.body.toLowerCase();
  let score = 0;
  if (question.operation !== undefined) {
    const word = operationPattern(question.operation);
    if (word.test(heading)) score += WEIGHTS.operationInHeading;
    score += Math.min((body.match(word) ?? []).length, 3) * WEIGHTS.operationInBody;
  }
  for (const keyword of CATEGORY_KEYWORDS[question.category]) {
    if (heading.includes(keyword)) score += WEIGHTS.categoryInHeading;
    score += Math.min(countMatches(body, keyword), 4) * WEIGHTS.categoryInBody;
  }
  return score;
}

/** Ranking tiers, best first: what to do in the alert's phase, what to do otherwise, catalogues of names. */
const TIER = { inPhase: 0, other: 1, catalogue: 2 } as const;

interface RankedSection {
  readonly section: PlaybookSection;
  readonly tier: number;
  readonly score: number;
}

/**
 * A section answers when it is about the alert (operation or category words enough on their own, or any of
 * them under a heading naming the alert's phase), or when it is the section of the service's playbook whose
 * own heading names the alert's phase: that one says what to
 * do in the phase for every operation of the service. Undefined when the section does not answer.
 */
function rankSection(
  indexed: IndexedSection,
  question: Pick<Question, 'operation' | 'category' | 'phase'>,
): RankedSection | undefined {
  const { section, catalogue, file } = indexed;
  const relevance = scoreSection(section, question);
  const servicePlaybook = file.operations.size >= SERVICE_MIN_OPERATIONS;
  const ownPhase = namesPhase(section.headings[section.headings.length - 1], question.phase);
  const parentPhase = section.headings.slice(0, -1).some((heading) => namesPhase(heading, question.phase));
  const inPhase = (ownPhase || parentPhase) && !catalogue;
  const relevant =
    relevance >= WEIGHTS.operationInBody ||
    (question.operation === undefined && relevance >= 3) ||
    (inPhase && relevance > 0);
  if (!relevant && !(ownPhase && servicePlaybook && !catalogue)) return undefined;
  let score = relevance;
  if (ownPhase) score += WEIGHTS.phaseInOwnHeading;
  else if (parentPhase) score += WEIGHTS.phaseInParentHeading;
  if (question.operation !== undefined && file.operations.has(question.operation.toLowerCase()))
    score += WEIGHTS.fileNamesOperation;
  if (servicePlaybook) score += WEIGHTS.servicePlaybook;
  const tier = catalogue ? TIER.catalogue : inPhase ? TIER.inPhase : TIER.other;
  return { section, tier, score };
}

function trimmed(text: string, max: number): string {
  const flat = text.replace(/\n{3,}/g, '\n\n').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(end > max / 2 ? cut.slice(0, end + 1) : cut).trimEnd()} …`;
}

function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/**
 * The compromised-credentials playbook's section for the question's phase in one locale: the first section
 * whose own heading names the phase's best step (Containment before Eradication), else one under such a
 * heading (the file's title aside). Undefined without that playbook.
 */
function credentialsSection(
  sections: readonly IndexedSection[],
  phase: Phase,
  locale: AlertLocale,
): PlaybookSection | undefined {
  const steps = CREDENTIALS_PHASE_STEPS[phase];
  const names = (heading: string, step: readonly string[]): boolean =>
    step.some((keyword) => heading.toLowerCase().includes(keyword));
  let best: { section: PlaybookSection; rank: number } | undefined;
  for (const { section, catalogue, file } of sections) {
    if (!file.credentials || section.locale !== locale || catalogue || textWeight(section.body) < MIN_BODY_CHARS)
      continue;
    const own = section.headings[section.headings.length - 1] ?? '';
    const parents = section.headings.slice(1, -1);
    steps.forEach((step, index) => {
      const rank = names(own, step)
        ? 2 * index
        : parents.some((heading) => names(heading, step))
          ? 2 * index + 1
          : undefined;
      if (rank !== undefined && (best === undefined || rank < best.rank)) best = { section, rank };
    });
  }
  return best?.section;
}

/**
 * Best sections for a question, preferring the question's locale and falling back to English. A catalogue
 * (a table or list that only names operations) never outranks a section that says what to do. When the
 * credentials look stolen, the compromised-credentials playbook's phase section comes first.
 */
export function rankSections(
  sections: readonly IndexedSection[],
  question: Pick<Question, 'operation' | 'category' | 'phase' | 'locale' | 'credentialsLookStolen'>,
): PlaybookSection[] {
  const pick = (locale: AlertLocale): PlaybookSection[] =>
    sections
      .filter((indexed) => indexed.section.locale === locale && textWeight(indexed.section.body) >= MIN_BODY_CHARS)
      .map((indexed) => rankSection(indexed, question))
      .filter((ranked): ranked is RankedSection => ranked !== undefined)
      .sort((a, b) => a.tier - b.tier || b.score - a.score || a.section.file.localeCompare(b.section.file))
      .slice(0, MAX_SECTIONS + 1)
      .map((ranked) => ranked.section);
  const local = pick(question.locale);
  const ranked = local.length > 0 || question.locale === 'en' ? local : pick('en');
  const first =
    question.credentialsLookStolen === true
      ? (credentialsSection(sections, question.phase, question.locale) ??
        credentialsSection(sections, question.phase, 'en'))
      : undefined;
  return (first === undefined ? ranked : [first, ...ranked.filter((section) => section !== first)]).slice(
    0,
    MAX_SECTIONS,
  );
}

/** Where the playbooks of a local source come from: a folder, or the S3 mirror resync keeps (s3-playbooks.ts). */
export interface PlaybookCorpus {
  /** Said in the "no answer" reason, e.g. the folder or the buckets. */
  readonly where: string;
  load(): Promise<PlaybookSection[]>;
}

export function directoryCorpus(dir: string): PlaybookCorpus {
  return { where: dir, load: () => loadPlaybookSections(dir) };
}

/** Rejects with AnswerAbortedError when the signal fires first: a slow first load must not hold the budget. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted)
    return Promise.reject(new AnswerAbortedError('playbook lookup cancelled: enrichment budget exhausted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(new AnswerAbortedError('playbook lookup cancelled: enrichment budget exhausted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface LocalPlaybookSourceOptions {
  readonly corpus: PlaybookCorpus;
  /**
   * The synced playbook version (the enricher's reader). The corpus is loaded once per container and loaded
   * again when the version changes; without a reader it is loaded once.
   */
  readonly version?: () => Promise<string>;
}

/** The local answer source over a corpus; `{ dir }` reads a folder (the replay CLI and `npm start`). */
export function createLocalPlaybookSource(
  options: LocalPlaybookSourceOptions | { readonly dir: string },
): AnswerSource {
  const { corpus, version } = 'dir' in options ? { corpus: directoryCorpus(options.dir), version: undefined } : options;
  let current: { readonly version: string; readonly sections: Promise<IndexedSection[]> } | undefined;

  async function sections(): Promise<IndexedSection[]> {
    const wanted = version === undefined ? '' : await version();
    if (current === undefined || current.version !== wanted) {
      const loading = corpus.load().then(indexSections);
      const entry = { version: wanted, sections: loading };
      current = entry;
      // A failed load is not kept: the next question loads again.
      loading.catch(() => {
        if (current === entry) current = undefined;
      });
    }
    return current.sections.catch((error: unknown) => {
      throw new AnswerSourceError(`cannot read the playbooks in ${corpus.where}`, { cause: error });
    });
  }

  return {
    name: 'local-playbooks',
    async ask(question: Question, { signal }): Promise<Answer> {
      const best = rankSections(await untilAborted(sections(), signal), question);
      if (best.length === 0)
        throw new NoAnswerError(`no section of the playbooks in ${corpus.where} matches ${question.rule}`);
      const citations: Citation[] = best.map((section) => {
        const heading = section.headings[section.headings.length - 1] ?? section.file;
        return { title: `${section.file} › ${heading}`, url: `${section.file}#${slug(heading)}` };
      });
      const text = best
        .map(
          (section) =>
            `${section.headings[section.headings.length - 1] ?? ''}\n${trimmed(section.body, SECTION_CHARS)}`,
        )
        .join('\n\n');
      return { text, citations };
    },
  };
}
