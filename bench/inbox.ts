/**
 * Inbox benchmark (issue 5): 100,000 tasks over 1,000 branches; the inbox (first page and a deep keyset
 * page) and the committee table of a 1,000-filing requirement under 50 concurrent connections, and
 * “submit → accepted by the workflow → visible” over sequential submissions on the real dev server.
 * Targets: inbox p95 ≤ 50 ms; submit → visible p95 ≤ 300 ms.
 *
 * Everything is its own: a fresh PostgreSQL database (dropped at the end), an in-memory Temporal dev
 * server on a free port, a unique task queue, the server and worker from dist/ as separate processes.
 * The bulk rows are seeded with SQL (generate_series); the filings measured go through the HTTP API.
 *
 * The server runs as `npm start` runs it: dist/apps/server/src/main.js with the default log level, one process
 * per core unless --web-concurrency (WEB_CONCURRENCY) says otherwise.
 *
 * The load comes from wrk (Debian package `wrk`) when it is installed, else from autocannon (--client picks one): both
 * share the two cores with the server and PostgreSQL, and wrk takes less of them.
 *
 * Baseline, in the same run: the same two inbox statements (inboxQuery's SQL for the same branch and page size) served
 * by bench/lib/bare-inbox-server.ts — node:http and a pg Pool with prepared statements, no framework, no session, one
 * process per core like the server — under the same load; the report gives product ÷ baseline for p95 and for the
 * server's CPU per request (goal ≤ 1.5×). Before each measurement the bench waits until no other test run or
 * benchmark is running (bench/lib/quiet.ts) and records the load average.
 *
 *   npm run bench -- inbox --tasks 100000 [--branches 1000] [--duration 10] [--submissions 30] [--web-concurrency N]
 *     [--client wrk|autocannon] [--keep-db]
 *     → artifacts/bench/inbox.json
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ANNUAL_WORK_PLAN } from '../apps/server/src/filings/forms';
import { Prisma, PrismaClient, Role } from '../apps/server/src/prisma/client';
import { inboxQuery } from '../apps/server/src/tasks/tasks.service';
import { twoPageDirective } from '../test/integration/documents/sample-documents';
import { ensureDistBuild } from './lib/build';
import { PASSWORD, seedTownship } from './lib/township';
import { startBenchEnvironment } from './lib/environment';
import { cookieFor, HttpSession } from './lib/http-session';
import { draftAndSubmit, submitRace } from './lib/directives';
import { startAppProcesses } from './lib/app-processes';
import { cpuMsOf, freePort, ManagedProcess, waitedChildrenCpuMs, until } from './lib/processes';
import { loadAverage, waitForQuiet, watchForOthers } from './lib/quiet';
import type { BareRoute } from './lib/bare-inbox-server';
import { wrk, wrkAvailable } from './lib/wrk';

/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS helpers shared with the start script; autocannon ships no types */
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => AutocannonInstance;
/* eslint-enable @typescript-eslint/no-require-imports */

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

const ROOT = path.resolve(__dirname, '..');
const WARM_UP_SECONDS = 8;
const TARGETS = { inboxP95Ms: 50, submitVisibleP95Ms: 300 };
/** Product ÷ bare baseline, for p95 and for the server's CPU per request. */
const BASELINE_RATIO_GOAL = 1.5;
const PLAN = {
  year: 2018,
  goals: '全面完成“党建扶贫攻坚年”七大行动各项任务。',
  actions: ['leadership', 'industry'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
  contactName: '刘大滩',
  contactPhone: '13800000001',
};

interface Options {
  tasks: number;
  branches: number;
  duration: number;
  connections: number;
  submissions: number;
  /** WEB_CONCURRENCY for the server; unset: its default, one process per core. */
  webConcurrency?: number;
  client: 'wrk' | 'autocannon';
  keepDb: boolean;
}

interface Load {
  path: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /**
   * CPU time per request of the server's processes, of PostgreSQL's backends for the bench database (from /proc,
   * 10 ms resolution over the whole run) and of the load generator (which shares the cores): unlike latency,
   * hardly moved by other work on the machine.
   */
  cpuMsPerRequest: { server: number; database: number; client: number };
  /** /proc/loadavg (1, 5, 15 min) just before this measurement's warm-up. */
  loadAverageBefore: [number, number, number];
  /** Other test runs or benchmarks that started during this measurement (empty: undisturbed). */
  disturbedBy: string[];
}

/** The product against the bare baseline on the same inbox statement, measured one after the other. */
interface Comparison {
  product: Load;
  baseline: Load;
  /** product ÷ baseline */
  ratio: { p95: number; serverCpuPerRequest: number; serverAndDatabaseCpuPerRequest: number };
  goal: number;
  met: boolean;
}

export interface Result {
  /** loadAverage: the 1-minute load before the measured load started (other work on the machine skews the figures). */
  machine: { cpus: number; node: string; loadAverage: number };
  /** The load generator. */
  client: 'wrk' | 'autocannon';
  build: string;
  /** Directives abandoned in the setup because of the submit race (bench/lib/directives.ts). */
  submitRaceRetries: number;
  server: { webConcurrency: number | 'default (one per core)' };
  seed: { tasks: number; branches: number; hotBranchTasks: number; hotBranchOpen: number; tableFilings: number; seconds: number };
  load: { inboxFirstPage: Load; inboxDeepPage: Load & { position: number }; committeeTable: Load };
  /** The same inbox statements from bench/lib/bare-inbox-server.ts (node:http + pg, no framework, no session). */
  baseline: {
    processes: number;
    /** Whether the baseline's JSON was byte for byte the product's for both pages (checked before the load). */
    sameAnswer: boolean;
    inboxFirstPage: Comparison;
    inboxDeepPage: Comparison;
  };
  submitToVisible: {
    submissions: number;
    /** POST submit until the workflow's Update returned (the submission is accepted and recorded). */
    submitAcceptedMs: Percentiles;
    /** POST submit until the branch reads 已提交 (GET /api/filings/:id) — the headline figure. */
    submitVisibleMs: Percentiles;
    /** The reviewer's POST accept until the task is in the branch's 已办 tab of GET /api/inbox. */
    acceptVisibleInInboxMs: Percentiles;
  };
  targets: { inboxP95Ms: number; submitVisibleP95Ms: number; inboxMet: boolean; submitVisibleMet: boolean };
  explain?: { firstPage: string; deepPage: string };
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    tasks: 100_000,
    branches: 1000,
    duration: 10,
    connections: 50,
    submissions: 30,
    client: wrkAvailable() ? 'wrk' : 'autocannon',
    keepDb: false,
  };
  const num = (v: string | undefined, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} 必须是正整数`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [a, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (a === '--tasks') opts.tasks = num(val(), '--tasks');
    else if (a === '--branches') opts.branches = num(val(), '--branches');
    else if (a === '--duration') opts.duration = num(val(), '--duration');
    else if (a === '--connections') opts.connections = num(val(), '--connections');
    else if (a === '--submissions') opts.submissions = num(val(), '--submissions');
    else if (a === '--web-concurrency') opts.webConcurrency = num(val(), '--web-concurrency');
    else if (a === '--client') {
      const c = val();
      if (c !== 'wrk' && c !== 'autocannon') throw new Error('--client 必须是 wrk 或 autocannon');
      if (c === 'wrk' && !wrkAvailable()) throw new Error('未找到 wrk：apt-get install wrk，或用 --client autocannon');
      opts.client = c;
    } else if (a === '--keep-db') opts.keepDb = true;
    else
      throw new Error(
        `未知选项 ${a}（可用：--tasks N、--branches N、--duration 秒、--connections N、--submissions N、--web-concurrency N、--client wrk|autocannon、--keep-db）`,
      );
  }
  if (opts.branches < 2) throw new Error('--branches 至少为 2');
  if (opts.tasks < opts.branches * 2) throw new Error('--tasks 至少是支部数的 2 倍');
  if (opts.submissions > 30) throw new Error('--submissions 最多 30（3 份发文 × 10 项填报要求）');
  return opts;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN);
  return { p50: r1(at(50)), p95: r1(at(95)), p99: r1(at(99)), max: r1(s[s.length - 1] ?? NaN) };
}

/** CPU time so far of the server's processes and of the PostgreSQL backends connected to the bench database. */
async function cpuSnapshot(meter: Meter): Promise<{ server: number; db: Map<number, number>; client: number }> {
  const rows = await meter.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  const own = process.cpuUsage();
  return {
    server: meter.server.cpuMs(),
    db: new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)])),
    client: (own.user + own.system) / 1000 + waitedChildrenCpuMs(),
  };
}

interface Meter {
  server: ManagedProcess;
  prisma: PrismaClient;
}

/** One measured run of the chosen load generator (a warm-up run first, not counted) with its CPU per request. */
async function load(base: string, urlPath: string, cookie: string | null, opts: Options, meter: Meter, label: string): Promise<Load> {
  const url = `${base}${urlPath}`;
  const headers: Record<string, string> = cookie ? { cookie, accept: 'application/json' } : { accept: 'application/json' };
  const loadAverageBefore = await waitForQuiet(label);
  const run = async (seconds: number) => {
    if (opts.client === 'wrk') return wrk(url, { connections: opts.connections, seconds, headers });
    const latencies: number[] = [];
    const instance = autocannon({ url, connections: opts.connections, duration: seconds, headers });
    instance.on('response', (_c, _status, _bytes, ms) => latencies.push(ms));
    const r = await instance;
    return { requests: r.requests.total, seconds: r.duration, latencyMs: percentiles(latencies), non2xx: r.non2xx, errors: r.errors + r.timeouts };
  };
  // Warm-up: the same traffic, not counted, until the server processes are in their steady state (V8 has compiled the
  // hot code and sized its heap; the pools have their connections and prepared statements). Measured here: after a
  // 2-second warm-up, the first 10-second run still had twice the p95 of the runs after it.
  const others = watchForOthers();
  await run(WARM_UP_SECONDS);
  const before = await cpuSnapshot(meter);
  const r = await run(opts.duration);
  const after = await cpuSnapshot(meter);
  const disturbedBy = others.stop();
  const dbMs = [...after.db].reduce((sum, [pid, ms]) => sum + ms - (before.db.get(pid) ?? 0), 0);
  const perRequest = (ms: number) => Math.round((ms / Math.max(r.requests, 1)) * 100) / 100;
  return {
    path: urlPath,
    connections: opts.connections,
    seconds: r.seconds,
    requests: r.requests,
    requestsPerSecond: Math.round(r.requests / r.seconds),
    non2xx: r.non2xx,
    errors: r.errors,
    latencyMs: r.latencyMs,
    cpuMsPerRequest: { server: perRequest(after.server - before.server), database: perRequest(dbMs), client: perRequest(after.client - before.client) },
    loadAverageBefore,
    disturbedBy,
  };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function compare(product: Load, baseline: Load): Comparison {
  const r = {
    p95: ratio(product.latencyMs.p95, baseline.latencyMs.p95),
    serverCpuPerRequest: ratio(product.cpuMsPerRequest.server, baseline.cpuMsPerRequest.server),
    serverAndDatabaseCpuPerRequest: ratio(
      product.cpuMsPerRequest.server + product.cpuMsPerRequest.database,
      baseline.cpuMsPerRequest.server + baseline.cpuMsPerRequest.database,
    ),
  };
  return { product, baseline, ratio: r, goal: BASELINE_RATIO_GOAL, met: r.p95 <= BASELINE_RATIO_GOAL && r.serverCpuPerRequest <= BASELINE_RATIO_GOAL };
}

/** The bare baseline server (bench/lib/bare-inbox-server.ts) for the given statements, once it answers. */
async function startBaseline(
  routes: Record<string, BareRoute>,
  env: { dbUrl: string; webConcurrency?: number },
  logFile: string,
): Promise<{ process: ManagedProcess; base: string }> {
  const port = await freePort();
  const child = new ManagedProcess('baseline', process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'lib/bare-inbox-server.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SWCRC: 'true',
      DATABASE_URL: env.dbUrl,
      PORT: String(port),
      BARE_INBOX_ROUTES: JSON.stringify(routes),
      ...(env.webConcurrency ? { WEB_CONCURRENCY: String(env.webConcurrency) } : {}),
    },
    logFile,
  });
  const base = `http://127.0.0.1:${port}`;
  const first = Object.keys(routes)[0];
  await until(
    '基线服务启动',
    async () => {
      if (!child.running) throw new Error(`基线服务退出了（日志：${logFile}）`);
      return fetch(`${base}${first}`).then(
        (r) => r.ok,
        () => false,
      );
    },
    60_000,
  );
  return { process: child, base };
}

interface Setup {
  committeeId: string;
  branchIds: string[];
  hotBranch: string;
  users: { drafter: string; reviewer: string; secretary: string; branchSecretary: string };
  personIds: { drafter: string; reviewer: string; secretary: string; branchSecretary: string };
}

/** The township, with the secretary of its first branch (the hot branch). */
async function seedPeople(prisma: PrismaClient, branches: number): Promise<Setup> {
  const township = await seedTownship(prisma, branches, '李审核');
  const { tag, committeeId, branchIds, personIds, person } = township;
  const users = { ...township.users, branchSecretary: `bench.b1.${tag}` };
  const branchSecretaryId = await person(users.branchSecretary, '第1支部书记', branchIds[0], Role.BRANCH_SECRETARY);
  return { committeeId, branchIds, hotBranch: branchIds[0], users, personIds: { ...personIds, branchSecretary: branchSecretaryId } };
}

/**
 * 100,000 tasks in a few statements. The hot branch (the secretary's) holds 2 % of them, the rest are spread
 * evenly; 60 % open with deadlines up to half a year ahead, 10 % open and overdue, 28 % done, 2 % cancelled.
 * One requirement gets a filing (and its FILING task) in every branch, for the committee table.
 */
async function seedTasks(prisma: PrismaClient, setup: Setup, holderDirective: string, reviewerId: string, opts: Options) {
  const others = setup.branchIds.slice(1);
  const hot = Math.round(opts.tasks * 0.02);
  const generic = opts.tasks - setup.branchIds.length;
  await prisma.$executeRawUnsafe(
    `INSERT INTO task (id, key, kind, subject_type, subject_id, origin_type, origin_id, org_id, title, status, due_at, overdue, workflow_id, data, created_at, completed_at)
     SELECT gen_random_uuid(), 'bench:' || i,
       (CASE WHEN i % 3 = 1 THEN 'FILING' ELSE 'RECEIPT' END)::"TaskKind",
       'directive', $1::uuid, 'directive', $1::uuid,
       CASE WHEN i <= $2 THEN $3::uuid ELSE ($4::uuid[])[1 + (i % $5)] END,
       CASE WHEN i % 3 = 1 THEN '填报：第' || i || '项工作情况' ELSE '签收：关于开展第' || i || '项工作的通知' END,
       (CASE WHEN i % 100 < 70 THEN 'OPEN' WHEN i % 100 < 98 THEN 'DONE' ELSE 'CANCELLED' END)::"TaskStatus",
       CASE WHEN i % 100 BETWEEN 60 AND 69 THEN now() - make_interval(secs => 3600 + (i * 7919) % (60 * 86400))
            ELSE now() + make_interval(secs => 3600 + (i * 7919) % (180 * 86400)) - make_interval(days => CASE WHEN i % 100 >= 70 THEN 90 ELSE 0 END) END,
       i % 100 BETWEEN 60 AND 69,
       'bench-wf-' || i,
       '{}'::jsonb,
       now() - make_interval(days => i % 200),
       CASE WHEN i % 100 >= 70 THEN now() - make_interval(days => i % 30) END
     FROM generate_series(1, $6::int) AS i`,
    holderDirective,
    hot,
    setup.hotBranch,
    others,
    others.length,
    generic,
  );
  // The table's requirement: one filing per branch, statuses mixed.
  const requirementId = randomUUID();
  await prisma.requirement.create({
    data: {
      id: requirementId,
      directiveId: holderDirective,
      orgId: setup.committeeId,
      title: '2018年度工作计划',
      form: JSON.parse(JSON.stringify(ANNUAL_WORK_PLAN)),
      deadlineKind: 'WORKDAYS',
      deadlineWorkdays: 5,
    },
  });
  await prisma.$executeRawUnsafe(
    `INSERT INTO task (id, key, kind, subject_type, subject_id, origin_type, origin_id, org_id, title, status, due_at, overdue, workflow_id, data)
     SELECT gen_random_uuid(), 'bench-table:' || o.ord, 'FILING'::"TaskKind", 'filing', gen_random_uuid(), 'directive', $1::uuid, o.id, '填报：2018年度工作计划',
       (CASE WHEN o.ord % 4 = 0 THEN 'DONE' ELSE 'OPEN' END)::"TaskStatus",
       now() + make_interval(days => 3), false, 'bench-table-wf-' || o.ord, jsonb_build_object('requirementId', $2::text)
     FROM unnest($3::uuid[]) WITH ORDINALITY AS o(id, ord)`,
    holderDirective,
    requirementId,
    setup.branchIds,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO filing (id, requirement_id, org_id, task_id, status, deadline_at, overdue, version, submitted_at, reviewer_id, accepted_at, updated_at)
     SELECT t.subject_id, $1::uuid, t.org_id, t.id,
       (CASE n % 4 WHEN 0 THEN 'ACCEPTED' WHEN 1 THEN 'SUBMITTED' WHEN 2 THEN 'OPEN' ELSE 'RETURNED' END)::"FilingStatus",
       t.due_at, n % 10 = 2, CASE WHEN n % 4 IN (0, 1, 3) THEN 1 ELSE 0 END,
       CASE WHEN n % 4 IN (0, 1, 3) THEN now() - interval '1 day' END,
       CASE WHEN n % 4 IN (0, 3) THEN $2::uuid END,
       CASE WHEN n % 4 = 0 THEN now() END, now()
     FROM (SELECT t.*, row_number() OVER (ORDER BY key) AS n FROM task t WHERE key LIKE 'bench-table:%') t`,
    requirementId,
    reviewerId,
  );
  // As a database in use would be: vacuumed and analysed, so that autovacuum does not start on the fresh rows in the
  // middle of the first measurement.
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE) task');
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE) filing');
  // And the bulk load written out now, rather than by the checkpointer in the middle of the first measurement.
  await prisma.$executeRawUnsafe('CHECKPOINT');
  const hotOpen = await prisma.task.count({ where: { orgId: setup.hotBranch, status: 'OPEN', overdue: false, assigneeId: null } });
  const hotAll = await prisma.task.count({ where: { orgId: setup.hotBranch } });
  return { requirementId, hotBranchTasks: hotAll, hotBranchOpen: hotOpen };
}

/** The EXPLAIN ANALYZE of the inbox's query as the server sends it (first page, or after a cursor), for the report. */
async function explainInbox(prisma: PrismaClient, orgId: string, after?: string): Promise<string> {
  const query = inboxQuery({ role: Role.BRANCH_SECRETARY, orgId, personId: randomUUID() }, { after });
  const rows = await prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

async function run(opts: Options): Promise<Result> {
  const build = ensureDistBuild();
  const bench = await startBenchEnvironment('inbox', { keepDb: opts.keepDb });
  const { stamp, logDir, dbUrl, prisma, client } = bench;
  const cleanups = { push: bench.onCleanup };

  try {
    const setup = await seedPeople(prisma, opts.branches);
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=artifacts/bench/profiles": where the server's time goes (each
    // server process writes a profile when it stops).
    const { base, server } = await startAppProcesses(bench, {
      name: 'inbox',
      serverNodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [],
      env: opts.webConcurrency ? { WEB_CONCURRENCY: String(opts.webConcurrency) } : {},
      readyTimeoutMs: 60_000,
    });
    const env = { dbUrl, webConcurrency: opts.webConcurrency };

    const session = async (username: string) => {
      const s = new HttpSession(base);
      await s.login(username, PASSWORD);
      return s;
    };
    const drafter = await session(setup.users.drafter);
    const reviewer = await session(setup.users.reviewer);
    const secretary = await session(setup.users.secretary);
    const branch = await session(setup.users.branchSecretary);

    /** A directive through the API: drafted, reviewed, signed, issued to the listed branches. */
    const issue = async (title: string, orgIds: string[], requirements: unknown[]) => {
      const id = await draftAndSubmit(prisma, client, drafter, {
        model: { ...twoPageDirective(), title },
        chain: { reviewers: [setup.personIds.reviewer], signerId: setup.personIds.secretary },
        distribution: { mode: 'LIST', orgIds },
        requirements,
      });
      for (const [s, who] of [
        [reviewer, '核稿人'],
        [secretary, '书记'],
      ] as const) {
        const stepId = await until(
          `${who}的审批待办`,
          async () => (await s.call<{ items: { data: { stepId: string } }[] }>('GET', `/api/inbox?kind=APPROVAL&directiveId=${id}`)).items[0]?.data.stepId,
          30_000,
        );
        await s.call('POST', `/api/directives/${id}/decisions`, { stepId, decision: 'APPROVE', comment: '同意', version: 1 });
      }
      await until(
        `《${title}》印发`,
        async () => (await prisma.directive.findUniqueOrThrow({ where: { id }, select: { status: true } })).status === 'ISSUED',
        120_000,
        200,
      );
      return id;
    };

    // 1. The directive that holds the bulk rows, and the three whose filings are submitted (10 requirements each).
    console.log('issuing the directives through the API…');
    const holder = await issue('关于开展“党建扶贫攻坚年”七大行动的实施方案', [setup.branchIds[1]], []);
    const filingDirectives: string[] = [];
    for (let d = 0; d < Math.ceil(opts.submissions / 10); d++) {
      const n = Math.min(10, opts.submissions - d * 10);
      const reqs = Array.from({ length: n }, (_, k) => ({
        title: `第${d * 10 + k + 1}项年度工作计划`,
        template: 'ANNUAL_WORK_PLAN',
        deadlineKind: 'WORKDAYS',
        deadlineWorkdays: 5,
      }));
      filingDirectives.push(await issue(`关于报送第${d + 1}批年度工作计划的通知`, [setup.hotBranch], reqs));
    }

    // 2. The bulk rows.
    console.log(`seeding ${opts.tasks} tasks over ${opts.branches} branches…`);
    const t0 = Date.now();
    const seeded = await seedTasks(prisma, setup, holder, setup.personIds.reviewer, opts);
    const seedSeconds = r1((Date.now() - t0) / 1000);
    const total = await prisma.task.count();

    // 3. Load: the branch secretary's inbox (first page, a deep keyset page) and the committee table.
    const branchCookie = await cookieFor(base, setup.users.branchSecretary, PASSWORD);
    const reviewerCookie = await cookieFor(base, setup.users.reviewer, PASSWORD);
    let cursor: string | null = null;
    let position = 0;
    const deepTarget = Math.floor(seeded.hotBranchOpen * 0.75);
    while (position < deepTarget) {
      const page: { items: unknown[]; next: string | null } = await branch.call('GET', `/api/inbox${cursor ? `?after=${cursor}` : ''}`);
      position += page.items.length;
      if (!page.next) break;
      cursor = page.next;
    }
    if (!cursor) throw new Error('分页游标为空：待办不足一页');

    // The baseline: the same two statements the server sends for this branch secretary (same actor, page size 20).
    const actor = { role: Role.BRANCH_SECRETARY, orgId: setup.hotBranch, personId: setup.personIds.branchSecretary };
    const firstPath = '/api/inbox';
    const deepPath = `/api/inbox?after=${cursor}`;
    const statement = (after?: string): BareRoute => {
      const q = inboxQuery(actor, { after });
      return { text: q.text, values: q.values, limit: 20 };
    };
    const baseline = await startBaseline({ [firstPath]: statement(), [deepPath]: statement(cursor) }, env, path.join(logDir, `inbox-${stamp}-baseline.log`));
    cleanups.push(() => baseline.process.stop());
    const productBody = async (p: string) => (await fetch(`${base}${p}`, { headers: { cookie: branchCookie, accept: 'application/json' } })).text();
    const baselineBody = async (p: string) => (await fetch(`${baseline.base}${p}`)).text();
    let sameAnswer = true;
    for (const p of [firstPath, deepPath]) {
      const [a, b] = [await productBody(p), await baselineBody(p)];
      if (a !== b) {
        sameAnswer = false;
        console.warn(`WARNING: 基线与产品对 ${p} 的回答不同（${a.length} / ${b.length} 字节）`);
      }
    }

    const loadBefore = r1(loadAverage()[0]);
    console.log(`load: ${opts.connections} connections × ${opts.duration} s per endpoint (load average ${loadBefore})…`);
    const meter = { server, prisma };
    const baseMeter = { server: baseline.process, prisma };
    const inboxFirstPage = await load(base, firstPath, branchCookie, opts, meter, 'product: inbox first page');
    const baselineFirstPage = await load(baseline.base, firstPath, null, opts, baseMeter, 'baseline: inbox first page');
    const inboxDeepPage = { ...(await load(base, deepPath, branchCookie, opts, meter, 'product: inbox deep page')), position };
    const baselineDeepPage = await load(baseline.base, deepPath, null, opts, baseMeter, 'baseline: inbox deep page');
    await baseline.process.stop();
    const baselineProcesses = opts.webConcurrency ?? os.availableParallelism();
    const committeeTable = await load(base, `/api/requirements/${seeded.requirementId}/filings`, reviewerCookie, opts, meter, 'product: committee table');

    // 4. Submit → accepted by the workflow → visible, one filing after another (the load is over).
    await waitForQuiet('submit → visible');
    console.log(`submit → visible over ${opts.submissions} sequential submissions…`);
    const filings = await prisma.filing.findMany({
      where: { orgId: setup.hotBranch, requirement: { directiveId: { in: filingDirectives } } },
      include: { requirement: { select: { directiveId: true } } },
    });
    if (filings.length !== opts.submissions) throw new Error(`应有 ${opts.submissions} 项填报，实际 ${filings.length}`);
    const accepted: number[] = [];
    const visible: number[] = [];
    const inInbox: number[] = [];
    for (const f of filings) {
      const start = performance.now();
      await branch.call('POST', `/api/filings/${f.id}/submit`, { values: PLAN }, [200]);
      accepted.push(performance.now() - start);
      await until('已提交可见', async () => (await branch.call<{ status: string }>('GET', `/api/filings/${f.id}`)).status === 'SUBMITTED', 10_000, 2);
      visible.push(performance.now() - start);
      const review = performance.now();
      await reviewer.call('POST', `/api/filings/${f.id}/review`, { decision: 'ACCEPT', comment: '同意' }, [200]);
      await until(
        '已办可见',
        async () =>
          (
            await branch.call<{ items: { id: string }[] }>('GET', `/api/inbox?tab=done&kind=FILING&directiveId=${f.requirement.directiveId}&limit=100`)
          ).items.some((t) => t.id === f.taskId),
        10_000,
        2,
      );
      inInbox.push(performance.now() - review);
    }

    const submitVisibleMs = percentiles(visible);
    const inboxP95 = Math.max(inboxFirstPage.latencyMs.p95, inboxDeepPage.latencyMs.p95);
    const inboxMet = inboxP95 <= TARGETS.inboxP95Ms;
    const result: Result = {
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: loadBefore },
      client: opts.client,
      build,
      submitRaceRetries: submitRace.abandoned,
      server: { webConcurrency: opts.webConcurrency ?? 'default (one per core)' },
      seed: {
        tasks: total,
        branches: opts.branches,
        hotBranchTasks: seeded.hotBranchTasks,
        hotBranchOpen: seeded.hotBranchOpen,
        tableFilings: opts.branches,
        seconds: seedSeconds,
      },
      load: { inboxFirstPage, inboxDeepPage, committeeTable },
      baseline: {
        processes: baselineProcesses,
        sameAnswer,
        inboxFirstPage: compare(inboxFirstPage, baselineFirstPage),
        inboxDeepPage: compare(inboxDeepPage, baselineDeepPage),
      },
      submitToVisible: {
        submissions: filings.length,
        submitAcceptedMs: percentiles(accepted),
        submitVisibleMs,
        acceptVisibleInInboxMs: percentiles(inInbox),
      },
      targets: { ...TARGETS, inboxMet, submitVisibleMet: submitVisibleMs.p95 <= TARGETS.submitVisibleP95Ms },
      explain: { firstPage: await explainInbox(prisma, setup.hotBranch), deepPage: await explainInbox(prisma, setup.hotBranch, cursor) },
    };
    return result;
  } finally {
    await bench.cleanup();
  }
}

function report(r: Result): void {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  console.log(
    `inbox bench: ${r.seed.tasks} tasks over ${r.seed.branches} branches (the secretary's branch: ${r.seed.hotBranchTasks}, ${r.seed.hotBranchOpen} open), seeded in ${r.seed.seconds} s; load from ${r.client}; ${r.machine.cpus} cores (load average ${r.machine.loadAverage} before), Node ${r.machine.node}; server processes: ${r.server.webConcurrency}`,
  );
  const row = (l: Load) => ({
    'p50 ms': l.latencyMs.p50,
    'p95 ms': l.latencyMs.p95,
    'p99 ms': l.latencyMs.p99,
    'max ms': l.latencyMs.max,
    'req/s': l.requestsPerSecond,
    'server CPU ms/req': l.cpuMsPerRequest.server,
    'db CPU ms/req': l.cpuMsPerRequest.database,
    [`${r.client} CPU ms/req`]: l.cpuMsPerRequest.client,
    requests: l.requests,
    'non-2xx': l.non2xx,
    errors: l.errors,
    'load avg before': l.loadAverageBefore[0],
    disturbed: l.disturbedBy.length > 0,
  });
  console.table({
    'GET /api/inbox (first page)': row(r.load.inboxFirstPage),
    [`GET /api/inbox?after= (row ${r.load.inboxDeepPage.position})`]: row(r.load.inboxDeepPage),
    [`GET /api/requirements/:id/filings (${r.seed.tableFilings} filings)`]: row(r.load.committeeTable),
  });
  const b = r.baseline;
  console.log(
    `baseline: the same inbox statements from node:http + pg (no framework, no session), ${b.processes} processes; same JSON as the product: ${b.sameAnswer ? 'yes' : 'NO'}`,
  );
  console.table({
    'first page: product': row(b.inboxFirstPage.product),
    'first page: baseline': row(b.inboxFirstPage.baseline),
    'deep page: product': row(b.inboxDeepPage.product),
    'deep page: baseline': row(b.inboxDeepPage.baseline),
  });
  console.table({
    'first page: product ÷ baseline': { ...b.inboxFirstPage.ratio, [`≤ ${b.inboxFirstPage.goal}`]: ok(b.inboxFirstPage.met) },
    'deep page: product ÷ baseline': { ...b.inboxDeepPage.ratio, [`≤ ${b.inboxDeepPage.goal}`]: ok(b.inboxDeepPage.met) },
  });
  const s = r.submitToVisible;
  console.table({
    'submit → accepted by the workflow': s.submitAcceptedMs,
    'submit → 已提交 visible to the branch': s.submitVisibleMs,
    'review accept → in the 已办 tab of the inbox': s.acceptVisibleInInboxMs,
  });
  console.log(
    `inbox p95 ≤ ${r.targets.inboxP95Ms} ms: ${ok(r.targets.inboxMet)}; submit → visible p95 ≤ ${r.targets.submitVisibleP95Ms} ms: ${ok(r.targets.submitVisibleMet)}`,
  );
  if (r.submitRaceRetries) console.log(`setup: ${r.submitRaceRetries} directive(s) redrafted after the submit race (bench/lib/directives.ts)`);
  if (r.explain) console.log(`inbox first page, EXPLAIN ANALYZE:\n${r.explain.firstPage}\ninbox deep page, EXPLAIN ANALYZE:\n${r.explain.deepPage}`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const result = await run(opts);
  report(result);
  const out = path.resolve(__dirname, '../artifacts/bench/inbox.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
  const bad = [
    result.load.inboxFirstPage,
    result.load.inboxDeepPage,
    result.load.committeeTable,
    result.baseline.inboxFirstPage.baseline,
    result.baseline.inboxDeepPage.baseline,
  ].some((l) => l.non2xx > 0 || l.errors > 0);
  if (bad) {
    console.error('有请求失败（非 2xx 或连接错误），结果无效');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
