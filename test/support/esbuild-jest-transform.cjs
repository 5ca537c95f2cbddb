/**
 * jest transformer: TypeScript and the ESM-only middy packages to CommonJS with esbuild (already a
 * dependency for the bundles). One transformer for both, with inline source maps for stack traces.
 */
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js' };

module.exports = {
  process(sourceText, sourcePath) {
    const extension = sourcePath.slice(sourcePath.lastIndexOf('.'));
    const result = transformSync(sourceText, {
      loader: LOADERS[extension] ?? 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: sourcePath,
      // jest runs CommonJS: lazy `import()`s (code-split chunks in the Lambda bundles) become require().
      supported: { 'dynamic-import': false },
      // `import.meta.url` has no CommonJS meaning; map it to the file URL.
      define: { 'import.meta.url': JSON.stringify(`file://${sourcePath}`) },
    });
    return { code: result.code };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256')
      .update(sourcePath)
      .update('\0')
      .update(sourceText)
      .update('\0esbuild-cjs-v2')
      .digest('hex');
  },
};
