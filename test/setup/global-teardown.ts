import type { ChildProcess } from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dropDatabase } = require('../../scripts/lib/database');

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const child = g.__TEMPORAL_CHILD__ as ChildProcess | null | undefined;
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  // Keep the database when asked, to look at what a failing test left behind.
  if (g.__TEST_DB_URL__ && !process.env.KEEP_TEST_DB) await dropDatabase(g.__TEST_DB_URL__);
}
