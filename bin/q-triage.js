#!/usr/bin/env node
'use strict';
// The compiled CLI (scripts/build-cli.mjs; `npm ci` builds it through `prepare`).
try {
  require.resolve('../dist/cli/q-triage.cjs');
} catch {
  process.stderr.write(
    'q-triage: the CLI is not built: run `npm ci` (or `npm run build:cli`) in the q-triage checkout\n',
  );
  process.exit(70);
}
require('../dist/cli/q-triage.cjs');
