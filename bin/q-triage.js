#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources directly (tsx), so `npx q-triage` works right after `npm ci`.
require('tsx/cjs');
const { main } = require('../shared/cli/main.ts');

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`q-triage: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
