/**
 * The local answer source: retrieval over a folder of playbook markdown, for `q-triage replay --playbooks DIR`
 * and `npm start`. Files are split into sections at headings; sections are scored by the alert's operation
 * name, category keywords and phase; the best one to three sections are returned with file and heading as
 * citations. Translations are recognised by a locale folder (`de/…`) or file prefix (`de.…`); a locale with
 * no matching section falls back to the untranslated (English) files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Citation } from '../alerts/model';
import type { Category, Phase } from '../playbook/types';
import { ALERT_LOCALES, type AlertLocale } from './config';
import { NoAnswerError } from './errors';
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
  'data-source': ['data source', 'datasource', 'sync job', 'connector', 'datenquelle', 'fuente de datos', 'source de données', 'データソース', '数据源'],
  document: ['document', 'upload', 'attachment', 'dokument', 'documento', 'ドキュメント', '文档'],
  conversation: ['conversation', 'chat history', 'message', 'konversation', 'conversación', '会話', '对话'],
  'user-group': ['user', 'group', 'identity', 'benutzer', 'gruppe', 'usuario', 'utilisateur', 'ユーザー', '用户'],
  plugin: ['plugin', 'plug-in', 'third-party', 'complemento'],
  guardrails: ['guardrail', 'chat control', 'blocked phrase', 'topic control', 'chat-steuerung'],
  'web-experience': ['web experience', 'web-erlebnis', 'experiencia web', 'expérience web'],
  'data-accessor': ['data accessor', 'datenzugriff', 'isv', 'accessor'],
  subscription: ['subscription', 'abonnement', 'suscripción', 'サブスクリプション', '订阅'],
  general: ['amazon q developer', ' ide ', 'troubleshoot', 'console'],
  unclassified: ['amazon q'],
};

/** Heading words that mark the incident-response phase of a section, across the playbook translations. */
export const PHASE_KEYWORDS: Readonly<Record<Phase, readonly string[]>> = {
  'detection-analysis': ['detection', 'analysis', 'erkennung', 'analyse', 'detección', 'análisis', 'détection', '検出', '分析', '检测'],
  'containment-eradication': ['containment', 'eradication', 'eindämmung', 'ausrottung', 'beseitigung', 'contención', 'erradicación', 'confinement', 'éradication', '封じ込め', '根絶', '遏制', '根除'],
  recovery: ['recovery', 'wiederherstellung', 'recuperación', 'récupération', '復旧', '恢复'],
};

const WEIGHTS = { operationInHeading: 12, operationInBody: 8, categoryInHeading: 4, categoryInBody: 1, phaseInHeading: 5 } as const;
const MAX_SECTIONS = 3;
const SECTION_CHARS = 480;
const MIN_BODY_CHARS = 40;

function localeOf(file: string): AlertLocale {
  const parts = file.split('/');
  const folder = parts.length > 1 ? parts[0] : undefined;
  const base = parts[parts.length - 1] ?? '';
  const prefix = /^([a-z]{2})[._-]/i.exec(base)?.[1]?.toLowerCase();
  for (const candidate of [folder?.toLowerCase(), prefix]) {
    if (candidate !== undefined && candidate !== 'en' && (ALERT_LOCALES as readonly string[]).includes(candidate)) return candidate as AlertLocale;
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
    if (chain.length > 0 && text.length > 0) sections.push({ file, locale, headings: chain.map((h) => h.title), body: text });
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
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') found.push(...(await markdownFiles(root, path)));
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function countMatches(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

export function scoreSection(section: PlaybookSection, question: Pick<Question, 'operation' | 'category' | 'phase'>): number {
  const heading = section.headings.join(' › ').toLowerCase();
  const body = section.body.toLowerCase();
  let score = 0;
  if (question.operation !== undefined) {
    // Canonical names are kept in translations; whole-word and case-insensitive (playbooks vary in case).
    const word = new RegExp(`(^|[^a-z0-9])${escapeRegExp(question.operation.toLowerCase())}($|[^a-z0-9])`, 'g');
    if (word.test(heading)) score += WEIGHTS.operationInHeading;
    score += Math.min((body.match(word) ?? []).length, 3) * WEIGHTS.operationInBody;
  }
  for (const keyword of CATEGORY_KEYWORDS[question.category]) {
    if (heading.includes(keyword)) score += WEIGHTS.categoryInHeading;
    score += Math.min(countMatches(body, keyword), 4) * WEIGHTS.categoryInBody;
  }
  // Phase only ranks sections that are already about the alert; on its own it is not an answer.
  if (score > 0 && PHASE_KEYWORDS[question.phase].some((keyword) => heading.includes(keyword))) score += WEIGHTS.phaseInHeading;
  return score;
}

function trimmed(text: string, max: number): string {
  const flat = text.replace(/\n{3,}/g, '\n\n').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(end > max / 2 ? cut.slice(0, end + 1) : cut).trimEnd()} …`;
}

function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s+/g, '-');
}

/** Best sections for a question, preferring the question's locale and falling back to English. */
export function rankSections(sections: readonly PlaybookSection[], question: Pick<Question, 'operation' | 'category' | 'phase' | 'locale'>): PlaybookSection[] {
  const pick = (locale: AlertLocale): PlaybookSection[] =>
    sections
      .filter((section) => section.locale === locale && section.body.length >= MIN_BODY_CHARS)
      .map((section) => ({ section, score: scoreSection(section, question) }))
      .filter((scored) => scored.score >= WEIGHTS.operationInBody || (question.operation === undefined && scored.score >= 3))
      .sort((a, b) => b.score - a.score || a.section.file.localeCompare(b.section.file))
      .slice(0, MAX_SECTIONS)
      .map((scored) => scored.section);
  const local = pick(question.locale);
  return local.length > 0 || question.locale === 'en' ? local : pick('en');
}

export function createLocalPlaybookSource(options: { readonly dir: string }): AnswerSource {
  let loaded: Promise<PlaybookSection[]> | undefined;
  return {
    name: 'local-playbooks',
    async ask(question: Question): Promise<Answer> {
      loaded ??= loadPlaybookSections(options.dir);
      const best = rankSections(await loaded, question);
      if (best.length === 0) throw new NoAnswerError(`no section of the playbooks in ${options.dir} matches ${question.rule}`);
      const citations: Citation[] = best.map((section) => {
        const heading = section.headings[section.headings.length - 1] ?? section.file;
        return { title: `${section.file} › ${heading}`, url: `${section.file}#${slug(heading)}` };
      });
      const text = best.map((section) => `${section.headings[section.headings.length - 1] ?? ''}\n${trimmed(section.body, SECTION_CHARS)}`).join('\n\n');
      return { text, citations };
    },
  };
}
