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
  // Some bundled CommonJS dependencies call require() for Node built-ins: give ESM a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Prefer the ESM entry points: they are what esbuild can tree-shake.
  mainFields: ['module', 'main'],
  // serverless-esbuild's own option: nothing is external, so no node_modules are packed.
  exclude: [],
  legalComments: 'none',
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

