import type { ChildProcess } from 'node:child_process';
import { recordHistories } from './record-histories';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dropDatabase } = require('../../scripts/lib/database');

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const child = g.__TEMPORAL_CHILD__ as ChildProcess | null | undefined;
  if (process.env.RECORD_HISTORIES && process.env.TEMPORAL_ADDRESS) {
    const n = await recordHistories(process.env.TEMPORAL_ADDRESS, process.env.RECORD_HISTORIES);
    console.log(`\n已导出 ${n} 个工作流历史到 ${process.env.RECORD_HISTORIES}`);
  }
  if (child && child.exitCode === null) {
    // The child was unref'd at start: without ref() nothing keeps the event loop alive while we wait, Node exits
    // with code 0 mid-teardown, and Jest never reports failed tests in its exit code.
    child.ref();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(hard);
  }
  // Keep the database when asked, to look at what a failing test left behind.
  if (g.__TEST_DB_URL__ && !process.env.KEEP_TEST_DB) await dropDatabase(g.__TEST_DB_URL__);
}
