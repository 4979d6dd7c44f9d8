/**
 * Contention benchmark: how much a big fan-out slows a branch's filing submission. Every change writes its audit
 * record into one hash chain under one advisory lock (apps/server/src/audit/audit.service.ts); the fan-out's plan
 * transaction (1,000 receipt tasks, 1,000 filings and their tasks, with audit records) and its batches (2,000
 * workflow starts) share the database, the worker and the two cores with the submissions.
 *
 * A township of --branches (1,000) branches. A first directive with --requirements (10) annual-plan filing
 * requirements is issued to --filing-branches (80) branches, so there are filings to submit; --rounds (3) more
 * directives with one requirement each, addressed to all branches, are drafted and approved up to their signing. Then:
 *   (a) idle: --idle-samples (30) filing submissions (POST /api/filings/:id/submit through the real server, each a
 *       different filing, --lanes (3) at a time, each lane starting one at most every --interval-ms (500));
 *   (b) loaded, once per round: the secretary signs the next directive; from the moment its PDF is archived (the
 *       fan-out starts next) until it is ISSUED (every batch done, every workflow started), the same submissions go
 *       on. The submissions that overlapped the plan transaction (its plan audit record to its commit) are also
 *       reported apart: before the audit append moved to the end of the transaction, that transaction held the
 *       chain's lock from its first audit record to its commit.
 * Latency is the POST until its answer (the workflow's Update returned: the submission is recorded). Each sample's
 * filing workflow history splits it into the recordSubmission activity's queueing and running, and the rest.
 * Before each measurement the bench waits until no other test run or benchmark is running (bench/lib/quiet.ts).
 *
 * Everything is its own: a fresh PostgreSQL database (dropped at the end), an in-memory Temporal dev server, a unique
 * task queue, the server (one process per core) and one worker from dist/ as separate processes.
 *
 *   npm run bench -- contention [--branches 1000] [--rounds 3] [--filing-branches 80] [--requirements 10]
 *     [--idle-samples 30] [--lanes 3] [--interval-ms 500] [--keep-db]
 *     → artifacts/bench/contention.json
 */
import type { Client } from '@temporalio/client';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PrismaClient, Role } from '../apps/server/src/prisma/client';
import { twoPageDirective } from '../test/integration/documents/sample-documents';
import { ensureDistBuild } from './lib/build';
import { startBenchEnvironment } from './lib/environment';
import { draftAndSubmit, submitRace } from './lib/directives';
import { HttpSession } from './lib/http-session';
import { startAppProcesses } from './lib/app-processes';
import { sleep, until } from './lib/processes';
import { waitForQuiet, watchForOthers } from './lib/quiet';
import { PASSWORD, seedTownship } from './lib/township';

/** The audit chain's advisory lock (AuditService CHAIN_LOCK): pg_locks shows it as classid 0, objid 7212001. */
const CHAIN_LOCK = 7_212_001;
const MIN_LOADED_SAMPLES = 30;
const PLAN = {
  year: 2018,
  goals: '全面完成“党建扶贫攻坚年”七大行动各项任务。',
  actions: ['leadership', 'industry'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
  contactName: '刘大滩',
  contactPhone: '13800000001',
};

interface Options {
  branches: number;
  rounds: number;
  filingBranches: number;
  requirements: number;
  idleSamples: number;
  lanes: number;
  intervalMs: number;
  keepDb: boolean;
}

interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

interface Sample {
  filingId: string;
  /** ms after the signing call (loaded) or after the first submission (idle) */
  at: number;
  ms: number;
}

/**
 * Where a submission's time went, from its filing workflow's history: the recordSubmission activity waiting in the
 * task queue (scheduled → started: Temporal's backlog and the worker's free slots), and running (started →
 * completed: the database transaction, including any wait for the audit chain's lock); the rest is the HTTP request,
 * the server, the Update's delivery and the workflow tasks around the activity.
 */
interface Breakdown {
  activityQueueMs: Percentiles;
  activityRunMs: Percentiles;
  restMs: Percentiles;
}

/** One fan-out of a directive with one requirement to every branch, and the submissions made meanwhile. */
interface Round {
  loadAverageBefore: [number, number, number];
  submissions: number;
  /** submissions whose request overlapped the plan transaction (its plan audit record to its commit) */
  duringPlan: number;
  /** seconds after the signing call: PDF archived (the fan-out starts next), the plan transaction (from its audit
   * record, written near its start, to its commit as the bench saw it), the directive ISSUED (every workflow started) */
  phases: { pdfArchived: number; planStarted: number | null; planCommitted: number; issued: number };
  /** the audit chain's lock, sampled every 50 ms from pg_locks during the round */
  chainLock: { samples: number; heldSamples: number; maxWaiting: number; longestHeldRunMs: number };
  /** the directive's rows once ISSUED (checks the fan-out happened in full) */
  fanout: { recipients: number; tasks: number; filings: number };
  /** false: the filings ran out before the directive was ISSUED */
  coveredUntilIssued: boolean;
  /** other test runs or benchmarks that started during the round (empty: undisturbed) */
  disturbedBy: string[];
}

export interface Result {
  machine: { cpus: number; node: string };
  build: string;
  /** Directives abandoned in the setup because of the submit race (bench/lib/directives.ts). */
  submitRaceRetries: number;
  options: Omit<Options, 'keepDb'>;
  idle: { loadAverageBefore: [number, number, number]; submitMs: Percentiles; breakdown: Breakdown; disturbedBy: string[] };
  /** (b), over every round */
  loaded: {
    /** every submission started between a PDF archived and its directive ISSUED */
    submitMs: Percentiles;
    /** those whose request overlapped a plan transaction */
    duringPlanMs: Percentiles;
    /** the others: during the batches (workflow starts) */
    duringBatchesMs: Percentiles;
    breakdown: Breakdown;
    duringPlanBreakdown: Breakdown;
    rounds: Round[];
  };
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { branches: 1000, rounds: 3, filingBranches: 80, requirements: 10, idleSamples: 30, lanes: 3, intervalMs: 500, keepDb: false };
  const num = (v: string | undefined, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} 必须是正整数`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [a, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (a === '--branches') opts.branches = num(val(), a);
    else if (a === '--rounds') opts.rounds = num(val(), a);
    else if (a === '--filing-branches') opts.filingBranches = num(val(), a);
    else if (a === '--requirements') opts.requirements = num(val(), a);
    else if (a === '--idle-samples') opts.idleSamples = num(val(), a);
    else if (a === '--lanes') opts.lanes = num(val(), a);
    else if (a === '--interval-ms') opts.intervalMs = num(val(), a);
    else if (a === '--keep-db') opts.keepDb = true;
    else
      throw new Error(
        `未知选项 ${a}（可用：--branches N、--rounds N、--filing-branches N、--requirements N、--idle-samples N、--lanes N、--interval-ms N、--keep-db）`,
      );
  }
  if (opts.requirements > 10) throw new Error('--requirements 最多 10（一份发文最多 10 项填报要求）');
  if (opts.filingBranches > opts.branches) throw new Error('--filing-branches 不能多于 --branches');
  if (opts.filingBranches * opts.requirements < opts.idleSamples + MIN_LOADED_SAMPLES)
    throw new Error(`填报不够：--filing-branches × --requirements 至少 ${opts.idleSamples + MIN_LOADED_SAMPLES}`);
  return opts;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;

function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN);
  return { n: s.length, p50: r1(at(50)), p95: r1(at(95)), max: r1(s[s.length - 1] ?? NaN) };
}

interface Filing {
  id: string;
  orgId: string;
}

/**
 * Submits filings from the queue, `lanes` at a time, each lane starting one at most every `intervalMs`, until
 * `stop()` says so or the queue is empty. Returns each submission's start (ms after `t0`) and latency.
 */
async function submitPaced(
  queue: Filing[],
  sessions: Map<string, HttpSession>,
  opts: { lanes: number; intervalMs: number; t0: number; stop: () => boolean },
): Promise<Sample[]> {
  const samples: Sample[] = [];
  await Promise.all(
    Array.from({ length: opts.lanes }, async (_, lane) => {
      await sleep((lane * opts.intervalMs) / opts.lanes); // the lanes staggered over the interval
      while (!opts.stop()) {
        const f = queue.shift();
        if (!f) return;
        const start = performance.now();
        await (sessions.get(f.orgId) as HttpSession).call('POST', `/api/filings/${f.id}/submit`, { values: PLAN }, [200]);
        const ms = performance.now() - start;
        samples.push({ filingId: f.id, at: start - opts.t0, ms });
        await sleep(Math.max(0, opts.intervalMs - ms));
      }
    }),
  );
  return samples;
}

const eventMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

async function breakdown(prisma: PrismaClient, client: Client, samples: Sample[]): Promise<Breakdown> {
  const queue: number[] = [];
  const running: number[] = [];
  const rest: number[] = [];
  for (const s of samples) {
    const { taskId } = await prisma.filing.findUniqueOrThrow({ where: { id: s.filingId }, select: { taskId: true } });
    const { workflowId } = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, select: { workflowId: true } });
    const { events } = await client.workflow.getHandle(workflowId as string).fetchHistory();
    let scheduled: { id: number; at: number } | undefined;
    let started = NaN;
    let completed = NaN;
    for (const e of events ?? []) {
      if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordSubmission') scheduled = { id: Number(e.eventId), at: eventMs(e.eventTime) };
      else if (scheduled && Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === scheduled.id) started = eventMs(e.eventTime);
      else if (scheduled && Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === scheduled.id) completed = eventMs(e.eventTime);
    }
    if (!scheduled || Number.isNaN(started) || Number.isNaN(completed)) continue;
    queue.push(started - scheduled.at);
    running.push(completed - started);
    rest.push(s.ms - (completed - scheduled.at));
  }
  return { activityQueueMs: percentiles(queue), activityRunMs: percentiles(running), restMs: percentiles(rest) };
}

async function run(opts: Options): Promise<Result> {
  const build = ensureDistBuild();
  const bench = await startBenchEnvironment('contention', { keepDb: opts.keepDb });
  const { prisma, client } = bench;
  try {
    // 1. The township, and a secretary for each branch that files.
    const township = await seedTownship(prisma, opts.branches);
    const filingBranches = township.branchIds.slice(0, opts.filingBranches);
    const secretaries = new Map<string, string>();
    for (const [i, orgId] of filingBranches.entries()) {
      const username = `bench.b${i + 1}.${township.tag}`;
      await township.person(username, `第${i + 1}支部书记`, orgId, Role.BRANCH_SECRETARY);
      secretaries.set(orgId, username);
    }

    const { base, server, workers } = await startAppProcesses(bench, { name: 'contention', logLevel: 'warn', readyTimeoutMs: 60_000 });

    const session = async (username: string) => {
      const s = new HttpSession(base);
      await s.login(username, PASSWORD);
      return s;
    };
    const drafter = await session(township.users.drafter);
    const reviewer = await session(township.users.reviewer);
    const secretary = await session(township.users.secretary);
    const branchSessions = new Map<string, HttpSession>();
    for (const [orgId, username] of secretaries) branchSessions.set(orgId, await session(username));

    const stepOf = (s: HttpSession, who: string, id: string) =>
      until(
        `${who}的审批待办`,
        async () => (await s.call<{ items: { data: { stepId: string } }[] }>('GET', `/api/inbox?kind=APPROVAL&directiveId=${id}`)).items[0]?.data.stepId,
        30_000,
      );
    /** Drafted, submitted and approved by the reviewer; returns the directive and the secretary's signing step. */
    const prepare = async (title: string, distribution: unknown, requirements: unknown[]) => {
      const id = await draftAndSubmit(prisma, client, drafter, {
        model: { ...twoPageDirective(), title },
        chain: { reviewers: [township.personIds.reviewer], signerId: township.personIds.secretary },
        distribution,
        requirements,
      });
      await reviewer.call('POST', `/api/directives/${id}/decisions`, {
        stepId: await stepOf(reviewer, '核稿人', id),
        decision: 'APPROVE',
        comment: '同意',
        version: 1,
      });
      return { id, signStep: await stepOf(secretary, '书记', id) };
    };
    const sign = (d: { id: string; signStep: string }) =>
      secretary.call('POST', `/api/directives/${d.id}/decisions`, { stepId: d.signStep, decision: 'APPROVE', comment: '同意印发', version: 1 });
    const status = async (id: string) => (await prisma.directive.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
    const plan = (n: number) => ({ title: `第${n}项年度工作计划`, template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 });

    // 2. The first directive, issued to the filing branches; the second, ready to sign.
    console.log(`issuing the first directive to ${opts.filingBranches} branches (${opts.requirements} requirements each)…`);
    const first = await prepare(
      '关于报送2018年度工作计划的通知',
      { mode: 'LIST', orgIds: filingBranches },
      Array.from({ length: opts.requirements }, (_, k) => plan(k + 1)),
    );
    await sign(first);
    await until('第一份发文印发', async () => (await status(first.id)) === 'ISSUED', 120_000, 200);
    const filings: Filing[] = await prisma.filing.findMany({
      where: { requirement: { directiveId: first.id }, status: 'OPEN' },
      select: { id: true, orgId: true },
      orderBy: [{ requirement: { sortOrder: 'asc' } }, { orgId: 'asc' }],
    });
    if (filings.length !== opts.filingBranches * opts.requirements)
      throw new Error(`应有 ${opts.filingBranches * opts.requirements} 项填报，实际 ${filings.length}`);
    const fanouts = [];
    for (let k = 0; k < opts.rounds; k++) fanouts.push(await prepare(`关于开展“党建扶贫攻坚年”七大行动的实施方案（第${k + 1}批）`, { mode: 'ALL' }, [plan(1)]));
    const queue = [...filings];

    // 3. (a) Idle.
    const idleLoad = await waitForQuiet('(a) idle submissions');
    let idleCount = 0;
    const idleWatch = watchForOthers();
    const idle = await submitPaced(queue, branchSessions, {
      lanes: opts.lanes,
      intervalMs: opts.intervalMs,
      t0: performance.now(),
      stop: () => idleCount++ >= opts.idleSamples,
    });
    const idleDisturbedBy = idleWatch.stop();

    // 4. (b) While a directive fans out to every branch, once per round.
    const loaded: (Sample & { duringPlan: boolean })[] = [];
    const rounds: Round[] = [];
    for (const [k, d] of fanouts.entries()) {
      const r = await fanOutRound(k + 1, d);
      loaded.push(...r.samples);
      rounds.push(r.round);
      await sleep(5000); // the last workflows' first tasks settle before the next round
    }
    if (loaded.length < MIN_LOADED_SAMPLES)
      throw new Error(`分发期间只有 ${loaded.length} 次提交（至少 ${MIN_LOADED_SAMPLES}）：加 --lanes、--rounds 或减 --interval-ms`);
    const duringPlan = loaded.filter((s) => s.duringPlan);

    return {
      machine: { cpus: os.cpus().length, node: process.version },
      build,
      submitRaceRetries: submitRace.abandoned,
      options: {
        branches: opts.branches,
        rounds: opts.rounds,
        filingBranches: opts.filingBranches,
        requirements: opts.requirements,
        idleSamples: opts.idleSamples,
        lanes: opts.lanes,
        intervalMs: opts.intervalMs,
      },
      idle: {
        loadAverageBefore: idleLoad,
        submitMs: percentiles(idle.map((s) => s.ms)),
        breakdown: await breakdown(prisma, client, idle),
        disturbedBy: idleDisturbedBy,
      },
      loaded: {
        submitMs: percentiles(loaded.map((s) => s.ms)),
        duringPlanMs: percentiles(duringPlan.map((s) => s.ms)),
        duringBatchesMs: percentiles(loaded.filter((s) => !s.duringPlan).map((s) => s.ms)),
        breakdown: await breakdown(prisma, client, loaded),
        duringPlanBreakdown: await breakdown(prisma, client, duringPlan),
        rounds,
      },
    };

    /** Signs `d`; from its PDF archived until it is ISSUED, submits filings from the queue. */
    async function fanOutRound(n: number, d: { id: string; signStep: string }): Promise<{ samples: (Sample & { duringPlan: boolean })[]; round: Round }> {
      const loadAverageBefore = await waitForQuiet(`(b) round ${n}: submissions during the fan-out`);
      const others = watchForOthers();
      const t0 = performance.now();
      const t0Date = new Date();
      await sign(d);
      const since = () => performance.now() - t0;
      const phases: { pdfArchived?: number; planCommitted?: number; issued?: number } = {};
      const lock = { samples: 0, heldSamples: 0, maxWaiting: 0, run: 0, longestHeldRunMs: 0 };
      let sampleLock = true;
      const lockSampler = (async () => {
        while (sampleLock) {
          const [row] = await prisma.$queryRawUnsafe<{ held: number; waiting: number }[]>(
            `SELECT count(*) FILTER (WHERE granted)::int AS held, count(*) FILTER (WHERE NOT granted)::int AS waiting
             FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = ${CHAIN_LOCK}`,
          );
          lock.samples++;
          lock.maxWaiting = Math.max(lock.maxWaiting, row.waiting);
          if (row.held) {
            lock.heldSamples++;
            lock.run += 50;
            lock.longestHeldRunMs = Math.max(lock.longestHeldRunMs, lock.run);
          } else lock.run = 0;
          await sleep(50);
        }
      })().catch(() => undefined); // after a failure elsewhere: the database is gone
      let watchError: unknown;
      const watch = (async () => {
        const docId = (await prisma.directive.findUniqueOrThrow({ where: { id: d.id }, select: { documentId: true } })).documentId;
        while (phases.issued === undefined) {
          if (since() > 300_000) throw new Error(`第 ${n} 轮的发文 300 秒内未印发`);
          if (!server.running || !workers[0].running) throw new Error('服务端或工作进程在分发过程中退出了');
          if (phases.pdfArchived === undefined) {
            const doc = await prisma.document.findUniqueOrThrow({ where: { id: docId }, select: { pdfSha256: true } });
            if (doc.pdfSha256) phases.pdfArchived = since();
          }
          if (phases.planCommitted === undefined) {
            const row = await prisma.directive.findUniqueOrThrow({ where: { id: d.id }, select: { recipientCount: true } });
            if (row.recipientCount) phases.planCommitted = since();
          }
          if ((await status(d.id)) === 'ISSUED') phases.issued = since();
          await sleep(50);
        }
      })().catch((err) => {
        watchError = err;
        phases.issued ??= NaN; // ends the submissions
      });
      await until(
        `第 ${n} 轮发文的 PDF 归档`,
        async () => {
          if (watchError) throw watchError;
          return phases.pdfArchived !== undefined;
        },
        120_000,
        20,
      );
      const samples = await submitPaced(queue, branchSessions, { lanes: opts.lanes, intervalMs: opts.intervalMs, t0, stop: () => phases.issued !== undefined });
      const coveredUntilIssued = phases.issued !== undefined; // else the filings ran out first
      await watch;
      const disturbedBy = others.stop();
      sampleLock = false;
      await lockSampler;
      if (watchError) throw watchError;
      if (!coveredUntilIssued) console.warn(`WARNING: 第 ${n} 轮：填报在印发前用完（${samples.length} 次提交）：加 --filing-branches 或 --interval-ms`);

      // The plan transaction: from its audit record (AuditService.record stamps the time it is called, near the
      // transaction's start, in both the old and the new audit service) to its commit.
      const planRecord = await prisma.auditLog.findFirst({
        where: { action: 'directive.distribution.plan', entityId: d.id, at: { gte: t0Date } },
        select: { at: true },
      });
      const planStarted = planRecord ? planRecord.at.getTime() - t0Date.getTime() : null;
      const planCommitted = phases.planCommitted as number;
      const overlapsPlan = (s: Sample) => planStarted !== null && s.at < planCommitted && s.at + s.ms > planStarted;
      const directive = await prisma.directive.findUniqueOrThrow({ where: { id: d.id }, select: { recipientCount: true } });
      // The fan-out's rows: a receipt and a filing task per branch (and the directive's approval tasks), a filing per branch.
      const tasks = await prisma.task.count({ where: { originType: 'directive', originId: d.id } });
      const fanoutFilings = await prisma.filing.count({ where: { requirement: { directiveId: d.id } } });
      return {
        samples: samples.map((s) => ({ ...s, duringPlan: overlapsPlan(s) })),
        round: {
          loadAverageBefore,
          submissions: samples.length,
          duringPlan: samples.filter(overlapsPlan).length,
          phases: {
            pdfArchived: r2((phases.pdfArchived as number) / 1000),
            planStarted: planStarted === null ? null : r2(planStarted / 1000),
            planCommitted: r2(planCommitted / 1000),
            issued: r2((phases.issued as number) / 1000),
          },
          chainLock: { samples: lock.samples, heldSamples: lock.heldSamples, maxWaiting: lock.maxWaiting, longestHeldRunMs: lock.longestHeldRunMs },
          fanout: { recipients: directive.recipientCount ?? 0, tasks, filings: fanoutFilings },
          coveredUntilIssued,
          disturbedBy,
        },
      };
    }
  } finally {
    await bench.cleanup();
  }
}

function report(r: Result): void {
  const l = r.loaded;
  const o = r.options;
  console.log(
    `contention bench: ${o.branches} branches; ${o.rounds} fan-out round(s); submissions ${o.lanes} at a time, one per lane every ${o.intervalMs} ms at most; ${r.machine.cpus} cores, Node ${r.machine.node}`,
  );
  console.table({
    [`(a) idle (load average ${r.idle.loadAverageBefore.join(' ')}${r.idle.disturbedBy.length ? ', DISTURBED' : ''})`]: r.idle.submitMs,
    [`(b) during the fan-outs to ${o.branches} branches`]: l.submitMs,
    '(b) … overlapping a plan transaction': l.duringPlanMs,
    '(b) … during the batches (workflow starts)': l.duringBatchesMs,
  });
  const parts = (b: Breakdown) =>
    Object.fromEntries(
      (['activityQueueMs', 'activityRunMs', 'restMs'] as const).map((k) => [
        { activityQueueMs: 'activity queued (p50/p95)', activityRunMs: 'activity running (p50/p95)', restMs: 'the rest (p50/p95)' }[k],
        `${b[k].p50} / ${b[k].p95}`,
      ]),
    );
  console.log("where the time went, from the filing workflows' histories (recordSubmission scheduled → started → completed; ms):");
  console.table({
    '(a) idle': parts(r.idle.breakdown),
    '(b) during the fan-outs': parts(l.breakdown),
    '(b) … overlapping a plan': parts(l.duringPlanBreakdown),
  });
  console.log('rounds (seconds after the signing call; the audit chain lock sampled from pg_locks every 50 ms):');
  console.table(
    Object.fromEntries(
      l.rounds.map((x, k) => [
        `round ${k + 1}`,
        {
          'load avg before': x.loadAverageBefore[0],
          'PDF archived': x.phases.pdfArchived,
          'plan from': x.phases.planStarted ?? '?',
          'plan committed': x.phases.planCommitted,
          ISSUED: x.phases.issued,
          submissions: x.submissions,
          'during plan': x.duringPlan,
          'lock held samples': `${x.chainLock.heldSamples}/${x.chainLock.samples}`,
          'longest held ms': x.chainLock.longestHeldRunMs,
          'max waiting': x.chainLock.maxWaiting,
          tasks: x.fanout.tasks,
          filings: x.fanout.filings,
          covered: x.coveredUntilIssued,
          disturbed: x.disturbedBy.length > 0,
        },
      ]),
    ),
  );
  const disturbed = [...r.idle.disturbedBy, ...l.rounds.flatMap((x) => x.disturbedBy)];
  if (disturbed.length) console.log(`WARNING: other runs started during a measurement: ${[...new Set(disturbed)].join(' | ')}`);
  if (r.submitRaceRetries) console.log(`setup: ${r.submitRaceRetries} directive(s) redrafted after the submit race (bench/lib/directives.ts)`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const result = await run(opts);
  report(result);
  const out = path.resolve(__dirname, '../artifacts/bench/contention.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
