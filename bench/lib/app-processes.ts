/**
 * The application as the server benches run it: the server and the worker(s) from dist/ as separate Node processes
 * (each in its own process group, sampled for memory and CPU), on the bench's database and Temporal dev server and a
 * task queue of their own, started and awaited until the server answers and every worker polls.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { BenchEnvironment } from './environment';
import { ROOT } from './environment';
import { freePort, ManagedProcess, until } from './processes';

export interface AppProcessOptions {
  /** The bench's name: log files are .data/bench/<name>-<stamp>-<process>.log */
  name: string;
  /** Default: bench-<name>-<stamp>. */
  taskQueue?: string;
  /** Worker processes on the task queue (default 1); more can be started later with startWorker. */
  workers?: number;
  /** LOG_LEVEL for both (unset: the application's default). */
  logLevel?: string;
  /** Node options for the server process only (e.g. --cpu-prof). */
  serverNodeArgs?: string[];
  /** More environment for both (WEB_CONCURRENCY…). */
  env?: NodeJS.ProcessEnv;
  /** How long the server and the workers may take to come up (default 120 s). */
  readyTimeoutMs?: number;
  /** Defaults to the bench's database and Temporal dev server. */
  dbUrl?: string;
  temporalAddress?: string;
}

export interface AppProcesses {
  base: string;
  port: number;
  taskQueue: string;
  /** What both processes were started with (one session secret, so a restarted server keeps the sessions). */
  env: NodeJS.ProcessEnv;
  server: ManagedProcess;
  /** Every worker started so far, the first ones and those started later. */
  workers: ManagedProcess[];
  logFile(process: string): string;
  /** Another worker process on the task queue (stopped at cleanup); not awaited. */
  startWorker(name: string): ManagedProcess;
  /** Another server process on the same port (stopped at cleanup), once it answers; the previous one must be gone. */
  restartServer(name: string): Promise<ManagedProcess>;
  /** Until the server answers GET /api/auth/csrf. */
  serverReady(server?: ManagedProcess): Promise<void>;
  /** Until `n` distinct worker identities poll the task queue for workflow tasks; fails if a worker exits meanwhile. */
  workersPolling(n: number, watch?: ManagedProcess[]): Promise<void>;
}

/** Starts the server and the worker(s) and waits until the server answers and every worker polls its task queue. */
export async function startAppProcesses(bench: BenchEnvironment, opts: AppProcessOptions): Promise<AppProcesses> {
  const port = await freePort();
  const taskQueue = opts.taskQueue ?? `bench-${opts.name}-${bench.stamp}`;
  const timeout = opts.readyTimeoutMs ?? 120_000;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    DATABASE_URL: opts.dbUrl ?? bench.dbUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress ?? bench.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    PORT: String(port),
    ...(opts.logLevel ? { LOG_LEVEL: opts.logLevel } : {}),
    ...(process.env.CHROME_PATH ? { CHROME_PATH: process.env.CHROME_PATH } : {}),
    ...opts.env,
  };
  const base = `http://127.0.0.1:${port}`;
  const logFile = (name: string) => path.join(bench.logDir, `${opts.name}-${bench.stamp}-${name}.log`);
  const spawnServer = (name: string) => {
    const p = new ManagedProcess(name, process.execPath, [...(opts.serverNodeArgs ?? []), 'dist/apps/server/src/main.js'], {
      cwd: ROOT,
      env,
      logFile: logFile(name),
    });
    bench.onCleanup(() => p.stop());
    return p;
  };
  const workers: ManagedProcess[] = [];
  const startWorker = (name: string) => {
    const w = new ManagedProcess(name, process.execPath, ['dist/apps/worker/src/main.js'], { cwd: ROOT, env, logFile: logFile(name) });
    bench.onCleanup(() => w.stop());
    workers.push(w);
    return w;
  };
  const serverReady = (server: ManagedProcess) =>
    until(
      '服务端启动',
      async () => {
        if (!server.running) throw new Error(`服务端退出了（日志：${logFile(server.name)}）`);
        return fetch(`${base}/api/auth/csrf`).then(
          (r) => r.ok,
          () => false,
        );
      },
      timeout,
    ).then(() => undefined);
  const workersPolling = (n: number, watch: ManagedProcess[] = workers) =>
    until(
      `${n} 个工作进程开始轮询`,
      async () => {
        const dead = watch.find((w) => !w.running);
        if (dead) throw new Error(`工作进程退出了（日志：${logFile(dead.name)}）`);
        const res = await bench.client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
        return new Set((res.pollers ?? []).map((p) => p.identity)).size >= n;
      },
      timeout,
    ).then(() => undefined);

  const count = opts.workers ?? 1;
  const app: AppProcesses = {
    base,
    port,
    taskQueue,
    env,
    server: spawnServer('server'),
    workers,
    logFile,
    startWorker,
    restartServer: async (name) => {
      app.server = spawnServer(name);
      await serverReady(app.server);
      return app.server;
    },
    serverReady: (server = app.server) => serverReady(server),
    workersPolling,
  };
  for (let k = 0; k < count; k++) startWorker(count === 1 ? 'worker' : `worker${k + 1}`);
  await serverReady(app.server);
  await workersPolling(count);
  return app;
}
