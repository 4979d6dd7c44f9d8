import 'reflect-metadata';
import cluster, { Worker } from 'node:cluster';
import os from 'node:os';
import pino from 'pino';
import { createServerApp } from './bootstrap';
import { prettyInDevelopment } from './common/logging';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { TemporalClientService } from './temporal/temporal-client.service';

/** More restarts than this per server process within a minute: something is wrong that restarting will not fix. */
const RESTARTS_PER_MINUTE = 3;
const STOP_GRACE_MS = 10_000;
const SHUTDOWN = 'dj:shutdown';

/**
 * How many server processes: WEB_CONCURRENCY, else one per core. Read here, before the configuration, because
 * it concerns the process that supervises the servers, not the application.
 */
function processCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEB_CONCURRENCY;
  if (raw === undefined || raw === '') return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new ConfigError(`环境变量配置有误，服务无法启动：\n  WEB_CONCURRENCY：必须是 1 到 64 的整数（当前值 "${raw}"）`);
  return n;
}

/**
 * Tells the parent, when it started this process with an IPC channel (scripts/start.js, to print its banner after
 * the servers' start-up lines), that every server process is listening; then lets the channel go, so that it does
 * not keep this process alive. Without a channel (npm run start:server, a process manager), nothing.
 */
function announceReady(): void {
  process.send?.({ ready: true }, () => {
    if (process.connected) process.disconnect();
  });
}

async function serve(): Promise<void> {
  loadConfig(); // fail fast, naming the bad variable, before anything connects
  // Asked by the primary to stop: the same graceful shutdown as SIGTERM (Nest's shutdown hooks), once.
  process.on('message', (m) => {
    if (m === SHUTDOWN) process.emit('SIGTERM', 'SIGTERM');
  });
  const app = await createServerApp();
  const config = app.get(AppConfig);
  await app.listen(config.PORT, '0.0.0.0');
  if (cluster.isPrimary) announceReady(); // one process; in a cluster, the primary announces (supervise)
  // Connect to Temporal now rather than on the first submission each process receives (the client stays lazy:
  // if Temporal is down, the API still runs and the next call tries again).
  app
    .get(TemporalClientService)
    .client()
    .catch(() => undefined);
}

/**
 * The primary process: forks the servers, which share the port (node:cluster hands each new connection to one of
 * them), restarts one that dies after it has started listening, and stops them all on SIGTERM or SIGINT, or when one
 * fails to boot (bad configuration, no database) or keeps dying. One Node process serves at most one core and the
 * per-request work (session, capacity, JSON) is CPU, so this is how the server uses the machine. Sessions live in
 * PostgreSQL and the caches are emptied by PostgreSQL notifications, so any process can answer any request.
 */
function supervise(count: number, config: AppConfig): void {
  const log = pino({ level: config.LOG_LEVEL, base: { app: 'server', role: 'primary' }, ...prettyInDevelopment(config) });
  const listening = new Set<number>();
  const restarts: number[] = [];
  let stopping = false;
  const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    const workers = alive();
    if (workers.length === 0) process.exit(code);
    // A message rather than a signal: after Ctrl+C the servers already have SIGINT, and a second signal during
    // their shutdown would kill them before it finishes.
    for (const w of workers) if (w.isConnected()) w.send(SHUTDOWN);
    setTimeout(() => process.exit(code), STOP_GRACE_MS).unref();
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (alive().length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    const booted = listening.delete(worker.id);
    const now = Date.now();
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (!booted || restarts.length >= RESTARTS_PER_MINUTE * count) {
      log.fatal({ pid: worker.process.pid, code, signal }, booted ? '服务进程反复退出，全部停止' : '服务进程启动失败，全部停止');
      stop(typeof code === 'number' && code !== 0 ? code : 1);
      return;
    }
    restarts.push(now);
    log.error({ pid: worker.process.pid, code, signal }, '服务进程意外退出，重新启动');
    cluster.fork();
  });
  let announced = false;
  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    if (!announced && listening.size === count) {
      announced = true;
      announceReady();
    }
  });
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  log.info({ processes: count, port: config.PORT }, '启动服务进程');
  for (let i = 0; i < count; i++) cluster.fork();
}

async function main(): Promise<void> {
  if (!cluster.isPrimary) return serve();
  const config = loadConfig();
  const count = processCount();
  if (count === 1) return serve();
  supervise(count, config);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
