#!/usr/bin/env node
// `npm run cli -- <command>`: the built CLI when present, else the TypeScript source through swc.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist/apps/server/src/cli/main.js');
const args = fs.existsSync(built) && !process.env.CLI_FROM_SOURCE ? [built] : ['-r', '@swc-node/register', path.join(root, 'apps/server/src/cli/main.ts')];
const r = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit', env: { SWCRC: 'true', ...process.env } });
process.exit(r.status ?? 1);
