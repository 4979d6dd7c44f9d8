/** A township that has issued a directive with an annual-plan requirement to its branches, through the real API and workflows. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { importText } from '../../apps/server/src/documents/import';
import { Role } from '../../apps/server/src/prisma/client';
import { Drills } from '../../apps/server/src/tasks/drills';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from './eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from './factories';
import { ApiSession } from './test-app';

export const SEED_MODEL = {
  ...importText(fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8')).model,
  title: '关于报送2018年度工作计划的通知',
};

/** A complete, valid 年度工作计划 for SEED_MODEL: what a branch submits when the test is about something else. */
export const PLAN = {
  year: 2018,
  goals: '全面完成“党建扶贫攻坚年”七大行动各项任务。',
  actions: ['leadership', 'industry'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
  contactName: '刘大滩',
  contactPhone: '13800000001',
};

export interface FilingWorld {
  committeeId: string;
  directiveId: string;
  requirementId: string;
  reviewerId: string;
  drafter: ApiSession;
  reviewer: ApiSession;
  secretary: ApiSession;
  branch: ApiSession[];
  branchIds: string[];
}

/**
 * Committee staff (drafter, reviewer), the secretary and one secretary per branch, all logged in; a directive with
 * an ANNUAL_WORK_PLAN requirement approved, signed and issued to every branch. Drill timing: the deadline comes
 * 4 × `drillSeconds` after issue, with reminders 2 × and 1 × before it (a drill: set in-process, see Drills).
 */
export async function issueAnnualPlan(
  app: NestExpressApplication,
  prisma: PrismaService,
  opts: { organCode: string; drillSeconds: number; branchNames: string[] },
): Promise<FilingWorld> {
  const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: opts.organCode });
  const login = async (role: Role, name: string, orgId = committee.id) => {
    const p = await makePerson(prisma, [{ orgId, role }], name);
    const s = new ApiSession(app);
    await s.login(p.username, PASSWORD);
    return { id: p.id, session: s };
  };
  const drafter = await login(Role.COMMITTEE_STAFF, '张党建');
  const reviewer = await login(Role.COMMITTEE_STAFF, '李审核');
  const secretary = await login(Role.COMMITTEE_SECRETARY, '王书记');
  const branch: ApiSession[] = [];
  const branchIds: string[] = [];
  for (const [i, name] of opts.branchNames.entries()) {
    const b = await makeBranch(prisma, committee.id, undefined, name);
    await prisma.organization.update({ where: { id: b.id }, data: { sortOrder: i + 1 } });
    branchIds.push(b.id);
    branch.push((await login(Role.BRANCH_SECRETARY, `书记${i}`, b.id)).session);
  }

  const created = await drafter.session
    .post('/api/directives', {
      model: SEED_MODEL,
      chain: { reviewers: [reviewer.id], signerId: secretary.id },
      distribution: { mode: 'ALL' },
      requirements: [{ title: '2018年度工作计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
    })
    .expect(201);
  const directiveId = created.body.id;
  Drills.set(directiveId, opts.drillSeconds);
  await drafter.session.post(`/api/directives/${directiveId}/submit`).expect(200);
  const stepOf = async (s: ApiSession) =>
    (
      await eventually(
        async () => (await s.get(`/api/inbox?kind=APPROVAL&directiveId=${directiveId}`)).body.items,
        (i) => i.length > 0,
      )
    )[0].data.stepId;
  for (const s of [reviewer.session, secretary.session]) {
    await s.post(`/api/directives/${directiveId}/decisions`, { stepId: await stepOf(s), decision: 'APPROVE', comment: '', version: 1 }).expect(200);
  }
  await eventually(
    async () => (await drafter.session.get(`/api/directives/${directiveId}`)).body.status,
    (st) => st === 'ISSUED',
    60_000,
    '印发',
  );
  const requirementId = (await prisma.requirement.findFirstOrThrow({ where: { directiveId } })).id;
  return {
    committeeId: committee.id,
    directiveId,
    requirementId,
    reviewerId: reviewer.id,
    drafter: drafter.session,
    reviewer: reviewer.session,
    secretary: secretary.session,
    branch,
    branchIds,
  };
}
