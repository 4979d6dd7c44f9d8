/** `npm run build` when dist/ is missing or older than its sources, for benchmarks that run the server and worker from dist/. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function newestMtime(dir: string, exts: string[]): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, exts));
    else if (exts.some((x) => e.name.endsWith(x))) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Returns what happened: 'up to date', 'rebuilt', or 'rebuilt with type errors' (tsc exit 2 still writes dist/). */
export function ensureDistBuild(): string {
  const outputs = ['dist/apps/server/src/main.js', 'dist/apps/worker/src/main.js', 'dist/workflow-bundle.js'].map((f) => path.join(ROOT, f));
  const built = outputs.every((f) => fs.existsSync(f)) ? Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs)) : 0;
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'apps'), ['.ts']),
    newestMtime(path.join(ROOT, 'workflows'), ['.ts']),
    fs.statSync(path.join(ROOT, 'prisma/schema.prisma')).mtimeMs,
  );
  if (built > sources) return 'up to date';
  console.log(built ? 'dist/ is older than the sources: building' : 'dist/ is missing: building');
  const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
  const stdio: ['ignore', 'inherit', 'inherit'] = ['ignore', 'inherit', 'inherit'];
  execFileSync(bin('prisma'), ['generate'], { cwd: ROOT, stdio });
  let result = 'rebuilt';
  try {
    execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, stdio });
  } catch (err) {
    if ((err as { status?: number }).status !== 2) throw err;
    console.warn('WARNING: tsc reported type errors (above) but wrote dist/; benchmarking that output');
    result = 'rebuilt with type errors';
  }
  execFileSync(process.execPath, ['scripts/bundle-workflows.js'], { cwd: ROOT, stdio });
  return result;
}
