/**
 * One set of esbuild options for the Lambda bundles, read by serverless-esbuild
 * (`custom.esbuild.config` in serverless.yml) and by scripts/build-bundles.mjs, so the
 * bundles measured by `npm run bench:coldstart` are the bundles that get deployed.
 *
 * The AWS SDK v3 is bundled (`exclude: []`, no externals) instead of taken from the Lambda
 * runtime: esbuild keeps only the commands each function imports (tree-shaken ESM builds via
 * `mainFields`), the version is the one in package-lock.json rather than whatever the runtime
 * ships, and one file loads faster than hundreds of runtime modules.
 */
const path = require('node:path');
const { barrelSkipping } = require('./esbuild-barrels.cjs');
const { builtinsThroughRequire } = require('./esbuild-builtins.cjs');

/**
 * Code splitting makes one chunk per set of entry points that share code, and every `import()` is an entry
 * point: ours (SNS, Q Business, CloudTrail, S3, token clients) and the SDK's own (credential providers
 * other than the environment's, event streams). The triage handler's cold start loaded 21 chunks, each with
 * its own resolve, read, compile and link (about 0.4 ms apiece). This plugin ties the on-demand modules into
 * two groups: what our code imports on demand, and what the SDK does. The code the handler shares with them
 * has then one set of users, so the cold start loads 3 files; the first `import()` of a group loads the whole
 * group (the first alert loads SNS, Q Business, CloudTrail and the rarely used clients together).
 * Every module is still bundled once, so classes stay one class (`instanceof` works across chunks).
 */
function onDemandGroups() {
  return {
    name: 'on-demand-groups',
    setup(build) {
      // Which module is imported on demand, and by whom: from a first pass over the same entry points.
      let groups = new Map();
      build.onStart(async () => {
        // With barrel skipping, as the real build, so the groups list only modules that build reaches.
        const { metafile } = await build.esbuild.build({
          ...build.initialOptions,
          plugins: [barrelSkipping()],
          write: false,
          metafile: true,
          logLevel: 'silent',
        });
        groups = new Map();
        for (const [importer, input] of Object.entries(metafile.inputs)) {
          for (const imported of input.imports) {
            if (imported.kind !== 'dynamic-import' || imported.external === true) continue;
            groups.set(path.resolve(imported.path), importer.includes('node_modules/') ? 'sdk' : 'app');
          }
        }
      });
      // `import(X)` → a small entry that loads X's group and re-exports X.
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.namespace === 'on-demand') return undefined;
        const resolved = await build.resolve(args.path, {
          kind: 'import-statement',
          resolveDir: args.resolveDir,
          importer: args.importer,
        });
        if (resolved.errors.length > 0 || resolved.external || !groups.has(resolved.path)) return undefined;
        return { path: resolved.path, namespace: 'on-demand' };
      });
      build.onLoad({ filter: /.*/, namespace: 'on-demand' }, (args) => ({
        contents: `import 'on-demand-group:${groups.get(args.path)}';\nexport * from ${JSON.stringify(args.path)};\n`,
        resolveDir: path.dirname(args.path),
        loader: 'js',
      }));
      build.onResolve({ filter: /^on-demand-group:/ }, (args) => ({
        path: args.path.slice('on-demand-group:'.length),
        namespace: 'on-demand-group',
      }));
      build.onLoad({ filter: /.*/, namespace: 'on-demand-group' }, (args) => ({
        contents: [...groups]
          .filter(([, group]) => group === args.path)
          .map(([member]) => `import ${JSON.stringify(member)};`)
          .join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      }));
    },
  };
}

const options = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'node22',
  platform: 'node',
  // ESM with code splitting: what a function imports with `await import()` (the Q Business and CloudTrail
  // clients, the SDK's own credential providers) becomes a chunk loaded on first use, not at cold start.
  format: 'esm',
  splitting: true,
  // serverless-esbuild's own option for the handler file's extension (Lambda loads .mjs as ESM).
  outputFileExtension: '.mjs',
  // Bundled CommonJS dependencies, and every import of a Node built-in (scripts/esbuild-builtins.cjs), call
  // require(): give ESM a require.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // Prefer the ESM entry points: they are what esbuild can tree-shake.
  mainFields: ['module', 'main'],
  // serverless-esbuild's own option: nothing is external, so no node_modules are packed.
  exclude: [],
  legalComments: 'none',
  // Barrel skipping first: it decides which files the handler reaches at all (scripts/esbuild-barrels.cjs).
  plugins: [barrelSkipping(), builtinsThroughRequire(), onDemandGroups()],
  // The group modules import members of packages marked `sideEffects: false` bare; esbuild skips those imports
  // (the member still loads through its own entry) and would warn once per member on every build.
  logOverride: { 'ignored-bare-import': 'silent' },
};

/**
 * serverless-esbuild calls the exported function with the serverless instance. `serverless invoke
 * local` loads handlers with require() (or .js ESM only), so it gets one CommonJS file per function;
 * everything that is deployed gets the split ESM build.
 */
module.exports = (serverless) => {
  const commands = serverless?.processedInput?.commands ?? [];
  if (commands[0] === 'invoke' && commands[1] === 'local') {
    const local = { ...options, format: 'cjs', outputFileExtension: '.js' };
    delete local.splitting;
    delete local.banner;
    delete local.plugins;
    return local;
  }
  return { ...options };
};
module.exports.options = options;
/** The options esbuild itself takes (the build script), without serverless-esbuild's own. */
module.exports.esbuildOnly = () => {
  const rest = { ...options, outExtension: { '.js': '.mjs' } };
  delete rest.exclude;
  delete rest.outputFileExtension;
  return rest;
};
