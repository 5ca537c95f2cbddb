/**
 * esbuild plugin: imports of side-effect-free packages' index files ("barrels") go straight to the modules
 * that define the imported names.
 *
 * Why: with code splitting, esbuild puts a file in the cold-start chunk when any import statement reaches it
 * from the entry, whether or not the entry uses anything in it. The DynamoDB client imports one protocol
 * from `@aws-sdk/core/protocols`, whose index re-exports every protocol; the on-demand SNS client uses the
 * Query and XML ones, so they were live, reachable from the handler, and loaded at every cold start (about
 * 60 KiB, plus `node:http2` through `@smithy/node-http-handler`'s index). webpack skips such re-exports for
 * packages that declare `sideEffects: false`; esbuild does not, so this plugin does it.
 *
 * Only what is provably the same program is rewritten: a named import (`import { A, B as C } from "x"`)
 * whose target, and every index passed through, belongs to a package whose package.json says it has no side
 * effects, and whose names are found as plain `export { … } from`, `export * from` or local
 * `export const|let|var|function|class` declarations. Anything else (default or namespace imports,
 * `export * as`, names not found, type-only names) keeps its original import. A rewrite can only name
 * modules that exist and exports they declare, so a mistake fails the build rather than the function.
 */
const { readFile } = require('node:fs/promises');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const NAMED_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*(["'])([^"']+)\2;?[ \t]*$/gm;
const REEXPORT = /^export\s*\{([^}]*)\}\s*from\s*(["'])([^"']+)\2;?/gm;
const STAR_REEXPORT = /^export\s*\*\s*from\s*(["'])([^"']+)\1;?/gm;
const LOCAL_DECLARATION = /^export\s+(?:async\s+)?(?:function\s*\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm;
const LOCAL_LIST = /^export\s*\{([^}]*)\}\s*;?\s*$/gm;

/** `a`, `a as b` → [{ imported: 'a', local: 'b' }]; null when the list holds something we do not read. */
function specifiers(list) {
  const result = [];
  for (const raw of list.split(',')) {
    const text = raw.trim();
    if (text === '') continue;
    const match = /^(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(text);
    if (match === null) return null;
    result.push({ typeOnly: match[1] !== undefined, imported: match[2], local: match[3] ?? match[2] });
  }
  return result;
}

function barrelSkipping() {
  return {
    name: 'barrel-skipping',
    setup(build) {
      const packages = new Map(); // directory → { root, sideEffects } of the package it belongs to, or null
      const exportTables = new Map(); // module path → Map<name, { file, name }> | null, once computed

      /** The package a directory belongs to: the nearest package.json with a name (dist-es folders hold nameless ones). */
      function packageOf(dir) {
        if (!packages.has(dir)) {
          const manifestPath = path.join(dir, 'package.json');
          const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : undefined;
          const parent = path.dirname(dir);
          packages.set(
            dir,
            manifest?.name !== undefined
              ? { root: dir, sideEffects: manifest.sideEffects }
              : parent === dir
                ? null
                : packageOf(parent),
          );
        }
        return packages.get(dir);
      }

      /** Whether evaluating `file` can be left out: its package says it has no side effects (and not this file). */
      function withoutSideEffects(file) {
        if (!file.includes(`${path.sep}node_modules${path.sep}`)) return false;
        const owner = packageOf(path.dirname(file));
        if (owner === null || !Array.isArray(owner.sideEffects)) return owner?.sideEffects === false;
        const relative = `./${path.relative(owner.root, file).split(path.sep).join('/')}`;
        return !owner.sideEffects.some((entry) => entry === relative || entry.includes('*'));
      }

      async function resolveFrom(specifier, importer) {
        const resolved = await build.resolve(specifier, {
          kind: 'import-statement',
          resolveDir: path.dirname(importer),
          importer,
        });
        return resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file' ? null : resolved.path;
      }

      /**
       * Where each name exported by `file` is defined: { file, name } of the module that declares it, following
       * re-exports through side-effect-free modules only. null when the file is not one we can read that way.
       * `chain` holds the modules being read on the way here: a module that re-exports from one of them (a cycle)
       * is not followed further, and its names are imported from it, which is always correct. Only finished
       * tables are shared, so two builds of overlapping chains never wait on each other.
       */
      async function exportTable(file, chain = new Set()) {
        if (exportTables.has(file)) return exportTables.get(file);
        if (chain.has(file)) return null;
        const table = await readExportTable(file, new Set([...chain, file]));
        exportTables.set(file, table);
        return table;
      }

      async function readExportTable(file, chain) {
        if (!/\.m?js$/.test(file)) return null;
        const source = await readFile(file, 'utf8');
        const table = new Map();
        for (const match of source.matchAll(LOCAL_DECLARATION)) table.set(match[1], { file, name: match[1] });
        // `export { a as b }`: the module's export is `b`.
        for (const match of source.matchAll(LOCAL_LIST)) {
          for (const entry of specifiers(match[1]) ?? []) table.set(entry.local, { file, name: entry.local });
        }
        for (const match of source.matchAll(REEXPORT)) {
          const list = specifiers(match[1]);
          const target = await resolveFrom(match[3], file);
          if (list === null || target === null) continue;
          const targetTable = withoutSideEffects(target) ? await exportTable(target, chain) : null;
          for (const entry of list)
            table.set(entry.local, targetTable?.get(entry.imported) ?? { file: target, name: entry.imported });
        }
        for (const match of source.matchAll(STAR_REEXPORT)) {
          const target = await resolveFrom(match[2], file);
          if (target === null || !withoutSideEffects(target)) continue;
          const targetTable = await exportTable(target, chain);
          for (const [name, origin] of targetTable ?? [])
            if (name !== 'default' && !table.has(name)) table.set(name, origin);
        }
        return table;
      }

      build.onLoad({ filter: /\.(m?js|ts)$/, namespace: 'file' }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import')) return undefined;
        const replacements = [];
        for (const match of source.matchAll(NAMED_IMPORT)) {
          const list = specifiers(match[1]);
          if (list === null) continue;
          const target = await resolveFrom(match[3], args.path);
          if (target === null || !withoutSideEffects(target)) continue;
          const table = await exportTable(target);
          if (table === null) continue;
          const kept = [];
          const direct = [];
          for (const entry of list) {
            const origin = entry.typeOnly ? undefined : table.get(entry.imported);
            if (origin === undefined || origin.file === target) kept.push(entry);
            else direct.push({ ...entry, origin });
          }
          if (direct.length === 0) continue;
          const statements = direct.map(
            ({ local, origin }) =>
              `import { ${origin.name === local ? local : `${origin.name} as ${local}`} } from ${JSON.stringify(origin.file)};`,
          );
          if (kept.length > 0)
            statements.push(
              `import { ${kept.map((entry) => `${entry.typeOnly ? 'type ' : ''}${entry.imported === entry.local ? entry.local : `${entry.imported} as ${entry.local}`}`).join(', ')} } from ${JSON.stringify(match[3])};`,
            );
          // Same line count, so positions in errors and stack traces stay where they were.
          replacements.push({
            start: match.index,
            end: match.index + match[0].length,
            text: statements.join(' ') + '\n'.repeat(match[0].split('\n').length - 1),
          });
        }
        if (replacements.length === 0) return undefined;
        let contents = '';
        let at = 0;
        for (const { start, end, text } of replacements) {
          contents += source.slice(at, start) + text;
          at = end;
        }
        contents += source.slice(at);
        return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

module.exports = { barrelSkipping };
