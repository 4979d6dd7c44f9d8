/** Lifecycle 6 on the real Temporal dev server: 问责 cases from the proposals to a served 问责决定书, appeal, execution. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CaseClock } from '../../apps/server/src/accountability/case-rules';
import { commendationEligibility, peopleBarred } from '../../apps/server/src/accountability/influence';
import { CalendarService } from '../../apps/server/src/calendar/calendar.service';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { TemporalClientService } from '../../apps/server/src/temporal/temporal-client.service';
import { eventually } from '../support/eventually';
import { workflowState } from '../support/workflow-state';
import { accountabilityCaseWorkflowId } from '../../workflows/accountability/accountability.definitions';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const YEAR = new Date().getFullYear();
const TODAY = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

describe('问责 cases', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let branchA: string;
  let branchB: string;
  let staff: ApiSession;
  let staffId: string;
  let partySecretary: ApiSession;
  let inspector: ApiSession;
  let inspectorId: string;
  let secA: ApiSession;
  let secAId: string;
  let clerkA: ApiSession;
  let secBId: string;

  const login = async (username: string) => {
    const s = new ApiSession(app);
    expect((await s.login(username, PASSWORD)).status).toBe(200);
    return s;
  };
  const caseRow = (id: string) => prisma.accountabilityCase.findUniqueOrThrow({ where: { id } });
  const proposal = (orgId: string, personId: string | null, trigger: string) =>
    prisma.accountabilityProposal.create({
      data: {
        key: `t:${randomUUID()}`,
        orgId,
        personId,
        trigger,
        sourceType: 'filing',
        sourceId: randomUUID(),
        evidence: { title: '2026年度工作计划', deadline: '2026-01-17 17:30', reminders: 2 },
      },
    });
  /** A case brought to the committee's decision: team of two, a finding, the defence asked (drill: `drill` s per working day). */
  const toDefence = async (id: string, drill: number, workdays = 2) => {
    await staff.post(`/api/accountability/cases/${id}/investigation`, { investigatorIds: [staffId, inspectorId] }).expect(200);
    await inspector.post(`/api/accountability/cases/${id}/findings`, { text: '经查，该支部逾期 12 天未报送年度工作计划，期间两次提醒未回复。' }).expect(201);
    Drills.set(id, drill);
    return (await staff.post(`/api/accountability/cases/${id}/defence/ask`, { workdays }).expect(200)).body;
  };
  const decision = (over: Record<string, unknown> = {}) => ({
    meeting: { name: `乡党委${YEAR}年第12次委员会会议`, heldOn: TODAY, attendees: ['王书记', '张委员'] },
    outcome: 'MEASURES',
    measures: [{ kind: '诫勉' }],
    facts: '该同志所在支部逾期12天未报送年度工作计划，经两次提醒仍未报送，影响全乡工作进度。',
    basis: '《中国共产党问责条例》第七条第（一）项',
    ...over,
  });
  const inbox = async (s: ApiSession) =>
    (await s.get('/api/inbox').expect(200)).body.items as { id: string; kind: string; title: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    committeeId = (await makeCommittee(prisma, { name: '中共问责测试乡委员会', organCode: `问${Date.now() % 100000}发` })).id;
    branchA = (await makeBranch(prisma, committeeId, undefined, '问责甲村党支部')).id;
    branchB = (await makeBranch(prisma, committeeId, undefined, '问责乙村党支部')).id;
    const st = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建');
    staffId = st.id;
    staff = await login(st.username);
    partySecretary = await login((await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记')).username);
    const ins = await makePerson(prisma, [{ orgId: committeeId, role: Role.INSPECTOR }], '郑督查');
    inspectorId = ins.id;
    inspector = await login(ins.username);
    const a = await makePerson(prisma, [{ orgId: branchA, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], '李甲');
    secAId = a.id;
    secA = await login(a.username);
    clerkA = await login((await makePerson(prisma, [{ orgId: branchA, role: Role.BRANCH_STAFF }], '甲村文书')).username);
    const b = await makePerson(prisma, [{ orgId: branchB, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], '赵乙');
    secBId = b.id;
  });

  afterAll(async () => {
    Drills.clear();
    await worker.close();
    await app.close();
  });

  it('computes the defence deadline in working days across 国庆', async () => {
    const clock = new CaseClock(await app.get(CalendarService).calendar());
    // Wed 30 Sep 2026 10:00 + 3 working days: 1–7 Oct are holidays, Thu 8, Fri 9 and Sat 10 Oct (调休) are working days.
    expect(clock.after(new Date('2026-09-30T02:00:00Z'), { workdays: 3 }).toISOString()).toBe('2026-10-10T09:30:00.000Z');
    // A calendar month for the appeal window: to the end of the same day next month.
    expect(clock.after(new Date('2026-01-31T02:00:00Z'), { months: 1 }).toISOString()).toBe('2026-02-28T15:59:59.000Z');
  });

  it('groups proposals by target, opens one case from them, flags a repeat, refuses mixed targets', async () => {
    const p1 = await proposal(branchA, secAId, 'OVERDUE_FILING');
    const p2 = await proposal(branchA, secAId, 'LOW_GRADE');
    const p3 = await proposal(branchB, null, 'OVERDUE_RECTIFICATION');
    const groups = (await staff.get('/api/accountability/proposals').expect(200)).body as {
      target: { personId: string | null; orgId: string; personName: string };
      proposals: { id: string }[];
      repeat: boolean;
    }[];
    const ga = groups.find((g) => g.target.personId === secAId)!;
    expect(ga.proposals.map((p) => p.id)).toEqual([p1.id, p2.id]);
    expect(ga.target.personName).toBe('李甲');
    expect(ga.repeat).toBe(false);
    expect(groups.find((g) => g.target.orgId === branchB && !g.target.personId)!.proposals.map((p) => p.id)).toEqual([p3.id]);

    const mixed = await staff.post('/api/accountability/cases/from-proposals', { proposalIds: [p1.id, p3.id] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.message).toContain('只能合并同一对象的建议');
    expect((await secA.post('/api/accountability/cases/from-proposals', { proposalIds: [p1.id] })).status).toBe(403);

    const opened = (await staff.post('/api/accountability/cases/from-proposals', { proposalIds: [p1.id, p2.id] }).expect(201)).body;
    expect(opened.repeat).toBe(false);
    const detail = (await staff.get(`/api/accountability/cases/${opened.id}`).expect(200)).body;
    expect(detail.proposals.map((p: { id: string }) => p.id)).toEqual([p1.id, p2.id]);
    expect(detail.proposals[0].evidence).toMatchObject({ title: '2026年度工作计划' });
    expect(detail.target).toMatchObject({ personName: '李甲', post: '党支部书记' });
    expect(detail.title).toContain('逾期未填报');
    // The proposals are taken: not offered again, nor grouped into a second case.
    expect(
      (await staff.get('/api/accountability/proposals').expect(200)).body.some((g: { target: { personId: string } }) => g.target.personId === secAId),
    ).toBe(false);
    expect((await staff.post('/api/accountability/cases/from-proposals', { proposalIds: [p1.id] })).status).toBe(409);

    // A second case about the same person this year is a repeat; a new proposal about them shows the flag.
    const p4 = await proposal(branchA, secAId, 'OVERDUE_FILING');
    expect(
      (await staff.get('/api/accountability/proposals').expect(200)).body.find((g: { target: { personId: string } }) => g.target.personId === secAId).repeat,
    ).toBe(true);
    const manual = await staff.post('/api/accountability/cases', { orgId: branchA, personId: secAId, title: '违反十不准第三条', evidence: [] });
    expect(manual.status).toBe(400);
    expect(manual.body.message).toContain('人工立案至少需要一项证据');
    const second = (
      await staff
        .post('/api/accountability/cases', {
          orgId: branchA,
          personId: secAId,
          title: '违反十不准第三条',
          evidence: [{ title: '群众来信', note: '反映该书记工作日饮酒' }],
        })
        .expect(201)
    ).body;
    expect(second).toMatchObject({ repeat: true, repeatOfId: opened.id });
    const audit = await prisma.auditLog.findFirst({ where: { entityId: second.id, action: 'accountability.case.open' } });
    expect(audit?.data).toMatchObject({ repeatOf: opened.id, source: 'MANUAL', evidence: 1 });
    await staff.post(`/api/accountability/cases/${second.id}/dismiss`, { reason: '经初核，反映问题不属实' }).expect(200);
    await prisma.accountabilityProposal.update({ where: { id: p4.id }, data: { status: 'DISMISSED' } });
    await staff.post(`/api/accountability/cases/${opened.id}/dismiss`, { reason: '并入人工立案办理' }).expect(200);
  });

  it('a dismissed case answers 409 with the reason; its workflow ends', async () => {
    const c = (await staff.post('/api/accountability/cases', { orgId: branchB, title: '班子不团结', evidence: [{ title: '督查记录' }] }).expect(201)).body;
    await staff.post(`/api/accountability/cases/${c.id}/dismiss`, { reason: '已由上级党委直接处理' }).expect(200);
    const r = await staff.post(`/api/accountability/cases/${c.id}/investigation`, { investigatorIds: [staffId, inspectorId] });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('已撤案（已由上级党委直接处理）');
    const handle = (await app.get(TemporalClientService).client()).workflow.getHandle(`accountability-case-${c.id}`);
    expect(await handle.result()).toBe('DISMISSED');
  });

  it('holds a talk with commitments, investigates with two, hears the defence, decides, serves, takes an appeal, and closes', async () => {
    const c = (
      await staff
        .post('/api/accountability/cases', { orgId: branchA, personId: secAId, title: '逾期未报送年度计划', evidence: [{ title: '逾期记录' }] })
        .expect(201)
    ).body;
    // A supervisory talk as the first step, with a commitment followed up in the branch's inbox.
    const talk = (
      await staff
        .post(`/api/accountability/cases/${c.id}/talks`, {
          kind: '约谈',
          heldAt: new Date().toISOString(),
          talkerIds: [staffId],
          minutes: '约谈李甲同志，指出逾期问题，本人表示接受。',
          commitments: [{ text: '三个工作日内补报年度计划', workdays: 3 }],
        })
        .expect(201)
    ).body;
    expect(talk.commitments).toHaveLength(1);
    const todo = await eventually(
      () => inbox(secA),
      (items) => items.some((t) => t.id === talk.commitments[0].taskId),
      10_000,
      '谈话承诺事项',
    );
    expect(todo.find((t) => t.id === talk.commitments[0].taskId)!.title).toContain('三个工作日内补报年度计划');
    await secA.post(`/api/accountability/tasks/${talk.commitments[0].taskId}/complete`, { note: '已于次日补报' }).expect(200);

    // A team of one is refused; the person concerned cannot investigate; findings only by the team.
    const one = await staff.post(`/api/accountability/cases/${c.id}/investigation`, { investigatorIds: [staffId] });
    expect(one.status).toBe(400);
    expect(one.body.message).toContain('调查组至少需要两名成员');
    const asked = await toDefence(c.id, 2, 2);
    expect(Date.parse(asked.defenceDueAt) - Date.now()).toBeGreaterThan(2_000);
    const defenceTask = await eventually(
      () => inbox(secA),
      (items) => items.some((t) => t.title.startsWith('陈述申辩')),
      10_000,
      '陈述申辩待办',
    );
    expect(defenceTask.length).toBeGreaterThan(0);
    // The clerk of the branch cannot state the person's case; the person can, once.
    expect((await clerkA.post(`/api/accountability/cases/${c.id}/defence`, { statement: '代为申辩' })).status).toBe(403);
    const early = await partySecretary.post(`/api/accountability/cases/${c.id}/decision`, decision());
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('陈述申辩期');
    await secA.post(`/api/accountability/cases/${c.id}/defence`, { statement: '因村里换届，计划延误，本人负有责任，恳请从轻。' }).expect(200);
    expect((await caseRow(c.id)).status).toBe('DELIBERATING');

    // The decision: only the party secretary; the measure must fit a person.
    expect((await staff.post(`/api/accountability/cases/${c.id}/decision`, decision())).status).toBe(403);
    const wrong = await partySecretary.post(`/api/accountability/cases/${c.id}/decision`, decision({ measures: [{ kind: '改组' }] }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('对个人的问责方式只能是');
    const noDetail = await partySecretary.post(`/api/accountability/cases/${c.id}/decision`, decision({ measures: [{ kind: '组织调整' }] }));
    expect(noDetail.body.message).toContain('组织调整须选明方式');
    const decided = (await partySecretary.post(`/api/accountability/cases/${c.id}/decision`, decision()).expect(200)).body;
    expect(decided.docNumber).toMatch(/^问\d+发〔\d{4}〕\d+号$/);
    expect(decided.kind).toBe('决定');

    // The 问责决定书: facts, basis, measure, deciding body, effective date, appeal period and body.
    const doc = await prisma.document.findUniqueOrThrow({ where: { id: decided.documentId } });
    expect(doc.status).toBe('ISSUED');
    expect(doc.kind).toBe('决定');
    const model = doc.model as { title: string; body: { text: string }[]; signingOrgans: string[]; addressee: string };
    expect(model.title).toBe('关于对问责甲村党支部党支部书记李甲同志问责的决定');
    expect(model.addressee).toBe('问责甲村党支部，李甲同志：');
    expect(model.signingOrgans).toEqual(['中共问责测试乡委员会']);
    const text = model.body.map((b) => b.text).join('\n');
    expect(text).toContain('逾期12天未报送年度工作计划');
    expect(text).toContain('《中国共产党问责条例》第七条第（一）项');
    expect(text).toContain(`经乡党委${YEAR}年第12次委员会会议`);
    expect(text).toContain('予以诫勉');
    expect(text).toContain('听取了本人的陈述和申辩');
    const [y, m, d] = TODAY.split('-').map(Number);
    expect(text).toContain(`本决定自${y}年${m}月${d}日起生效`);
    expect(text).toContain('自收到本决定之日起一个月内，向中共问责测试乡委员会提出书面申诉。申诉期间，不停止本决定的执行');
    // The PDF, as the branch reads it from its case.
    const pdf = await secA
      .get(`/api/accountability/cases/${c.id}/documents/${decided.documentId}/pdf`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (x: Buffer) => chunks.push(x));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acc-')), 'decision.pdf');
    fs.writeFileSync(file, pdf.body as Buffer);
    const pdfText = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
    expect(pdfText).toContain(decided.docNumber.replace(/\s+/g, ''));
    expect(pdfText).toContain('予以诫勉');

    // The measure and its influence: no top grade this year (the review's bar), no 评优 (lifecycle 5's check), no promotion for six months.
    const measure = await prisma.accountabilityMeasure.findFirstOrThrow({ where: { caseId: c.id } });
    expect(measure).toMatchObject({ kind: '诫勉', personId: secAId, orgId: branchA, effectiveOn: TODAY, status: 'ACTIVE' });
    expect((measure.bars as { bar: string }[]).map((b) => b.bar)).toEqual(['评优', '最高等次', '提拔']);
    expect((await peopleBarred(prisma, [secAId], '最高等次', `${YEAR}-01-01`, `${YEAR}-12-31`)).map((x) => x.id)).toEqual([measure.id]);
    const eligibility = await commendationEligibility(prisma, secAId, TODAY);
    expect(eligibility.eligible).toBe(false);
    expect(eligibility.reasons[0]).toContain('受到诫勉');
    expect((await commendationEligibility(prisma, secBId, TODAY)).eligible).toBe(true);
    const influence = (await staff.get(`/api/accountability/people/${secAId}/influence`).expect(200)).body;
    expect(influence.measures.map((x: { kind: string }) => x.kind)).toEqual(['诫勉']);

    // Service: the organisation and the person each acknowledge in the branch's inbox; only the person signs for themself.
    const served = await eventually(
      () => inbox(secA),
      (items) => items.filter((t) => t.title.startsWith('问责决定书签收')).length === 2,
      10_000,
      '送达待办',
    );
    const personTask = served.find((t) => t.data.recipient === 'PERSON')!;
    const orgTask = served.find((t) => t.data.recipient === 'ORG')!;
    expect(personTask.title).toContain('李甲本人');
    expect((await clerkA.post(`/api/accountability/tasks/${personTask.id}/acknowledge`)).status).toBe(403);
    await clerkA.post(`/api/accountability/tasks/${orgTask.id}/acknowledge`).expect(200);
    expect((await caseRow(c.id)).servedAt).toBeNull();
    // No appeal before the person has signed for the decision.
    expect((await secA.post(`/api/accountability/cases/${c.id}/appeal`, { reason: '处理过重' })).status).toBe(409);
    const ack = (await secA.post(`/api/accountability/tasks/${personTask.id}/acknowledge`).expect(200)).body;
    expect(ack.appealUntil).toBeTruthy();
    expect((await secA.post(`/api/accountability/tasks/${personTask.id}/acknowledge`)).status).toBe(409);

    // Appeal within the window (drill: a month is three working-day steps); the decision stays in force meanwhile.
    const appeal = (await secA.post(`/api/accountability/cases/${c.id}/appeal`, { reason: '换届期间客观原因，恳请改为通报' }).expect(200)).body;
    expect(appeal.decisionInForce).toBe(true);
    expect((await secA.post(`/api/accountability/cases/${c.id}/appeal`, { reason: '再次申诉' })).status).toBe(409);
    expect((await prisma.accountabilityMeasure.findUniqueOrThrow({ where: { id: measure.id } })).status).toBe('ACTIVE');

    // 变更: the measure replaced, a document issued, the influence follows the new measure.
    const answered = (
      await partySecretary
        .post(`/api/accountability/cases/${c.id}/appeal/answer`, { outcome: '变更', answer: '申诉理由部分成立。', measures: [{ kind: '通报' }] })
        .expect(200)
    ).body;
    expect(answered.docNumber).toMatch(/^问\d+发〔\d{4}〕\d+号$/);
    const appealDoc = await prisma.document.findUniqueOrThrow({ where: { id: answered.documentId } });
    expect(appealDoc.title).toContain('问责申诉的复查决定');
    expect(JSON.stringify(appealDoc.model)).toContain(`变更《${decided.docNumber}》问责决定，改为`);
    expect((await prisma.accountabilityMeasure.findUniqueOrThrow({ where: { id: measure.id } })).status).toBe('CHANGED');
    expect(await peopleBarred(prisma, [secAId], '最高等次', `${YEAR}-01-01`, `${YEAR}-12-31`)).toEqual([]);
    expect((await commendationEligibility(prisma, secAId, TODAY)).reasons[0]).toContain('受到通报');
    // The 诫勉's execution is no longer due; the 通报 asks the person for a written self-criticism.
    expect((await prisma.task.findUniqueOrThrow({ where: { key: `acc:exec:${measure.id}` } })).status).toBe('CANCELLED');
    const selfCriticism = await eventually(
      () => inbox(secA),
      (items) => items.some((t) => t.title.includes('提交书面检查')),
      10_000,
      '书面检查待办',
    );
    await secA
      .post(`/api/accountability/tasks/${selfCriticism.find((t) => t.title.includes('提交书面检查'))!.id}/complete`, { note: '书面检查已提交乡党委' })
      .expect(200);

    // All done and the appeal window over: the case closes by itself; then every step answers 409 with the reason.
    const closed = await eventually(
      () => caseRow(c.id),
      (r) => r.status === 'CLOSED',
      30_000,
      '结案',
      async () => ({
        workflow: await workflowState(app, accountabilityCaseWorkflowId(c.id)),
        openTasks: await prisma.task.findMany({ where: { originId: c.id, status: 'OPEN' }, select: { title: true, dueAt: true } }),
        appealUntil: (await caseRow(c.id)).appealUntil,
        now: new Date(),
      }),
    );
    expect(closed.closeReason).toContain('执行完毕');
    const late = await secA.post(`/api/accountability/cases/${c.id}/appeal`, { reason: '再申诉' });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('已结案');
    const actions = (await prisma.auditLog.findMany({ where: { entityId: c.id }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'accountability.case.open',
        'accountability.talk.record',
        'accountability.investigation.start',
        'accountability.finding.add',
        'accountability.defence.ask',
        'accountability.defence.submit',
        'accountability.decide',
        'accountability.serve.acknowledge',
        'accountability.appeal.file',
        'accountability.appeal.answer',
        'accountability.execution.done',
        'accountability.case.close',
      ]),
    );
  }, 120_000);

  it('moves on when the defence period lapses, and escalates an execution task past its deadline', async () => {
    const c = (await staff.post('/api/accountability/cases', { orgId: branchB, title: '党员活动室长期闲置', evidence: [{ title: '抽查记录' }] }).expect(201))
      .body;
    await toDefence(c.id, 0.5, 1);
    await eventually(
      () => caseRow(c.id),
      (r) => r.status === 'DELIBERATING',
      15_000,
      '陈述申辩期届满',
    );
    expect((await prisma.task.findUniqueOrThrow({ where: { key: `acc:${c.id}:defence` } })).status).toBe('CANCELLED');
    const decided = (
      await partySecretary
        .post(
          `/api/accountability/cases/${c.id}/decision`,
          decision({ measures: [{ kind: '检查' }, { kind: '通报' }], facts: '党员活动室长期闲置。', basis: '《中国共产党问责条例》第七条' }),
        )
        .expect(200)
    ).body;
    expect(decided.kind).toBe('决定');
    const doc = await prisma.document.findUniqueOrThrow({ where: { id: decided.documentId } });
    expect(JSON.stringify(doc.model)).toContain('在规定期限内未收到陈述和申辩');
    // 书面检查 within 10 working days (5 s in this drill), 整改报告 within 20: the first is marked overdue and the committee told.
    const overdue = await eventually(
      () => prisma.task.findFirst({ where: { originType: 'accountability_case', originId: c.id, title: { contains: '提交书面检查' } } }),
      (t) => !!t?.overdue,
      30_000,
      '执行事项逾期',
    );
    const told = await prisma.notification.findMany({ where: { key: { startsWith: `acc-overdue:${overdue!.id}` } } });
    expect(told.map((n) => n.orgId)).toEqual([committeeId, committeeId]);
    expect(told[0].message).toContain('已逾期');
    expect(await prisma.auditLog.count({ where: { entityId: c.id, action: 'accountability.execution.overdue' } })).toBe(1);
    // Two organisation measures, each with its bars for the organisation (not a person).
    const measures = await prisma.accountabilityMeasure.findMany({ where: { caseId: c.id }, orderBy: { kind: 'asc' } });
    expect(measures.map((m) => [m.kind, m.personId])).toEqual(
      expect.arrayContaining([
        ['检查', null],
        ['通报', null],
      ]),
    );
    await staff.post(`/api/accountability/cases/${c.id}/dismiss`, { reason: '测试' }).expect(409);
  }, 90_000);
});
