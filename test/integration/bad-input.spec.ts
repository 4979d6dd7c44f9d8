/** Valid-looking input that once reached the database and failed as a 500: unknown list filters, ISO week and ordinal dates, NUL characters. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'supertest';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan, SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
/** ISO 8601 forms class-validator's IsISO8601 accepts but `new Date()` cannot read (or reads as another day). */
const ODD_DATES = ['2030-W01', '2030-W01-1', '2030-015', '2030-02-30T10:00:00Z'];

/** A 400 whose message is Chinese and names the field; never a 500. */
function expectRefused(res: Response, ...names: string[]) {
  expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  for (const name of names) expect(res.body.message).toContain(name);
}

describe('bad input is a 400 naming the field, and nothing is stored', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  let branch: ApiSession;
  let filingId: string;
  let inspectorId: string;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // Drill timing long enough that no deadline or reminder fires during these tests.
    const world = await issueAnnualPlan(app, prisma, { organCode: `坏${Date.now() % 100000}发`, drillSeconds: 600, branchNames: ['中共坏输入村支部委员会'] });
    ({ committeeId, drafter, reviewer } = world);
    branch = world.branch[0];
    filingId = (await prisma.filing.findFirstOrThrow({ where: { requirementId: world.requirementId } })).id;
    inspectorId = (await makePerson(prisma, [{ orgId: committeeId, role: Role.INSPECTOR }], '丙督查')).id;
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  const directivesOf = () => prisma.directive.count({ where: { orgId: committeeId } });
  const filingState = () =>
    prisma.filing.findUniqueOrThrow({ where: { id: filingId }, include: { extensions: true, versions: true, reviews: true } }).then((f) => ({
      status: f.status,
      deadlineAt: f.deadlineAt,
      draft: f.draft,
      extensions: f.extensions.length,
      versions: f.versions.length,
      reviews: f.reviews.length,
    }));

  describe('list filters', () => {
    it.each(['FOO', 'draft', 'toString', '__proto__'])('GET /api/directives?status=%s', async (status) => {
      const res = await drafter.get(`/api/directives?status=${encodeURIComponent(status)}`);
      expectRefused(res, '状态取值无效', '起草中', '已印发');
    });

    it('a repeated status is refused too; a known one and none still list', async () => {
      expectRefused(await drafter.get('/api/directives?status=DRAFT&status=ISSUED'), '状态');
      const issued = (await drafter.get('/api/directives?status=ISSUED').expect(200)).body;
      expect(issued.map((d: { status: string }) => d.status)).toEqual(['ISSUED']);
      expect((await drafter.get('/api/directives?status=').expect(200)).body).toHaveLength(1);
    });
  });

  it('a form field rule the linear-time engine cannot run is refused when the committee defines the form', async () => {
    const before = await directivesOf();
    const form = {
      title: '联系人',
      fields: [
        { key: 'phone', label: '联系电话', type: 'shortText', required: true, maxLength: 20, pattern: { regex: '(\\d)\\1{10}', description: '同一数字' } },
      ],
    };
    const res = await drafter.post('/api/directives', {
      model: SEED_MODEL,
      chain: { reviewers: [inspectorId], signerId: inspectorId },
      distribution: { mode: 'ALL' },
      requirements: [{ title: '联系人', form, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
    });
    expectRefused(res, '“联系电话”的格式规则无法使用：不支持反向引用');
    expect(await directivesOf()).toBe(before);
  });

  describe('ISO week, ordinal and impossible dates', () => {
    it.each(ODD_DATES)('directive requirement deadlineAt %s', async (deadlineAt) => {
      const before = await directivesOf();
      const res = await drafter.post('/api/directives', {
        model: SEED_MODEL,
        chain: {
          reviewers: [(await prisma.person.findFirstOrThrow({ where: { name: '李审核' } })).id],
          signerId: (await prisma.person.findFirstOrThrow({ where: { name: '王书记' } })).id,
        },
        distribution: { mode: 'ALL' },
        requirements: [{ title: '年度计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'FIXED', deadlineAt }],
      });
      expectRefused(res, '期限');
      expect(await directivesOf()).toBe(before);
    });

    it.each(ODD_DATES)('filing review newDeadline %s', async (newDeadline) => {
      const before = await filingState();
      expectRefused(await reviewer.post(`/api/filings/${filingId}/review`, { decision: 'RETURN', comment: '请补充', newDeadline }), '新期限');
      expect(await filingState()).toEqual(before);
    });

    it.each(ODD_DATES)('filing extension until %s', async (until) => {
      const before = await filingState();
      expectRefused(await branch.post(`/api/filings/${filingId}/extension`, { until, reason: '村里换届' }), '延期至');
      expect(await filingState()).toEqual(before);
    });

    it.each(ODD_DATES)('spot-check window %s', async (odd) => {
      const before = await prisma.spotCheckRound.count();
      const round = {
        title: '第一季度抽查',
        scopeOrgId: committeeId,
        mode: 'ANNOUNCED',
        target: 'BRANCH',
        checklist: [{ text: '“三会一课”记录完整', kind: 'PASS_FAIL', evidence: 'NOTE' }],
        rule: { levels: [{ level: 0, min: 1 }] },
        inspectorIds: [inspectorId],
        windowStart: inSeconds(-60),
        windowEnd: inSeconds(3600),
      };
      expectRefused(await drafter.post('/api/spot-checks', { ...round, windowStart: odd }), '开始时间');
      expectRefused(await drafter.post('/api/spot-checks', { ...round, windowEnd: odd }), '结束时间');
      expect(await prisma.spotCheckRound.count()).toBe(before);
    });

    it('calendar: a week date as the day to count from', async () => {
      expectRefused(await drafter.get('/api/calendar/add-workdays?from=2030-W01&n=1'), '开始日期', '2030-W01');
      expect((await drafter.get('/api/calendar/add-workdays?from=2030-01-02&n=1').expect(200)).body.result).toBe('2030-01-03');
    });
  });

  describe('NUL characters (PostgreSQL refuses them in text and jsonb)', () => {
    it('in a DTO text field and in a query parameter', async () => {
      const before = await filingState();
      expectRefused(await branch.post(`/api/filings/${filingId}/extension`, { until: inSeconds(3600), reason: '村里\u0000换届' }), '理由', '空字符');
      expectRefused(await drafter.get('/api/directives?status=DRAFT%00'), '状态', '空字符');
      expect(await filingState()).toEqual(before);
    });

    it('deep inside a free-form object: form values (jsonb) and the document model', async () => {
      const before = await filingState();
      const draft = await branch.put(`/api/filings/${filingId}/draft`, { values: { year: 2030, goals: '全面完成\u0000任务' } });
      expectRefused(draft, '填报内容', '空字符');
      expect(draft.body.fields).toEqual([{ field: 'values.goals', message: expect.stringContaining('填报内容') }]);
      expect(await filingState()).toEqual(before);

      const count = await directivesOf();
      const directive = await drafter.post('/api/directives', {
        model: { ...SEED_MODEL, title: '关于\u0000通知' },
        chain: { reviewers: [inspectorId], signerId: inspectorId },
        distribution: { mode: 'ALL' },
      });
      expectRefused(directive, '公文内容', '空字符');
      expect(await directivesOf()).toBe(count);
    });

    it('in a key, and on the login form before any person is looked up', async () => {
      expectRefused(await branch.put(`/api/filings/${filingId}/draft`, { values: { ['go\u0000als']: '目标' } }), '空字符');
      const anonymous = await new ApiSession(app).start();
      expectRefused(await anonymous.post('/api/auth/login', { username: 'u\u0000x', password: PASSWORD }), '用户名', '空字符');
    });
  });
});
