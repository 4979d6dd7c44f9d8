/** Lifecycle 5 on the real Temporal dev server: a 评选表扬 round from set-up to the 通报表扬, and eligibility from the record. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import { CalendarService } from '../../apps/server/src/calendar/calendar.service';
import { EligibilityService } from '../../apps/server/src/commendations/eligibility';
import { NomineeRecordService } from '../../apps/server/src/commendations/nominee-record';
import { noticePeriod } from '../../apps/server/src/commendations/notice-period';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { TemporalClientService } from '../../apps/server/src/temporal/temporal-client.service';
import { commendationRoundWorkflowId } from '../../workflows/commendation/commendation.definitions';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { minimalPdf, tinyPng } from '../support/files';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const TODAY = DateTime.now().setZone('Asia/Shanghai').toISODate() as string;
const YEAR = Number(TODAY.slice(0, 4));
const cn = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
const minus = (d: { months?: number; years?: number; days?: number }) => DateTime.fromISO(TODAY).minus(d).toISODate() as string;

describe('评选表扬 rounds', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let organCode: string;
  let staffId: string;
  let staff: ApiSession;
  let partySecretary: ApiSession;

  const login = async (username: string) => {
    const s = new ApiSession(app);
    expect((await s.login(username, PASSWORD)).status).toBe(200);
    return s;
  };
  const status = async (id: string) => (await prisma.commendationRound.findUniqueOrThrow({ where: { id } })).status;
  const waitFor = (id: string, want: string, ms = 30_000) =>
    eventually(
      () => status(id),
      (s) => s === want,
      ms,
      `评选表扬状态 ${want}`,
    );
  const measure = (personId: string, orgId: string, kind: string, effectiveOn: string, detail?: string) =>
    prisma.accountabilityMeasure.create({ data: { personId, orgId, kind, detail, effectiveOn, basis: '测试记录', createdById: staffId } });

  /** A started round of 优秀第一书记 and 十强支部 (one place each) on the 2-second working day; nominations by the committee. */
  const drilledRound = async (title: string, noticeWorkdays: number) => {
    const id = (
      await staff
        .post('/api/commendations', {
          year: YEAR,
          title: `${YEAR}年度${title}`,
          categories: [
            { key: 'fs', name: '优秀第一书记', quota: 1, target: 'PERSON', post: '第一书记' },
            { key: 'branch', name: '十强支部', quota: 1, target: 'ORG' },
          ],
          nominationWorkdays: 4,
          noticeWorkdays,
          contact: '乡党建办',
        })
        .expect(201)
    ).body.id as string;
    Drills.set(id, 2);
    await staff.post(`/api/commendations/${id}/start`).expect(200);
    const nominate = async (body: Record<string, unknown>) =>
      (await staff.post(`/api/commendations/${id}/nominations`, { reason: '成效明显。', ...body }).expect(201)).body.id as string;
    return { id, nominate };
  };
  /** Once nominations close: ranked as given, and the first of each approved by the 书记 for its one place. */
  const rankAndApprove = async (id: string, firstSecretaries: string[], branch: string) => {
    await waitFor(id, 'SELECTING');
    await staff.put(`/api/commendations/${id}/ranking`, { categoryKey: 'fs', order: firstSecretaries }).expect(200);
    await staff.put(`/api/commendations/${id}/ranking`, { categoryKey: 'branch', order: [branch] }).expect(200);
    await partySecretary
      .post(`/api/commendations/${id}/approval`, {
        meeting: '乡党委会议',
        heldOn: TODAY,
        categories: [
          { categoryKey: 'fs', nomineeIds: [firstSecretaries[0]] },
          { categoryKey: 'branch', nomineeIds: [branch] },
        ],
      })
      .expect(200);
  };

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    organCode = `表${Date.now() % 100000}发`;
    committeeId = (await makeCommittee(prisma, { name: '中共表扬测试乡委员会', organCode })).id;
    const s = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建');
    staffId = s.id;
    staff = await login(s.username);
    partySecretary = await login((await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记')).username);
  });

  afterAll(async () => {
    Drills.clear();
    await worker.close();
    await app.close();
  });

  it('counts the 公示期 in working days across 国庆 (with its 调休 Saturday) and 春节', async () => {
    const cal = await app.get(CalendarService).calendar();
    // 2026-09-30 (Wed) issued: 9-30, then 10-1..10-7 off, 10-8, 10-9, 10-10 (调休 Saturday), 10-12 (10-11 Sunday off).
    expect(noticePeriod(cal, '2026-09-30', 5)).toMatchObject({ startsOn: '2026-09-30', endsOn: '2026-10-12' });
    // 中秋 2026-09-25 and the weekend: issued on the holiday, the period starts on the next working day.
    expect(noticePeriod(cal, '2026-09-25', 3)).toMatchObject({ startsOn: '2026-09-28', endsOn: '2026-09-30' });
    // 春节 2026: 2-13 (Fri), 2-14 (调休 Saturday), then 2-15..2-23 off, 2-24, 2-25, 2-26.
    expect(noticePeriod(cal, '2026-02-13', 5)).toMatchObject({ startsOn: '2026-02-13', endsOn: '2026-02-26' });
    const p = noticePeriod(cal, '2026-02-15', 5);
    expect(p).toMatchObject({ startsOn: '2026-02-24', endsOn: '2026-02-28' });
    // Objections count by the day received: the whole last day is in time, the period is over at 00:00 after it.
    expect(p.endsAt.toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('checks eligibility from dated records at nomination: each bar with its rule and record, one that ended yesterday bars nothing', async () => {
    const branch = (await makeBranch(prisma, committeeId, undefined, '资格村支部')).id;
    const person = async (name: string) => (await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_STAFF, post: '第一书记' }], name)).id;
    const clean = await person('甲清白');
    const warnedEnded = await person('乙警告期满');
    const warnedToday = await person('丙警告未满');
    const admonished = await person('丁诫勉');
    const referred = await person('戊本年问责');
    const openCase = await person('己在办案件');
    const lowGrade = await person('庚一般');
    const adjusted = await person('辛组织调整');

    // 警告: one year. Effective a year ago today → ended yesterday; a year ago tomorrow → runs through today.
    await measure(warnedEnded, branch, '警告', minus({ months: 12 }));
    await measure(warnedToday, branch, '警告', minus({ months: 12, days: -1 }));
    await measure(admonished, branch, '诫勉', TODAY);
    // 移送纪律审查 bars nothing by itself, but it is being held accountable this year.
    await measure(referred, branch, '移送纪律审查', TODAY);
    // 组织调整 two years ago: its 评优 bar ended with that year; its five-year 提拔 bar runs (seed 000's local bar).
    await measure(adjusted, branch, '组织调整', minus({ years: 2 }), '调整职务');
    await prisma.accountabilityCase.create({
      data: {
        orgId: committeeId,
        year: YEAR,
        serial: 900 + Math.floor(Math.random() * 90_000),
        title: '关于己在办同志履职不力的问责案件',
        targetOrgId: branch,
        targetPersonId: openCase,
        source: 'MANUAL',
        investigatorIds: [],
        createdById: staffId,
      },
    });
    // A closed review round: 甲 好, 庚 一般.
    const review = await prisma.reviewRound.create({
      data: {
        orgId: committeeId,
        year: YEAR,
        title: `${YEAR}年度资格测试述职评议`,
        status: 'CLOSED',
        reportWorkdays: 1,
        scoringWorkdays: 1,
        items: [],
        groups: [],
        settings: {},
        dailyWeights: {},
        formulaVersion: 1,
        createdById: staffId,
        closedAt: new Date(Date.now() - 60_000),
      },
    });
    const subjA = await prisma.reviewSubject.create({ data: { roundId: review.id, orgId: branch, personId: clean, post: '第一书记' } });
    const other = (await makeBranch(prisma, committeeId, undefined, '资格二村支部')).id;
    const subjG = await prisma.reviewSubject.create({ data: { roundId: review.id, orgId: other, personId: lowGrade, post: '第一书记', sortOrder: 1 } });
    await prisma.reviewRound.update({
      where: { id: review.id },
      data: {
        results: {
          results: [
            { subjectId: subjA.id, grade: 'GOOD' },
            { subjectId: subjG.id, grade: 'AVERAGE' },
          ],
        },
      },
    });

    const id = (
      await staff
        .post('/api/commendations', {
          year: YEAR,
          title: `${YEAR}年度资格测试评选`,
          categories: [{ key: 'fs', name: '优秀第一书记', quota: 10, target: 'PERSON', post: '第一书记' }],
          nominationWorkdays: 5,
          localBars: ['提拔'],
          contact: '乡党建办 0931-1234567',
        })
        .expect(201)
    ).body.id;
    await staff.post(`/api/commendations/${id}/start`).expect(200);
    const nominate = (personId: string) =>
      staff.post(`/api/commendations/${id}/nominations`, { categoryKey: 'fs', personId, orgId: branch, reason: '扎根基层，成效明显。' });

    const ok = await nominate(clean);
    expect(ok.status).toBe(201);
    expect(ok.body.eligibility).toMatchObject({ eligible: true, stage: '推荐', day: TODAY });
    expect(ok.body.eligibility.notes.join()).toContain('评定为“好”');
    expect(ok.body.evidence.review).toMatchObject({ grade: 'GOOD', gradeLabel: '好' });
    expect((await nominate(warnedEnded)).status).toBe(201);

    const refused = async (personId: string, rule: string, record: string) => {
      const res = await nominate(personId);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain(rule);
      expect(res.body.message).toContain(record);
      expect(res.body.message).not.toMatch(/personId|effectiveOn|[A-Z_]{4,}/);
    };
    const until = DateTime.fromISO(minus({ months: 12, days: -1 }))
      .plus({ months: 12 })
      .minus({ days: 1 })
      .toISODate() as string;
    expect(until).toBe(TODAY);
    await refused(warnedToday, '党纪处分影响期内不得评优', `受到警告处分，影响期至${cn(TODAY)}`);
    await refused(admonished, '问责影响期内不得评优', `${cn(TODAY)}受到诫勉`);
    await refused(referred, '本年度受到问责，本年度不得评优', `${cn(TODAY)}受到移送纪律审查`);
    await refused(openCase, '有尚未办结的问责案件', '关于己在办同志履职不力的问责案件');
    await refused(lowGrade, '述职评议等次须为“较好”及以上', '评定为“一般”');
    await refused(adjusted, '本党委规定：“不得提拔”的影响期内也不得评优', '受到组织调整（调整职务）');
    // Without the committee's local bar, the same record does not exclude.
    const eligibility = app.get(EligibilityService);
    expect((await eligibility.check({ personId: adjusted, orgId: branch, year: YEAR, minGrade: 'FAIRLY_GOOD', localBars: [] }, TODAY, '推荐')).eligible).toBe(
      true,
    );
    // A lower threshold lets 一般 through.
    expect((await eligibility.check({ personId: lowGrade, orgId: branch, year: YEAR, minGrade: 'AVERAGE', localBars: [] }, TODAY, '推荐')).eligible).toBe(true);

    expect(await prisma.commendationNominee.count({ where: { roundId: id } })).toBe(2);
    const audited = await prisma.auditLog.count({ where: { entityId: id, action: 'commendation.nominate' } });
    expect(audited).toBe(2);
    await staff.post(`/api/commendations/${id}/cancel`, { reason: '测试结束' }).expect(200);
    await waitFor(id, 'CANCELLED');
  });

  it('runs a round: quotas, ranking and approval, a numbered 公示, an upheld objection re-opening the notice for the replacement only, a late objection refused, the 通报表扬 on the record', async () => {
    const b = [];
    for (let i = 1; i <= 3; i++) b.push((await makeBranch(prisma, committeeId, undefined, `表扬${i}村支部`)).id);
    const fs: string[] = [];
    const branchStaff: ApiSession[] = [];
    for (const [i, orgId] of b.entries()) {
      fs.push((await makePerson(prisma, [{ orgId, role: Role.BRANCH_STAFF, post: '第一书记' }], ['赵第一', '钱第一', '孙第一'][i])).id);
      branchStaff.push(await login((await makePerson(prisma, [{ orgId, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], `支书${i + 1}`)).username));
    }
    const villager = await makePerson(prisma, [{ orgId: b[2], role: Role.BRANCH_STAFF, post: '党员' }], '周群众');
    const objector = await login(villager.username);
    const extra = (await makePerson(prisma, [{ orgId: b[0], role: Role.BRANCH_STAFF, post: '第一书记' }], '吴第一')).id;
    const extra2 = (await makePerson(prisma, [{ orgId: b[0], role: Role.BRANCH_STAFF, post: '第一书记' }], '冯第一')).id;

    const setup = {
      year: YEAR,
      title: `${YEAR}年度“优秀第一书记”“十强支部”评选表扬`,
      categories: [
        { key: 'fs', name: '优秀第一书记', quota: 2, target: 'PERSON', post: '第一书记' },
        { key: 'branch', name: '十强支部', quota: 1, target: 'ORG' },
      ],
      nominationWorkdays: 4,
      noticeWorkdays: 3,
      contact: '乡党建办 张党建 0931-1234567',
    };
    // Only 党建办 sets a round up; plain-word refusals.
    expect((await branchStaff[0].post('/api/commendations', setup)).status).toBe(403);
    const bad = await staff.post('/api/commendations', { ...setup, categories: [{ ...setup.categories[0], quota: 0 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('名额至少为 1');
    const id = (await staff.post('/api/commendations', setup).expect(201)).body.id;
    Drills.set(id, 4); // 4 s a working day: the 3-day 公示 lasts 12 s, time for the steps below on a loaded machine
    // The round page's live status: unchanged (304 on its ETag) until the round moves, then a new token.
    const live = (await staff.get(`/commendations/${id}/status`).expect(200)).body.version;
    expect((await staff.get(`/commendations/${id}/status`).set('if-none-match', `"${live}"`)).status).toBe(304);
    expect((await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text).toContain(`data-live-version="${live}"`);
    await staff.post(`/api/commendations/${id}/start`).expect(200);
    expect((await staff.get(`/commendations/${id}/status`).expect(200)).body.version).not.toBe(live);
    expect(await prisma.notification.count({ where: { key: { startsWith: `com-nominate:${id}:` } } })).toBeGreaterThanOrEqual(3);

    const nominate = (s: ApiSession, body: Record<string, unknown>) =>
      s.post(`/api/commendations/${id}/nominations`, { reason: '带领群众发展产业，成效明显。', ...body });
    const n1 = (await nominate(branchStaff[0], { categoryKey: 'fs', personId: fs[0], orgId: b[0] }).expect(201)).body;
    // A branch nominates its own people only.
    expect((await nominate(branchStaff[0], { categoryKey: 'fs', personId: fs[1], orgId: b[1] })).status).toBe(403);
    const n2 = (await nominate(branchStaff[1], { categoryKey: 'fs', personId: fs[1], orgId: b[1] }).expect(201)).body;
    // The committee nominates anyone.
    const n3 = (await nominate(staff, { categoryKey: 'fs', personId: fs[2], orgId: b[2] }).expect(201)).body;
    const nb = (await nominate(branchStaff[0], { categoryKey: 'branch', orgId: b[0] }).expect(201)).body;
    // Quota per nominating branch and category: 优秀第一书记 has 2 places, a third from branch 1 is refused.
    const overQuota = await nominate(branchStaff[0], { categoryKey: 'fs', personId: extra, orgId: b[0] });
    expect(overQuota.status).toBe(201);
    const third = await nominate(branchStaff[0], { categoryKey: 'fs', personId: extra2, orgId: b[0] });
    expect(third.status).toBe(409);
    expect(third.body.message).toBe('“优秀第一书记”名额为 2 名，本支部已推荐 2 名，不能再推荐');
    const again = await nominate(branchStaff[0], { categoryKey: 'fs', personId: extra, orgId: b[0] });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('“吴第一”已被推荐为“优秀第一书记”');
    const org2 = await nominate(branchStaff[0], { categoryKey: 'branch', orgId: b[0] });
    expect(org2.status).toBe(409);
    const nb2 = await nominate(branchStaff[1], { categoryKey: 'branch', orgId: b[1] });
    expect(nb2.status).toBe(201);
    const fs3 = await nominate(branchStaff[0], { categoryKey: 'fs', personId: fs[2], orgId: b[2] });
    expect(fs3.status).toBe(403);
    // The record beside a nominee: figures from the year's filings and checks, earlier commendations.
    expect(n1.evidence.figures.map((f: { label: string }) => f.label).length).toBeGreaterThan(0);
    // A branch sees its own nominations only.
    const seen = (await branchStaff[1].get(`/api/commendations/${id}`).expect(200)).body.nominees.map((n: { id: string }) => n.id);
    expect(seen.sort()).toEqual([n2.id, nb2.body.id].sort());

    // The workflow closes nominations at the deadline.
    await waitFor(id, 'SELECTING');
    const late = await nominate(branchStaff[2], { categoryKey: 'fs', personId: fs[2], orgId: b[2] });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('推荐已于');

    // Ranking (党建办) and the committee's approval within the quota (the party secretary).
    const order = [n1.id, n2.id, n3.id, overQuota.body.id];
    await staff.put(`/api/commendations/${id}/ranking`, { categoryKey: 'fs', order }).expect(200);
    await staff.put(`/api/commendations/${id}/ranking`, { categoryKey: 'branch', order: [nb.id, nb2.body.id] }).expect(200);
    const approval = (fsIds: string[]) => ({
      meeting: `乡党委会议（${YEAR}年第12次）`,
      heldOn: TODAY,
      categories: [
        { categoryKey: 'fs', nomineeIds: fsIds },
        { categoryKey: 'branch', nomineeIds: [nb.id] },
      ],
    });
    expect((await staff.post(`/api/commendations/${id}/approval`, approval([n1.id, n2.id]))).status).toBe(403);
    const tooMany = await partySecretary.post(`/api/commendations/${id}/approval`, approval([n1.id, n2.id, n3.id]));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain('“优秀第一书记”名额为 2 名，审定了 3 名');
    await partySecretary.post(`/api/commendations/${id}/approval`, approval([n1.id, n2.id])).expect(200);

    // 公示: a numbered document listing the approved, open to every logged-in user.
    const notice = (await staff.post(`/api/commendations/${id}/notice`).expect(200)).body;
    expect(notice.docNumber).toMatch(new RegExp(`^${organCode}〔${YEAR}〕\\d+号$`));
    expect(await status(id)).toBe('NOTICE');
    const page = (await objector.get('/api/commendations/notices').expect(200)).body as {
      id: string;
      docNumber: string;
      open: boolean;
      nominees: { id: string; name: string }[];
    }[];
    const first = page.find((x) => x.id === notice.noticeId)!;
    expect(first).toMatchObject({ docNumber: notice.docNumber, open: true });
    expect(first.nominees.map((n) => n.name)).toEqual(['赵第一', '钱第一', '表扬1村支部']);
    const pdf = await objector.get(`/api/commendations/notices/${notice.noticeId}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const doc = await prisma.document.findUniqueOrThrow({ where: { id: notice.documentId } });
    expect(doc.status).not.toBe('DRAFT');
    expect(JSON.stringify(doc.model)).toContain('乡党建办 张党建 0931-1234567');

    // A real-name objection to 赵第一, filed by a villager on the page; the decision must wait.
    const obj = (await objector.post(`/api/commendations/${id}/objections`, { nomineeId: n1.id, text: '赵第一长期不在岗，驻村考勤弄虚作假。' }).expect(201))
      .body;
    expect(obj.receivedOn).toBe(TODAY);
    expect((await partySecretary.post(`/api/commendations/${id}/decision`, {})).status).toBe(409);
    // Upheld: 赵第一 removed, the next-ranked (孙第一) published in a fresh notice of their own.
    expect((await branchStaff[0].post(`/api/commendations/${id}/objections/${obj.id}/resolve`, { upheld: true, finding: '经核查属实。' })).status).toBe(403);
    const resolved = (
      await staff.post(`/api/commendations/${id}/objections/${obj.id}/resolve`, { upheld: true, finding: '经核查，考勤记录与实际不符，异议属实。' }).expect(200)
    ).body;
    expect(resolved.replacement.nomineeId).toBe(n3.id);
    const second = resolved.replacement.notice;
    expect(second.docNumber).toMatch(new RegExp(`^${organCode}〔${YEAR}〕\\d+号$`));
    expect(second.docNumber).not.toBe(notice.docNumber);
    const serial = (n: string) => Number(/〕(\d+)号/.exec(n)![1]);
    expect(serial(second.docNumber)).toBe(serial(notice.docNumber) + 1);
    const notices = await prisma.commendationNotice.findMany({ where: { roundId: id }, orderBy: { seq: 'asc' } });
    expect(notices.map((n) => n.nomineeIds)).toEqual([[n1.id, n2.id, nb.id], [n3.id]]);
    const byId = async (nid: string) => (await prisma.commendationNominee.findUniqueOrThrow({ where: { id: nid } })).status;
    expect([await byId(n1.id), await byId(n2.id), await byId(n3.id), await byId(overQuota.body.id)]).toEqual(['REMOVED', 'NOTICE', 'NOTICE', 'RESERVE']);
    const told = await prisma.notification.findFirstOrThrow({ where: { key: `com-objection-answer:${obj.id}` } });
    expect(told.personId).toBe(villager.id);
    expect(told.message).toContain('异议经核查属实');
    // The removed nominee is no longer in notice.
    expect((await objector.post(`/api/commendations/${id}/objections`, { nomineeId: n1.id, text: '再次反映。' })).status).toBe(409);

    // An objection to the replacement during its own period, dismissed with the reason and told to the objector.
    // The 公示 page: every logged-in user sees both notices with their numbers and periods, and objects there by name.
    const html = (await objector.get('/commendations/notices').expect(200)).text;
    expect(html).toContain(notice.docNumber);
    expect(html).toContain(second.docNumber);
    expect(html).toContain('赵第一（已取消）');
    expect(html).toContain('data-objection-form');
    const obj2 = (await objector.post(`/api/commendations/${id}/objections`, { nomineeId: n3.id, text: '孙第一曾与村民发生争执。' }).expect(201)).body;
    await staff.post(`/api/commendations/${id}/objections/${obj2.id}/resolve`, { upheld: false, finding: '经核查系正常工作分歧，不影响表扬。' }).expect(200);
    expect((await prisma.notification.findFirstOrThrow({ where: { key: `com-objection-answer:${obj2.id}` } })).message).toContain(
      '不予采纳：经核查系正常工作分歧',
    );
    expect((await staff.post(`/api/commendations/${id}/objections/${obj2.id}/resolve`, { upheld: false, finding: '重复' })).status).toBe(409);

    // The first notice ends (the workflow records it); an objection after its end is refused with the date.
    await eventually(
      () => prisma.commendationNotice.findUniqueOrThrow({ where: { id: notice.noticeId } }),
      (n) => !!n.endedAt,
      30_000,
      '首次公示期满',
    );
    // On the page, a late objection is refused in the same words.
    const refusedPage = await objector.post('/commendations/notices/objection', {
      _csrf: objector.csrfToken,
      roundId: id,
      nomineeId: n2.id,
      text: '钱第一有违规行为。',
    });
    expect(refusedPage.status).toBe(409);
    expect(refusedPage.text).toContain(`公示期已于${cn(notices[0].endsOn)}结束，异议不再受理`);
    const tooLate = await objector.post(`/api/commendations/${id}/objections`, { nomineeId: n2.id, text: '钱第一有违规行为。' });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.message).toBe(`公示期已于${cn(notices[0].endsOn)}结束，异议不再受理`);
    // A letter recorded by 党建办 counts by the day it was received; one received after the end is refused likewise.
    const letter = await staff.post(`/api/commendations/${id}/objections`, { nomineeId: n2.id, text: '来信反映。', channel: 'LETTER', objectorName: '李来信' });
    expect(letter.status).toBe(409);
    expect(letter.body.message).toBe(`公示期已于${cn(notices[0].endsOn)}结束，${cn(TODAY)}收到的异议不再受理`);

    // The decision: after every period, as a 通报 (a 决定 needs its approval reference).
    await eventually(
      () => prisma.commendationNotice.count({ where: { roundId: id, endedAt: null } }),
      (n) => n === 0,
      30_000,
      '递补公示期满',
    );
    const noRef = await partySecretary.post(`/api/commendations/${id}/decision`, { kind: '决定' });
    expect(noRef.status).toBe(400);
    expect(noRef.body.message).toContain('批准依据');
    expect((await staff.post(`/api/commendations/${id}/decision`, {})).status).toBe(403);
    const decided = (await partySecretary.post(`/api/commendations/${id}/decision`, {}).expect(200)).body;
    expect(decided.docNumber).toMatch(new RegExp(`^${organCode}〔${YEAR}〕\\d+号$`));
    expect(serial(decided.docNumber)).toBe(serial(second.docNumber) + 1);
    expect(decided.commended).toBe(3);
    const decision = await prisma.document.findUniqueOrThrow({ where: { id: decided.documentId }, include: { pdf: true } });
    expect(decision.title).toBe(`关于表扬${YEAR}年度“优秀第一书记”“十强支部”的通报`);
    expect(decision.pdf).not.toBeNull();
    expect(JSON.stringify(decision.model)).toContain('表扬2村支部第一书记钱第一');
    expect((await partySecretary.post(`/api/commendations/${id}/decision`, {})).status).toBe(409);

    // Written to the record: later rounds read it beside the nominee.
    const record = await prisma.commendation.findMany({ where: { roundId: id }, orderBy: { title: 'asc' } });
    expect(record.map((r) => [r.title, r.personId ?? r.orgId, r.docNumber])).toEqual(
      expect.arrayContaining([
        ['优秀第一书记', fs[1], decided.docNumber],
        ['优秀第一书记', fs[2], decided.docNumber],
        ['十强支部', b[0], decided.docNumber],
      ]),
    );
    expect(record).toHaveLength(3);
    const later = await app.get(NomineeRecordService).of({ personId: fs[1], orgId: b[1] }, YEAR);
    expect(later.commendations).toEqual([expect.objectContaining({ title: '优秀第一书记', docNumber: decided.docNumber })]);

    // The workflow ends with the decision; every step audited.
    const handle = (await app.get(TemporalClientService).client()).workflow.getHandle(commendationRoundWorkflowId(id));
    expect(await handle.result()).toBe('DECIDED');
    const actions = (await prisma.auditLog.findMany({ where: { entityId: id }, select: { action: true } })).map((a) => a.action);
    for (const a of [
      'commendation.round.create',
      'commendation.round.start',
      'commendation.nominate',
      'commendation.nomination.close',
      'commendation.rank',
      'commendation.approve',
      'commendation.notice.issue',
      'commendation.objection.file',
      'commendation.objection.resolve',
      'commendation.notice.end',
      'commendation.decide',
    ])
      expect(actions).toContain(a);
  });

  it("fills a place freed at the decision's re-check: the next-ranked eligible in a fresh notice of their own; a place nobody can take recorded as vacant", async () => {
    const x1 = (await makeBranch(prisma, committeeId, undefined, '复核1村支部')).id;
    const x2 = (await makeBranch(prisma, committeeId, undefined, '复核2村支部')).id;
    const p1 = (await makePerson(prisma, [{ orgId: x1, role: Role.BRANCH_STAFF, post: '第一书记' }], '甲第一')).id;
    const p2 = (await makePerson(prisma, [{ orgId: x2, role: Role.BRANCH_STAFF, post: '第一书记' }], '乙第一')).id;
    const p3 = (await makePerson(prisma, [{ orgId: x1, role: Role.BRANCH_STAFF, post: '第一书记' }], '丙第一')).id;
    const { id, nominate } = await drilledRound('复核递补评选', 1);
    const n1 = await nominate({ categoryKey: 'fs', personId: p1, orgId: x1 });
    const n2 = await nominate({ categoryKey: 'fs', personId: p2, orgId: x2 });
    const n3 = await nominate({ categoryKey: 'fs', personId: p3, orgId: x1 });
    const nb = await nominate({ categoryKey: 'branch', orgId: x1 });
    await rankAndApprove(id, [n1, n2, n3], nb);
    const first = (await staff.post(`/api/commendations/${id}/notice`).expect(200)).body;
    await eventually(
      () => prisma.commendationNotice.findUniqueOrThrow({ where: { id: first.noticeId } }),
      (n) => !!n.endedAt,
      30_000,
      '公示期满',
    );

    // After the period, before the decision: 甲第一 gets a 警告, 乙第一 (next in rank) a 诫勉, the branch a 通报.
    await measure(p1, x1, '警告', TODAY);
    await measure(p2, x2, '诫勉', TODAY);
    await prisma.accountabilityMeasure.create({ data: { orgId: x1, kind: '通报', effectiveOn: TODAY, basis: '测试记录', createdById: staffId } });

    // The decision's re-check: 丙第一 takes 甲第一's place in a fresh notice; nobody is left for 十强支部: vacant.
    const replaced = (await partySecretary.post(`/api/commendations/${id}/decision`, {}).expect(200)).body;
    expect(replaced.decided).toBe(false);
    expect(replaced.replacements).toEqual([{ nomineeId: n3, name: '丙第一', replacesId: n1 }]);
    expect(replaced.vacancies).toEqual([
      { categoryKey: 'branch', reason: expect.stringContaining(`“复核1村支部”不符合评选条件：问责影响期内不得评优（${cn(TODAY)}受到通报`) },
    ]);
    expect(replaced.vacancies[0].reason).toContain('无符合条件的递补人选');
    const statusOf = async (nid: string) => (await prisma.commendationNominee.findUniqueOrThrow({ where: { id: nid } })).status;
    expect([await statusOf(n1), await statusOf(n2), await statusOf(n3), await statusOf(nb)]).toEqual(['INELIGIBLE', 'INELIGIBLE', 'NOTICE', 'INELIGIBLE']);
    const shown = (await staff.get(`/api/commendations/${id}`).expect(200)).body;
    const excludedN1 = shown.nominees.find((x: { id: string }) => x.id === n1);
    expect(excludedN1.eligibility).toMatchObject({ stage: '决定', eligible: false, reasons: [expect.objectContaining({ rule: '党纪处分影响期内不得评优' })] });
    expect(shown.vacancies).toEqual([expect.objectContaining({ categoryKey: 'branch', nomineeId: nb })]);
    const notices = await prisma.commendationNotice.findMany({ where: { roundId: id }, orderBy: { seq: 'asc' } });
    expect(notices.map((n) => [n.seq, n.nomineeIds])).toEqual([
      [1, [n1, nb]],
      [2, [n3]],
    ]);
    expect(replaced.notice.docNumber).toMatch(new RegExp(`^${organCode}〔${YEAR}〕\\d+号$`));
    const noticeDoc = await prisma.document.findUniqueOrThrow({ where: { id: replaced.notice.documentId } });
    expect(JSON.stringify(noticeDoc.model)).toContain('经决定前资格复核，原拟表扬对象不符合评选条件');
    // The decision waits for the replacement's period.
    const early = await partySecretary.post(`/api/commendations/${id}/decision`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('期满后才能决定');

    await eventually(
      () => prisma.commendationNotice.count({ where: { roundId: id, endedAt: null } }),
      (n) => n === 0,
      30_000,
      '递补公示期满',
    );
    const decided = (await partySecretary.post(`/api/commendations/${id}/decision`, {}).expect(200)).body;
    expect(decided).toMatchObject({
      decided: true,
      commended: 1,
      vacancies: [{ categoryKey: 'branch', reason: expect.stringContaining('无符合条件的递补人选') }],
    });
    const decision = await prisma.document.findUniqueOrThrow({ where: { id: decided.documentId } });
    expect(decision.title).toBe(`关于表扬${YEAR}年度“优秀第一书记”的通报`);
    const text = JSON.stringify(decision.model);
    expect(text).toContain('复核1村支部第一书记丙第一');
    expect(text).toContain('“十强支部”名额 1 个，空缺 1 个（原拟表扬对象经资格复核不符合评选条件，无符合条件的递补人选）');
    expect(text).not.toContain('甲第一');
    expect((await prisma.commendation.findMany({ where: { roundId: id } })).map((c) => c.personId)).toEqual([p3]);
    const round = await prisma.commendationRound.findUniqueOrThrow({ where: { id } });
    expect(round.vacancies).toEqual([expect.objectContaining({ categoryKey: 'branch', nomineeId: nb, recordedOn: TODAY })]);
    // The round page shows the vacancy with its reason, and 甲第一 excluded with the rule and the record.
    const page = (await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text;
    expect(page).toContain('“十强支部”空缺 1 个名额：“复核1村支部”不符合评选条件');
    expect(page).toContain('党纪处分影响期内不得评优');
    expect(page).toContain(`${cn(TODAY)}受到警告处分`);
    const actions = (await prisma.auditLog.findMany({ where: { entityId: id }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['commendation.decide.replace', 'commendation.ineligible', 'commendation.decide']));
  });

  it('objections from the pages carry evidence (multipart, without JavaScript): a refused file said in place with what was typed kept, the files opened from the round page', async () => {
    const y1 = (await makeBranch(prisma, committeeId, undefined, '异议1村支部')).id;
    const q1 = (await makePerson(prisma, [{ orgId: y1, role: Role.BRANCH_STAFF, post: '第一书记' }], '甲异议')).id;
    const villager = await makePerson(prisma, [{ orgId: y1, role: Role.BRANCH_STAFF, post: '党员' }], '乙村民');
    const objector = await login(villager.username);
    const { id, nominate } = await drilledRound('异议证据评选', 2);
    const n1 = await nominate({ categoryKey: 'fs', personId: q1, orgId: y1 });
    const nb = await nominate({ categoryKey: 'branch', orgId: y1 });
    await rankAndApprove(id, [n1], nb);
    Drills.set(id, 15); // the 2-day 公示 lasts 30 s: time for the objections below
    const notice = (await staff.post(`/api/commendations/${id}/notice`).expect(200)).body;

    // The 公示 page's form sends files as multipart, with the CSRF token in its action (no script, no header).
    const page = (await objector.get('/commendations/notices').expect(200)).text;
    expect(page).toMatch(/action="\/commendations\/notices\/objection\?_csrf=[^"]+" enctype="multipart\/form-data"/);
    expect(page).toContain('name="files"');
    const csrf = /objection\?_csrf=([^"]+)"/.exec(page)![1];
    // A text file named .pdf: refused in Chinese beside the file input, the text kept, nothing filed.
    const refused = await objector.agent
      .post(`/commendations/notices/objection?_csrf=${encodeURIComponent(csrf)}`)
      .field('roundId', id)
      .field('nomineeId', n1)
      .field('text', '甲异议长期不在岗。')
      .attach('files', Buffer.from('这不是PDF'), { filename: '考勤记录.pdf', contentType: 'application/pdf' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('附件“考勤记录.pdf”的内容不是PDF 文件');
    expect(refused.text).toContain('甲异议长期不在岗。');
    expect(await prisma.commendationObjection.count({ where: { roundId: id } })).toBe(0);
    // Without the token the post is refused before its body is read.
    expect((await objector.agent.post('/commendations/notices/objection').field('roundId', id).field('text', 'x')).status).toBe(403);
    // A real PDF and a picture: filed with both; the files are marked attached.
    const pdf = minimalPdf('考勤');
    const filed = await objector.agent
      .post(`/commendations/notices/objection?_csrf=${encodeURIComponent(csrf)}`)
      .field('roundId', id)
      .field('nomineeId', n1)
      .field('text', '甲异议长期不在岗。')
      .attach('files', pdf, { filename: '考勤记录.pdf', contentType: 'application/pdf' })
      .attach('files', tinyPng(41), { filename: '现场照片.png', contentType: 'image/png' });
    expect(filed.status).toBe(303);
    expect(filed.headers.location).toBe('/commendations/notices?done=objected');
    const mine = await prisma.commendationObjection.findFirstOrThrow({ where: { roundId: id, channel: 'PAGE' } });
    expect((mine.files as { name: string }[]).map((f) => f.name)).toEqual(['考勤记录.pdf', '现场照片.png']);
    const stored = await prisma.storedFile.findMany({ where: { sha256: { in: (mine.files as { sha256: string }[]).map((f) => f.sha256) } } });
    expect(stored.every((f) => !!f.attachedAt)).toBe(true);

    // 党建办 records a letter with the scanned letter attached; a refused send keeps the file already stored.
    const round = (await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text;
    expect(round).toMatch(/action="\/commendations\/[0-9a-f-]+\/objections\?_csrf=[^"]+" enctype="multipart\/form-data"/);
    const staffCsrf = /objections\?_csrf=([^"]+)"/.exec(round)![1];
    const letter = minimalPdf('来信');
    const noName = await staff.agent
      .post(`/commendations/${id}/objections?_csrf=${encodeURIComponent(staffCsrf)}`)
      .field('nomineeId', n1)
      .field('channel', 'LETTER')
      .field('receivedOn', TODAY)
      .field('objectorName', '')
      .field('text', '来信反映甲异议考勤弄虚作假。')
      .attach('files', letter, { filename: '来信扫描.pdf', contentType: 'application/pdf' });
    expect(noName.status).toBe(400);
    expect(noName.text).toContain('异议须实名：请填写异议人的真实姓名');
    expect(noName.text).toContain('来信反映甲异议考勤弄虚作假。');
    expect(noName.text).toContain('data-kept-file');
    const kept = /name="keptFiles" value="([^"]+)"/
      .exec(noName.text)![1]
      .replace(/&quot;/g, '"')
      .replace(/&#x3D;/g, '=');
    const recorded = await staff.agent
      .post(`/commendations/${id}/objections?_csrf=${encodeURIComponent(staffCsrf)}`)
      .field('nomineeId', n1)
      .field('channel', 'LETTER')
      .field('receivedOn', TODAY)
      .field('objectorName', '李来信')
      .field('text', '来信反映甲异议考勤弄虚作假。')
      .field('keptFiles', kept);
    expect(recorded.status).toBe(303);
    const byLetter = await prisma.commendationObjection.findFirstOrThrow({ where: { roundId: id, channel: 'LETTER' } });
    expect(byLetter.files).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), name: '来信扫描.pdf' }]);
    // A call from someone with an account: 党建办 names the account (the name is taken from it).
    await staff
      .post(`/commendations/${id}/objections`, {
        _csrf: staff.csrfToken,
        nomineeId: n1,
        channel: 'PHONE',
        receivedOn: TODAY,
        objectorName: '',
        objectorId: villager.id,
        text: '电话反映甲异议多次缺席村务会议。',
      })
      .expect(303);
    const byPhone = await prisma.commendationObjection.findFirstOrThrow({ where: { roundId: id, channel: 'PHONE' } });
    expect(byPhone).toMatchObject({ objectorName: '乙村民', objectorId: villager.id });

    // The round page shows each objection's evidence as links that open the files.
    const shown = (await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text;
    const links = [...shown.matchAll(/href="(\/api\/files\/[0-9a-f]{64})"[^>]*data-objection-file>([^<]+)</g)].map((m) => [m[1], m[2]]);
    expect(links.map((l) => l[1])).toEqual(['考勤记录.pdf', '现场照片.png', '来信扫描.pdf']);
    const opened = await staff.get(links[0][0]).expect(200);
    expect(Buffer.from(opened.body as Buffer).equals(pdf)).toBe(true);

    // Dismissed: the caller with an account is told in the system; the letter's writer (no account) is not sent
    // anything — least of all the staff member who recorded it — and the round page asks 党建办 to tell them.
    const dismiss = (oid: string) =>
      staff.post(`/commendations/${id}/objections/${oid}/resolve`, { _csrf: staff.csrfToken, upheld: 'no', finding: '经核查，会议缺席均已请假。' });
    expect((await dismiss(byPhone.id)).headers.location).toBe(`/commendations/${id}?done=resolved`);
    const toCaller = await prisma.notification.findFirstOrThrow({ where: { key: `com-objection-answer:${byPhone.id}` } });
    expect(toCaller.personId).toBe(villager.id);
    expect(toCaller.message).toContain('不予采纳：经核查，会议缺席均已请假。');
    expect((await dismiss(byLetter.id)).headers.location).toBe(`/commendations/${id}?done=resolvedTell`);
    expect(await prisma.notification.count({ where: { key: `com-objection-answer:${byLetter.id}` } })).toBe(0);
    const toTell = (await staff.get(`/commendations/${id}?done=resolvedTell`).set('accept', 'text/html').expect(200)).text;
    expect(toTell).toContain('请按登记的联系方式告知处理结果');
    expect(toTell).toContain('异议人没有系统账号，处理结果须由党建办按登记的联系方式（回信）告知李来信本人');
    expect(toTell.match(/data-must-tell/g)).toHaveLength(1);
    expect((await staff.post(`/commendations/${id}/objections/${byLetter.id}/told`, { _csrf: staff.csrfToken })).headers.location).toBe(
      `/commendations/${id}?done=told`,
    );
    const told = await prisma.commendationObjection.findUniqueOrThrow({ where: { id: byLetter.id } });
    expect(told).toMatchObject({ toldById: staffId });
    expect(told.toldAt).not.toBeNull();
    const afterTell = (await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text;
    expect(afterTell).not.toContain('data-must-tell');
    expect(afterTell).toContain('处理结果已告知异议人');
    expect((await staff.post(`/commendations/${id}/objections/${byLetter.id}/told`, { _csrf: staff.csrfToken })).status).toBe(409);
    const toldAudit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: id, action: 'commendation.objection.told' } });
    expect(toldAudit.data).toMatchObject({ objectionId: byLetter.id, how: '信件' });

    // Upheld with nobody in reserve: 甲异议 removed, the place recorded as vacant at once and shown on the round page.
    const upheld = await staff.post(`/commendations/${id}/objections/${mine.id}/resolve`, {
      _csrf: staff.csrfToken,
      upheld: 'yes',
      finding: '经核查，考勤弄虚作假属实。',
    });
    expect(upheld.status).toBe(303);
    expect(await prisma.commendationNotice.count({ where: { roundId: id } })).toBe(1);
    const vacant = await prisma.commendationRound.findUniqueOrThrow({ where: { id } });
    expect(vacant.vacancies).toEqual([
      { categoryKey: 'fs', nomineeId: n1, reason: '“甲异议”经核查异议属实，取消表扬资格，无符合条件的递补人选', recordedOn: TODAY, cause: 'objection' },
    ]);
    const withVacancy = (await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text;
    expect(withVacancy).toContain('“优秀第一书记”空缺 1 个名额：“甲异议”经核查异议属实，取消表扬资格，无符合条件的递补人选');
    // The decision (after the period) commends the branch and says the place is vacant, and why.
    await eventually(
      () => prisma.commendationNotice.count({ where: { roundId: id, endedAt: null } }),
      (n) => n === 0,
      60_000,
      '公示期满',
    );
    const decided = (await partySecretary.post(`/api/commendations/${id}/decision`, {}).expect(200)).body;
    expect(decided).toMatchObject({ decided: true, commended: 1, vacancies: [{ categoryKey: 'fs', reason: expect.stringContaining('异议属实') }] });
    const decision = JSON.stringify((await prisma.document.findUniqueOrThrow({ where: { id: decided.documentId } })).model);
    expect(decision).toContain('“优秀第一书记”名额 1 名，空缺 1 名（原拟表扬对象经核查公示期间的异议属实取消表扬资格，无符合条件的递补人选）');
    expect(decision).not.toContain('甲异议');
    void notice;
  });

  it("nominates the committee's own cadres for a township-cadre category: the committee may, a branch may not, and the committee is never an organisation nominee", async () => {
    const z1 = (await makeBranch(prisma, committeeId, undefined, '乡干1村支部')).id;
    const cadre = (await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF, post: '组织委员' }], '甲乡干')).id;
    const villageCadre = (await makePerson(prisma, [{ orgId: z1, role: Role.BRANCH_STAFF, post: '村委会主任' }], '乙村干')).id;
    const branchStaff = await login((await makePerson(prisma, [{ orgId: z1, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], '丙支书')).username);
    const id = (
      await staff
        .post('/api/commendations', {
          year: YEAR,
          title: `${YEAR}年度乡镇干部评选`,
          categories: [
            { key: 'town', name: '优秀扶贫乡镇干部', quota: 2, target: 'PERSON' },
            { key: 'branch', name: '十强支部', quota: 1, target: 'ORG' },
          ],
          nominationWorkdays: 10,
          noticeWorkdays: 5,
          contact: '乡党建办',
        })
        .expect(201)
    ).body.id;
    await staff.post(`/api/commendations/${id}/start`).expect(200);
    // The round page offers the committee's own cadres beside the branches' people; not the committee as an organisation.
    const page = (await staff.get(`/commendations/${id}`).set('accept', 'text/html').expect(200)).text;
    expect(page).toContain(`value="p:${cadre}:${committeeId}"`);
    expect(page).toContain(`value="p:${villageCadre}:${z1}"`);
    expect(page).not.toContain(`value="o:${committeeId}"`);
    // Nominated from the page form.
    const sent = await staff.post(`/commendations/${id}/nominations`, {
      _csrf: staff.csrfToken,
      categoryKey: 'town',
      target: `p:${cadre}:${committeeId}`,
      reason: '驻村帮扶成效明显。',
    });
    expect(sent.status).toBe(303);
    const nominee = await prisma.commendationNominee.findFirstOrThrow({ where: { roundId: id, personId: cadre } });
    expect(nominee).toMatchObject({ orgId: committeeId, post: '组织委员', categoryKey: 'town' });
    // A branch nominates only its own people; the committee is not a nominee for 十强支部.
    expect(
      (await branchStaff.post(`/api/commendations/${id}/nominations`, { categoryKey: 'town', personId: cadre, orgId: committeeId, reason: '好。' })).status,
    ).toBe(403);
    await branchStaff.post(`/api/commendations/${id}/nominations`, { categoryKey: 'town', personId: villageCadre, orgId: z1, reason: '好。' }).expect(201);
    const asOrg = await staff.post(`/api/commendations/${id}/nominations`, { categoryKey: 'branch', orgId: committeeId, reason: '好。' });
    expect(asOrg.status).toBe(400);
    expect(asOrg.body.message + JSON.stringify(asOrg.body)).toContain('所选支部不在本党委管辖的在册支部中');
    await staff.post(`/api/commendations/${id}/cancel`, { reason: '测试结束' }).expect(200);
  });

  it('opens a real round on the working-day calendar: the nomination deadline and the 公示期 from the calendar', async () => {
    const branch = (await makeBranch(prisma, committeeId, undefined, '日历村支部')).id;
    const p = (await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_STAFF, post: '第一书记' }], '郑日历')).id;
    const id = (
      await staff
        .post('/api/commendations', {
          year: YEAR,
          title: `${YEAR}年度日历评选`,
          categories: [{ key: 'fs', name: '优秀第一书记', quota: 1, target: 'PERSON' }],
          nominationWorkdays: 5,
          contact: '乡党建办',
        })
        .expect(201)
    ).body.id;
    const started = (await staff.post(`/api/commendations/${id}/start`).expect(200)).body;
    const cal = await app.get(CalendarService).calendar();
    expect(new Date(started.nominationDueAt).toISOString()).toBe(cal.deadlineAfter(new Date(), 5, '17:30').toISOString());
    const n = (await staff.post(`/api/commendations/${id}/nominations`, { categoryKey: 'fs', personId: p, orgId: branch, reason: '成效明显。' }).expect(201))
      .body;
    const approvedFirst = (await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_STAFF, post: '第一书记' }], '冯先审')).id;
    const m = (
      await staff.post(`/api/commendations/${id}/nominations`, { categoryKey: 'fs', personId: approvedFirst, orgId: branch, reason: '成效明显。' }).expect(201)
    ).body;
    // Nominations closed early for the test: the deadline moved to the past, the workflow told.
    await prisma.commendationRound.update({ where: { id }, data: { nominationDueAt: new Date(Date.now() - 1000) } });
    const handle = (await app.get(TemporalClientService).client()).workflow.getHandle(commendationRoundWorkflowId(id));
    await handle.signal('commendationMoved');
    await waitFor(id, 'SELECTING');
    await staff.put(`/api/commendations/${id}/ranking`, { categoryKey: 'fs', order: [m.id, n.id] }).expect(200);
    await partySecretary
      .post(`/api/commendations/${id}/approval`, { meeting: '乡党委会议', heldOn: TODAY, categories: [{ categoryKey: 'fs', nomineeIds: [m.id] }] })
      .expect(200);
    // Checked again when the 公示 starts: 冯先审 received a 通报 after the approval, so the next-ranked takes the place.
    await measure(approvedFirst, branch, '通报', TODAY);
    const notice = (await staff.post(`/api/commendations/${id}/notice`).expect(200)).body;
    expect(notice.excluded).toEqual([{ nomineeId: m.id, rules: ['问责影响期内不得评优'] }]);
    expect((await prisma.commendationNotice.findUniqueOrThrow({ where: { id: notice.noticeId } })).nomineeIds).toEqual([n.id]);
    const shown = (await staff.get(`/api/commendations/${id}`).expect(200)).body.nominees.find((x: { id: string }) => x.id === m.id);
    expect(shown).toMatchObject({ status: 'INELIGIBLE', statusLabel: '不符合条件', eligibility: { stage: '公示', eligible: false } });
    expect(shown.eligibility.reasons[0].record).toContain(`${cn(TODAY)}受到通报`);
    const period = noticePeriod(cal, TODAY, 5);
    expect(notice).toMatchObject({ startsOn: period.startsOn, endsOn: period.endsOn });
    const doc = await prisma.document.findUniqueOrThrow({ where: { id: notice.documentId } });
    expect(JSON.stringify(doc.model)).toContain(`公示时间：${cn(period.startsOn)}至${cn(period.endsOn)}（5个工作日）`);
    // Before the period ends there is no decision.
    const early = await partySecretary.post(`/api/commendations/${id}/decision`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(`公示期至${cn(period.endsOn)}结束`);
    await staff.post(`/api/commendations/${id}/cancel`, { reason: '测试结束' }).expect(200);
    expect(await handle.result()).toBe('CANCELLED');
  });
});
