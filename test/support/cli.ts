import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

type CliResult = { code: number | null; out: string; err: string };

/** `npm run cli -- …` as a user would run it (quietly), from source, against the test database. */
const command = (args: string[]) => ['run', '-s', 'cli', '--', ...args];
const options = () => ({ cwd: ROOT, env: { ...process.env, CLI_FROM_SOURCE: '1' } });

export function cli(...args: string[]): CliResult {
  const r = spawnSync('npm', command(args), { ...options(), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, without blocking this process: for a command that needs the worker running in the test process. */
export function cliAsync(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('npm', command(args), { ...options(), timeout: 180_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
