/**
 * A township with a task of every kind open or done, through the real API and workflows: 签收 and 填报 (the branch),
 * 审核 and 审批 (committee staff), 抽查 (an inspector), 评议打分 (an evaluator) and 陈述申辩 (a branch's case), plus a
 * 评选表扬 round. Pages that walk every subject page (plain-words.spec, the inbox back links) build it once.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { eventually } from './eventually';
import { makeBranch, makePerson, PASSWORD } from './factories';
import { FilingWorld, issueAnnualPlan, PLAN } from './filing-world';
import { ApiSession } from './test-app';

/** A response's status, or an error with its body (what a failed set-up step said). */
function ok<T extends { status: number; body: unknown }>(res: T, status = 200): T {
  if (res.status !== status) throw new Error(`期望 ${status}，得到 ${res.status}：${JSON.stringify(res.body)}`);
  return res;
}

const YEAR = new Date().getFullYear();
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

export interface TaskWorld extends FilingWorld {
  inspector: ApiSession;
  evaluator: ApiSession;
  spotCheckId: string;
  reviewId: string;
  caseId: string;
  commendationId: string;
  /** Branch 1's submitted filing (李审核 has its 审核 task). */
  submittedFilingId: string;
}

export async function buildTaskWorld(app: NestExpressApplication, prisma: PrismaService, organCode: string): Promise<TaskWorld> {
  const login = async (username: string) => {
    const s = new ApiSession(app);
    await s.login(username, PASSWORD);
    return s;
  };
  // Deadlines far off: nothing goes overdue while the pages are walked.
  const w = await issueAnnualPlan(app, prisma, { organCode, drillSeconds: 600, branchNames: ['大滩村', '新风村'] });
  const staff = w.drafter;
  const inspectorP = await makePerson(prisma, [{ orgId: w.committeeId, role: Role.INSPECTOR }], '甲督查');
  const inspector = await login(inspectorP.username);

  // 填报 submitted by branch 1: a 审核 task for the reviewer.
  const submittedFilingId = (await prisma.filing.findFirstOrThrow({ where: { requirementId: w.requirementId, orgId: w.branchIds[1] } })).id;
  await ok(await w.branch[1].post(`/api/filings/${submittedFilingId}/submit`, { values: PLAN }), 200);

  // 督查抽查: one unit drawn, the inspector's 抽查 task.
  const spotCheckId = ok(
    await staff.post('/api/spot-checks', {
      title: '2017年第二季度党支部抽查',
      scopeOrgId: w.committeeId,
      mode: 'ANNOUNCED',
      target: 'BRANCH',
      checklist: [
        { text: '“三会一课”记录完整', kind: 'PASS_FAIL', evidence: 'NOTE' },
        { text: '党员活动室规范', kind: 'SCORE', maxScore: 10, passScore: 6, evidence: 'NOTE' },
      ],
      rule: { levels: [{ level: 0, min: 1 }] },
      inspectorIds: [inspectorP.id],
      windowStart: inSeconds(-60),
      windowEnd: inSeconds(3600),
    }),
    201,
  ).body.id as string;
  const drawn = await staff.post(`/api/spot-checks/${spotCheckId}/draw`, { seed: `seed-${Date.now()}` });
  if (drawn.status !== 200) throw new Error(`抽样失败：${JSON.stringify(drawn.body)}`);

  // 述职评议: two branches with their secretaries, three raters; scoring opens a few seconds after the start.
  const reviewBranches: string[] = [];
  for (const [i, name] of ['评议一村支部', '评议二村支部'].entries()) {
    const b = await makeBranch(prisma, w.committeeId, undefined, name);
    reviewBranches.push(b.id);
    await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], ['赵一', '钱二'][i]);
  }
  const evaluators = [];
  for (const name of ['周委员', '吴代表', '郑代表']) evaluators.push(await makePerson(prisma, [{ orgId: w.committeeId, role: Role.EVALUATOR }], name));
  const reviewId = ok(
    await staff.post('/api/reviews', {
      year: YEAR,
      title: `${YEAR}年度村（社区）党组织书记抓党建述职评议考核`,
      reportWorkdays: 1,
      scoringWorkdays: 30,
      subjects: reviewBranches.map((orgId) => ({ orgId })),
      raters: [
        { groupKey: 'committee', personId: evaluators[0].id },
        { groupKey: 'members', personId: evaluators[1].id },
        { groupKey: 'public', personId: evaluators[2].id },
      ],
      settings: { minBallotsToShow: 1 },
    }),
    201,
  ).body.id as string;
  Drills.set(reviewId, 4);
  await ok(await staff.post(`/api/reviews/${reviewId}/start`), 200);
  const evaluator = await login(evaluators[0].username);

  // 问责: a case against branch 0 at its 陈述申辩.
  const caseId = (
    await ok(await staff.post('/api/accountability/cases', { orgId: w.branchIds[0], title: '逾期未报送年度计划', evidence: [{ title: '逾期记录' }] }), 201)
  ).body.id as string;
  await ok(await staff.post(`/api/accountability/cases/${caseId}/investigation`, { investigatorIds: [w.reviewerId, inspectorP.id] }), 200);
  await ok(await inspector.post(`/api/accountability/cases/${caseId}/findings`, { text: '经查，该支部逾期 12 天未报送年度工作计划。' }), 201);
  Drills.set(caseId, 600);
  await ok(await staff.post(`/api/accountability/cases/${caseId}/defence/ask`, { workdays: 2 }), 200);

  // 评选表扬: a round open for nominations.
  const commendationId = ok(
    await staff.post('/api/commendations', {
      year: YEAR,
      title: `${YEAR}年度评选表扬`,
      categories: [{ key: 'fs', name: '优秀第一书记', quota: 10, target: 'PERSON', post: '第一书记' }],
      nominationWorkdays: 5,
      localBars: ['提拔'],
      contact: '乡党建办 0931-1234567',
    }),
    201,
  ).body.id as string;
  await ok(await staff.post(`/api/commendations/${commendationId}/start`), 200);

  await eventually(
    async () => (await prisma.reviewRound.findUniqueOrThrow({ where: { id: reviewId } })).status,
    (s) => s === 'SCORING',
    60_000,
    '评分开始',
  );
  await eventually(
    async () => (await evaluator.get('/api/inbox?kind=BALLOT')).body.items?.length ?? 0,
    (n) => n > 0,
    30_000,
    '评议打分任务',
  );
  await eventually(
    async () => (await inspector.get('/api/inbox?kind=INSPECTION')).body.items?.length ?? 0,
    (n) => n > 0,
    30_000,
    '抽查任务',
  );
  return { ...w, inspector, evaluator, spotCheckId, reviewId, caseId, commendationId, submittedFilingId };
}
