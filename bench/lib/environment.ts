/** What every server benchmark needs of its own: a fresh database, a Temporal dev server, and cleanup that always runs. */
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Connection } from '@temporalio/client';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PrismaClient } from '../../apps/server/src/prisma/client';
import { sleep } from './processes';

/* eslint-disable @typescript-eslint/no-require-imports */
const { createDatabaseIfMissing, dropDatabase, migrate, withDatabase } = require('../../scripts/lib/database');
const { startTemporalDev } = require('../../scripts/lib/temporal-dev');
/* eslint-enable @typescript-eslint/no-require-imports */

export const ROOT = path.resolve(__dirname, '../..');

export interface BenchEnvironment {
  stamp: string;
  logDir: string;
  dbUrl: string;
  prisma: PrismaClient;
  temporalAddress: string;
  /** The Temporal dev server's process, for its CPU time. */
  temporalPid: number;
  client: Client;
  /** Registers a cleanup step; steps run last-in, first-out, each once. */
  onCleanup(step: () => Promise<void>): void;
  cleanup(): Promise<void>;
}

/**
 * Creates and migrates `dangjian_bench_<name>_<stamp>`, starts an in-memory Temporal dev server on free ports,
 * and makes Ctrl+C or SIGTERM clean up before exiting. Call `cleanup()` in a finally.
 */
export async function startBenchEnvironment(name: string, opts: { keepDb?: boolean } = {}): Promise<BenchEnvironment> {
  const stamp = `${Date.now()}`;
  const logDir = path.join(ROOT, '.data/bench');
  fs.mkdirSync(logDir, { recursive: true });
  const dbUrl: string = withDatabase(process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', `dangjian_bench_${name}_${stamp}`);
  const steps: (() => Promise<void>)[] = [];
  const onSignal = (sig: NodeJS.Signals) => {
    console.error(`收到 ${sig}，清理后退出`);
    void cleanup().finally(() => process.exit(130));
  };
  const cleanup = async () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    for (let step = steps.pop(); step; step = steps.pop()) await step().catch((err) => console.error('清理失败：', err));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await createDatabaseIfMissing(dbUrl);
    steps.push(async () => {
      if (opts.keepDb) console.log(`database kept: ${dbUrl}`);
      else await dropDatabase(dbUrl);
    });
    migrate(dbUrl);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: dbUrl, max: 4 }) });
    steps.push(() => prisma.$disconnect());

    const temporal: { address: string; child: ChildProcess } = await startTemporalDev({ port: 0, logFile: path.join(logDir, `${name}-${stamp}-temporal.log`) });
    steps.push(async () => {
      const child = temporal.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) child.kill('SIGKILL');
      await exited;
    });
    const connection = await Connection.connect({ address: temporal.address });
    steps.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    return {
      stamp,
      logDir,
      dbUrl,
      prisma,
      temporalAddress: temporal.address,
      temporalPid: temporal.child.pid as number,
      client,
      onCleanup: (step) => steps.push(step),
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
