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
  format: 'cjs',
  // Prefer the ESM entry points: they are what esbuild can tree-shake.
  mainFields: ['module', 'main'],
  // serverless-esbuild's own option: nothing is external, so no node_modules are packed.
  exclude: [],
  legalComments: 'none',
};

/** serverless-esbuild calls the exported function with the serverless instance. */
module.exports = () => ({ ...options });
module.exports.options = options;

