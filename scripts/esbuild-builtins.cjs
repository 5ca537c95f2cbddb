/**
 * esbuild plugin: in an ESM bundle, Node's built-in modules load through `require` (the banner's
 * createRequire) instead of `import`.
 *
 * Why: an `import … from "node:https"` makes Node build an ES module facade for the built-in, with one
 * export per name the built-in has, for every built-in the bundle imports. The triage cold start imports
 * a dozen (https, crypto, stream, fs/promises, console…); their facades cost a few milliseconds of a
 * budget of about seventy. `require` hands back the built-in's own object, as a CommonJS bundle gets it.
 *
 * The same modules load at the same moment, in the same order: each import becomes a small CommonJS
 * module, `module.exports = require("node:x")`, evaluated where the import was, and esbuild reads named
 * imports as properties of that object when they are used. Only static imports are rewritten;
 * `import("node:x")` stays, and so does everything the bundle does not import from a built-in.
 */
const { builtinModules } = require('node:module');

const BUILTINS = new Set(builtinModules);
const NAMESPACE = 'builtin-through-require';

/** `node:fs/promises` or `fs/promises` → `fs/promises`; anything else → undefined. */
function builtinName(specifier) {
  const name = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  return BUILTINS.has(name) ? name : undefined;
}

function builtinsThroughRequire() {
  return {
    name: 'builtins-through-require',
    setup(build) {
      if (build.initialOptions.format !== 'esm') return;
      build.onResolve({ filter: /^(node:)?[a-z_0-9]+(\/[a-z_0-9]+)?$/ }, (args) => {
        if (args.kind !== 'import-statement') return undefined;
        const name = builtinName(args.path);
        return name === undefined ? undefined : { path: name, namespace: NAMESPACE };
      });
      // The require() below is left to esbuild, which keeps built-ins external on platform node.
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});\n`,
        loader: 'js',
      }));
    },
  };
}

module.exports = { builtinsThroughRequire };
