#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs bench/<name>.ts, which prints a table and writes artifacts/bench/<name>.json.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [name, ...rest] = process.argv.slice(2);
const available = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.includes('.spec.'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`用法：npm run bench -- <${available.join('|')}> [选项]`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(root, 'bench', `${name}.ts`), ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { SWCRC: 'true', ...process.env },
});
process.exit(r.status ?? 1);
