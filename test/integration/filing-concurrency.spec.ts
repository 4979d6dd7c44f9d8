/**
 * Submissions under load, on the real Temporal dev server and PostgreSQL: 50 branches submitting at once lose nothing,
 * and one filing submitted 50 times at once (a double-clicked button, a flaky phone re-sending) is recorded once.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuditService } from '../../apps/server/src/audit/audit.service';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { issueAnnualPlan, type FilingWorld } from '../support/filing-world';
import { startApp, startWorker } from '../support/test-app';

jest.setTimeout(300_000);

const BRANCHES = 50;
const plan = (goals: string) => ({
  year: 2018,
  goals,
  actions: ['leadership'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
  contactName: '刘大滩',
  contactPhone: '13800000001',
});

describe('50 concurrent submissions', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let world: FilingWorld;
  const filingOf = async (i: number) => (await prisma.filing.findFirstOrThrow({ where: { requirementId: world.requirementId, orgId: world.branchIds[i] } })).id;
  const reviewTasks = async (filingIds: string[]) =>
    prisma.task.count({ where: { kind: 'FILING', subjectId: { in: filingIds }, assigneeId: world.reviewerId, status: 'OPEN' } });

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    world = await issueAnnualPlan(app, prisma, {
      organCode: `并${Date.now() % 100000}发`,
      drillSeconds: 3600, // the deadline is hours away: nothing but the submissions moves
      branchNames: Array.from({ length: BRANCHES }, (_, i) => `中共并发${i + 1}村支部委员会`),
    });
    await eventually(
      async () => prisma.filing.count({ where: { requirementId: world.requirementId } }),
      (n) => n === BRANCHES,
      120_000,
      '每个支部一份填报',
    );
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it('one filing submitted 50 times at once is recorded once: one version, one audit entry, one review task, the winner’s content', async () => {
    const id = await filingOf(0);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => world.branch[0].post(`/api/filings/${id}/submit`, { values: plan(`第${i + 1}次提交的目标`) })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const won = results.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.message).toBe('已提交，正在审核，请等待审核结果');
    }
    const filing = await prisma.filing.findUniqueOrThrow({ where: { id }, include: { versions: true } });
    expect(filing.status).toBe('SUBMITTED');
    expect(filing.versions).toHaveLength(1);
    expect((filing.versions[0].values as { goals: string }).goals).toBe(`第${won[0] + 1}次提交的目标`);
    expect(await prisma.auditLog.count({ where: { action: 'filing.submit', entityId: id } })).toBe(1);
    expect(
      await eventually(
        () => reviewTasks([id]),
        (n) => n >= 1,
        60_000,
        '审核待办',
      ),
    ).toBe(1);
  });

  it('50 branches submitting at once: every submission kept, each with its own review task, the audit chain intact', async () => {
    const ids = await Promise.all(Array.from({ length: BRANCHES - 1 }, (_, i) => filingOf(i + 1)));
    const results = await Promise.all(ids.map((id, i) => world.branch[i + 1].post(`/api/filings/${id}/submit`, { values: plan(`并发${i + 2}村的目标`) })));
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);

    const filings = await prisma.filing.findMany({ where: { id: { in: ids } }, include: { versions: true } });
    const names = new Map((await prisma.organization.findMany({ where: { id: { in: world.branchIds } } })).map((o) => [o.id, o.name]));
    expect(filings.filter((f) => f.status === 'SUBMITTED')).toHaveLength(ids.length);
    for (const f of filings) {
      expect(f.versions).toHaveLength(1);
      // Each branch's own words, not a neighbour's.
      expect((f.versions[0].values as { goals: string }).goals).toBe(`${(names.get(f.orgId) as string).replace(/^中共(.*)支部委员会$/, '$1')}的目标`);
    }
    expect(await prisma.auditLog.count({ where: { action: 'filing.submit', entityId: { in: ids } } })).toBe(ids.length);
    expect(
      await eventually(
        () => reviewTasks(ids),
        (n) => n >= ids.length,
        120_000,
        '审核待办',
      ),
    ).toBe(ids.length);
    const verified = await app.get(AuditService).verify();
    expect(verified.breaks).toEqual([]);
    expect(verified.ok).toBe(true);
  });
});
