import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Runs `npm run cli -- …` as a user would (quietly), from source, against the test database. */
export function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync('npm', ['run', '-s', 'cli', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, CLI_FROM_SOURCE: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
