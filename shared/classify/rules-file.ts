/**
 * User rules files for the CLI (`--rules FILE`): JSON or YAML, with errors that name the line of the
 * offending value. Kept apart from overrides.ts so that the Lambda bundle carries no YAML parser.
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { RulesFileError, validateRules, type RulesFile } from './overrides';

function lineOf(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = document.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Parses and validates a rules file's text; `name` is used in error messages. */
export function parseRulesFile(text: string, name: string): RulesFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = document.errors[0];
  if (syntaxError !== undefined) {
    const line = lineCounter.linePos(syntaxError.pos[0]).line;
    throw new RulesFileError(`${name}:${line}: ${syntaxError.message.split('\n')[0] ?? 'syntax error'}`);
  }
  return validateRules(document.toJS(), name, (path) => lineOf(document, lineCounter, path));
}
