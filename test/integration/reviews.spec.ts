/** Lifecycle 4 on the real Temporal dev server: a 述职评议 round from set-up to the published 通报. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { cli } from '../support/cli';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const YEAR = new Date().getFullYear();
const REPORT = { results: '全年召开支部党员大会 12 次，发展党员 2 名。', problems: '党员活动室利用率不高。', measures: '明年一季度前建立活动室开放制度。' };
const items = (score: number) => ({ duty: score, organisation: score, development: score, team: score, conduct: score });

describe('述职评议 rounds', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let branchIds: string[];
  let secretaries: { id: string; username: string; session: ApiSession }[];
  let staff: ApiSession;
  let partySecretary: ApiSession;
  let raters: { id: string; session: ApiSession }[];
  let outsiderId: string;

  const login = async (username: string, membershipId?: string) => {
    const s = new ApiSession(app);
    expect((await s.login(username, PASSWORD)).status).toBe(200);
    if (membershipId) expect((await s.choose(membershipId)).status).toBe(200);
    return s;
  };
  /** R1 in 乡党委班子成员 (item scores), R2 in 党员代表 (grades; also the secretary of branch 0), R3 in 群众代表 (grades). */
  const round = (over: Record<string, unknown> = {}) => ({
    year: YEAR,
    title: `${YEAR}年度村（社区）党组织书记抓党建述职评议考核`,
    reportWorkdays: 3,
    scoringWorkdays: 5,
    subjects: branchIds.map((orgId) => ({ orgId })),
    raters: [
      { groupKey: 'committee', personId: raters[0].id },
      { groupKey: 'members', personId: raters[1].id },
      { groupKey: 'public', personId: raters[2].id },
    ],
    settings: { minBallotsToShow: 1 },
    ...over,
  });
  const subjectsOf = async (roundId: string) => {
    const rows = await prisma.reviewSubject.findMany({ where: { roundId } });
    return branchIds.map((orgId) => rows.find((r) => r.orgId === orgId)!);
  };

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共评议测试乡委员会', organCode: `评${Date.now() % 100000}发` });
    committeeId = committee.id;
    branchIds = [];
    for (let i = 1; i <= 4; i++) branchIds.push((await makeBranch(prisma, committeeId, undefined, `评议${i}村支部`)).id);
    staff = await login((await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建')).username);
    partySecretary = await login((await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记')).username);
    secretaries = [];
    const names = ['赵一', '钱二', '孙三', '李四'];
    for (const [i, orgId] of branchIds.entries()) {
      if (i === 0) continue;
      const p = await makePerson(prisma, [{ orgId, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], names[i]);
      secretaries[i] = { id: p.id, username: p.username, session: await login(p.username) };
    }
    // The secretary of branch 0 is also a rater (党员代表): 互评, never of himself.
    const both = await makePerson(
      prisma,
      [
        { orgId: branchIds[0], role: Role.BRANCH_SECRETARY, post: '党支部书记' },
        { orgId: committeeId, role: Role.EVALUATOR },
      ],
      names[0],
    );
    secretaries[0] = { id: both.id, username: both.username, session: await login(both.username, both.memberships[0].id) };
    const r1 = await makePerson(prisma, [{ orgId: committeeId, role: Role.EVALUATOR }], '周委员');
    const r3 = await makePerson(prisma, [{ orgId: committeeId, role: Role.EVALUATOR }], '吴代表');
    raters = [
      { id: r1.id, session: await login(r1.username) },
      { id: both.id, session: await login(both.username, both.memberships[1].id) },
      { id: r3.id, session: await login(r3.username) },
    ];
    outsiderId = (await makePerson(prisma, [{ orgId: committeeId, role: Role.INSPECTOR }], '郑督查')).id;
  });

  afterAll(async () => {
    Drills.clear();
    await worker.close();
    await app.close();
  });

  it('refuses a bad set-up in plain words and saves nothing', async () => {
    const before = await prisma.reviewRound.count();
    const bad = await staff.post(
      '/api/reviews',
      round({
        raters: [
          { groupKey: 'committee', personId: raters[0].id },
          { groupKey: 'members', personId: raters[0].id },
          { groupKey: 'public', personId: outsiderId },
        ],
        groups: [
          { key: 'committee', name: '乡党委班子成员', weight: 40, ballotKind: 'ITEMS' },
          { key: 'members', name: '党员代表', weight: 30, ballotKind: 'GRADE' },
          { key: 'public', name: '群众代表', weight: 20, ballotKind: 'GRADE' },
        ],
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('评分组权重之和应为 100');
    const again = await staff.post(
      '/api/reviews',
      round({
        raters: [
          { groupKey: 'committee', personId: raters[0].id },
          { groupKey: 'members', personId: raters[0].id },
          { groupKey: 'public', personId: outsiderId },
        ],
      }),
    );
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('“周委员”被列入了两个评分组');
    expect(again.body.message).toContain('“郑督查”在本党委没有评议人身份');
    expect(again.body.message).not.toMatch(/[A-Za-z]+\[\d+\]|personId|groupKey/);
    expect(await prisma.reviewRound.count()).toBe(before);
    // Only 党建办 sets rounds up; a rater or a branch is refused.
    expect((await raters[0].session.post('/api/reviews', round())).status).toBe(403);
    expect((await secretaries[1].session.post('/api/reviews', round())).status).toBe(403);
  });

  it('runs a round: reports, secret ballots with the cap, no totals before close, one formula, the 通报 and what follows 一般 and 差', async () => {
    // 日常考核 from the record: branch 1 passed one of two spot-check items this year.
    const spot = await prisma.spotCheckRound.create({
      data: {
        orgId: committeeId,
        scopeOrgId: committeeId,
        title: '年中抽查',
        mode: 'ANNOUNCED',
        target: 'BRANCH',
        checklist: [
          { key: 'a', text: '三会一课记录完整', kind: 'PASS_FAIL', evidence: 'NONE' },
          { key: 'b', text: '党员活动室规范', kind: 'PASS_FAIL', evidence: 'NONE' },
        ],
        rule: {},
        inspectorIds: [outsiderId],
        windowStart: new Date(),
        windowEnd: new Date(),
        status: 'CLOSED',
        createdById: outsiderId,
      },
    });
    const unit = await prisma.spotCheckUnit.create({
      data: { roundId: spot.id, unitId: branchIds[1], orgId: branchIds[1], label: '评议2村支部', inspectorId: outsiderId },
    });
    for (const [itemKey, passed] of [
      ['a', true],
      ['b', false],
    ] as const)
      await prisma.spotCheckFinding.create({
        data: { roundId: spot.id, unitRowId: unit.id, itemKey, passed, clientId: randomUUID(), recordedAt: new Date(), inspectorId: outsiderId },
      });

    const id = (await staff.post('/api/reviews', round()).expect(201)).body.id as string;
    // S0's person was put under 诫勉 this year: whatever the score, not 好.
    await prisma.accountabilityMeasure.create({
      data: { orgId: branchIds[0], personId: secretaries[0].id, kind: '诫勉', effectiveOn: `${YEAR}-03-02`, basis: '测委〔2026〕3号', createdById: outsiderId },
    });
    const daily = (await staff.get(`/api/reviews/${id}/daily`).expect(200)).body;
    const d1 = daily.orgs.find((o: { orgId: string }) => o.orgId === branchIds[1]);
    expect(d1.score).toBe(50);
    const pass = d1.figures.find((f: { key: string }) => f.key === 'spotCheckPassRate');
    expect(pass).toMatchObject({ good: 1, total: 2, rate: 50 });
    expect(pass.evidence.map((e: { href: string }) => e.href)).toEqual([`/spot-checks/${spot.id}`, `/spot-checks/${spot.id}`]);

    Drills.set(id, 3);
    // The round page's live status: unchanged (304 on its ETag) until the round moves, then a new token.
    const live = (await staff.get(`/reviews/${id}/status`).expect(200)).body.version;
    expect((await staff.get(`/reviews/${id}/status`).set('if-none-match', `"${live}"`)).status).toBe(304);
    expect((await staff.get(`/reviews/${id}`).set('accept', 'text/html').expect(200)).text).toContain(`data-live-version="${live}"`);
    await staff.post(`/api/reviews/${id}/start`).expect(200);
    expect((await staff.get(`/reviews/${id}/status`).expect(200)).body.version).not.toBe(live);
    const subjects = await subjectsOf(id);
    // Each secretary's organisation files its 述职报告 through the filing machinery.
    for (const [i, s] of secretaries.entries()) {
      const filingId = subjects[i].filingId as string;
      const res = await s.session.post(`/api/filings/${filingId}/submit`, { values: { ...REPORT, results: `${REPORT.results}（${i + 1}）` } });
      expect([res.status, res.body.message]).toEqual([200, undefined]);
    }
    // Before scoring opens, a rater cannot vote; nobody sees totals.
    const early = await raters[0].session.post(`/api/reviews/${id}/ballot`, { entries: [] });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('评分尚未开始');

    await eventually(
      async () => (await prisma.reviewRound.findUniqueOrThrow({ where: { id } })).status,
      (s) => s === 'SCORING',
      30_000,
      '评分开始',
    );
    // Each rater has a 评议打分 task in their inbox.
    const inbox = (await raters[2].session.get('/api/inbox?kind=BALLOT').expect(200)).body.items;
    expect(inbox.map((t: { title: string }) => t.title)).toEqual([expect.stringContaining('评议打分')]);
    expect((await staff.get(`/api/reviews/${id}/results`)).status).toBe(409);
    expect((await staff.get(`/api/reviews/${id}`).expect(200)).body.results).toBeNull();

    // R2 is the secretary of branch 0: his sheet leaves himself out, with the reason, and shows the others' reports.
    const sheet = (await raters[1].session.get(`/api/reviews/${id}/ballot`).expect(200)).body;
    expect(sheet.subjects.map((s: { id: string }) => s.id)).toEqual([subjects[1].id, subjects[2].id, subjects[3].id]);
    expect(sheet.excluded).toEqual([expect.objectContaining({ name: '赵一', reason: '不能为本人评分' })]);
    expect(sheet.subjects[0].report.values.results).toContain('（2）');
    expect(sheet.topGrade.cap).toBe(1);
    const self = await raters[1].session.post(`/api/reviews/${id}/ballot`, { entries: [{ subjectId: subjects[0].id, grade: 'GOOD' }] });
    expect(self.status).toBe(400);
    expect(self.body.message).toContain('赵一：不能为本人评分');
    // Nobody else's sheet is reachable, and a branch cannot read ballots.
    expect((await outsiderSession()).status).toBe(404);
    expect((await secretaries[1].session.get(`/api/reviews/${id}/ballot`)).status).toBe(403);

    // A draft keeps what is valid and says what it could not keep.
    const draft = await raters[2].session.put(`/api/reviews/${id}/ballot/draft`, {
      entries: [
        { subjectId: subjects[0].id, grade: 'GOOD' },
        { subjectId: subjects[3].id, abstain: true },
      ],
    });
    expect(draft.status).toBe(200);
    expect(draft.body.saved).toBe(1);
    expect(draft.body.problems.map((p: { message: string }) => p.message)).toEqual(['对李四弃权须写明理由']);
    expect((await raters[2].session.get(`/api/reviews/${id}/ballot`).expect(200)).body.draft).toEqual({ [subjects[0].id]: { grade: 'GOOD' } });

    // The cap on 好: one of the four R3 scores.
    const capped = await raters[2].session.post(`/api/reviews/${id}/ballot`, {
      entries: [
        { subjectId: subjects[0].id, grade: 'GOOD' },
        { subjectId: subjects[1].id, grade: 'GOOD' },
        { subjectId: subjects[2].id, grade: 'AVERAGE' },
        { subjectId: subjects[3].id, abstain: true, reason: '不了解该村情况' },
      ],
    });
    expect(capped.status).toBe(400);
    expect(capped.body.message).toContain('评为“好”的最多 1 人');
    // A sheet with a secretary left out is refused, naming who.
    const partial = await raters[2].session.post(`/api/reviews/${id}/ballot`, { entries: [{ subjectId: subjects[0].id, grade: 'GOOD' }] });
    expect(partial.status).toBe(400);
    expect(partial.body.message).toContain('还有 3 人未评分：钱二、孙三、李四');

    const r3sheet = {
      entries: [
        { subjectId: subjects[0].id, grade: 'GOOD' },
        { subjectId: subjects[1].id, grade: 'FAIRLY_GOOD' },
        { subjectId: subjects[2].id, grade: 'AVERAGE' },
        { subjectId: subjects[3].id, abstain: true, reason: '不了解该村情况' },
      ],
    };
    // Two tabs casting at once: one sheet is counted, the other told.
    const [a, b] = await Promise.all([
      raters[2].session.post(`/api/reviews/${id}/ballot`, r3sheet),
      raters[2].session.post(`/api/reviews/${id}/ballot`, r3sheet),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).body.message).toContain('您已投票');
    await raters[0].session
      .post(`/api/reviews/${id}/ballot`, {
        entries: [
          { subjectId: subjects[0].id, items: items(18) },
          { subjectId: subjects[1].id, items: items(16) },
          { subjectId: subjects[2].id, items: items(12) },
          { subjectId: subjects[3].id, items: items(10) },
        ],
      })
      .expect(200);
    // Still no totals while one rater has not voted.
    expect((await partySecretary.get(`/api/reviews/${id}/results`)).status).toBe(409);
    await raters[1].session
      .post(`/api/reviews/${id}/ballot`, {
        entries: [
          { subjectId: subjects[1].id, grade: 'GOOD' },
          { subjectId: subjects[2].id, grade: 'AVERAGE' },
          { subjectId: subjects[3].id, grade: 'POOR' },
        ],
      })
      .expect(200);

    // Everyone has voted: the round closes without waiting for the window's end.
    const closedAt = await eventually(
      async () => prisma.reviewRound.findUniqueOrThrow({ where: { id } }),
      (r) => r.status === 'CLOSED',
      20_000,
      '全部投票后结束评分',
    );
    expect(closedAt.closedAt!.getTime()).toBeLessThan(closedAt.scoringEndsAt!.getTime());
    // The ballots carry no rater: the table has no column for one, nor a time.
    const cols = await prisma.$queryRaw<
      { column_name: string }[]
    >`SELECT column_name::text AS column_name FROM information_schema.columns WHERE table_name = 'review_ballot'`;
    expect(cols.map((c) => c.column_name).sort()).toEqual(['abstain', 'grade', 'group_key', 'id', 'items', 'reason', 'round_id', 'subject_id']);
    expect(await prisma.reviewBallot.count({ where: { roundId: id } })).toBe(11);

    const results = (await partySecretary.get(`/api/reviews/${id}/results`).expect(200)).body;
    const byId = (sid: string) => results.results.find((r: { subjectId: string }) => r.subjectId === sid);
    // S0: (90×40 + 100×30) ÷ 70 = 94.29, no record → 94.29; 好 by score, but 诫勉 this year → 较好.
    expect(byId(subjects[0].id)).toMatchObject({ total: 94.29, grade: 'FAIRLY_GOOD', cappedFrom: 'GOOD', rank: 1, missingGroups: ['members'] });
    expect(byId(subjects[0].id).capReason).toContain('诫勉');
    // S1: 80×40% + 100×30% + 80×30% = 86; with 日常考核 50: 86×70% + 50×30% = 75.2 → 一般.
    expect(byId(subjects[1].id)).toMatchObject({ ballotPart: 86, daily: 50, total: 75.2, grade: 'AVERAGE', rank: 2 });
    expect(byId(subjects[2].id)).toMatchObject({ total: 60, grade: 'AVERAGE', rank: 3 });
    // S3: R3 abstained — not a zero: (50×40 + 40×30) ÷ 70 = 45.71 → 差.
    expect(byId(subjects[3].id)).toMatchObject({ total: 45.71, grade: 'POOR', rank: 4 });
    expect(byId(subjects[3].id).groups.find((g: { key: string }) => g.key === 'public')).toMatchObject({ valid: 0, abstentions: 1, mean: null });
    // The roster's count and the ballot box agree, per group.
    expect(results.counts).toEqual([
      { key: 'committee', name: '乡党委班子成员', raters: 1, voted: 1, expected: 4, ballots: 4 },
      { key: 'members', name: '党员代表', raters: 1, voted: 1, expected: 3, ballots: 3 },
      { key: 'public', name: '群众代表', raters: 1, voted: 1, expected: 4, ballots: 4 },
    ]);
    expect(results.label).toBe('述职评议计分公式 第 1 版');

    // The exported ballots recount to the same totals with the CLI.
    const exported = await staff.get(`/api/reviews/${id}/ballots.json`).expect(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'review-')), 'ballots.json');
    fs.writeFileSync(file, typeof exported.body === 'object' && !Buffer.isBuffer(exported.body) ? JSON.stringify(exported.body) : exported.text);
    expect(exported.text).not.toContain(raters[0].id);
    const out = cli('aggregate', file);
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
    for (const total of ['94.29', '75.20', '60.00', '45.71']) expect(out.out).toContain(total);

    const xlsx = await staff
      .get(`/api/reviews/${id}/results.xlsx`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');

    // Only the party secretary publishes; the 通报 is a numbered, archived document.
    expect((await staff.post(`/api/reviews/${id}/publish`)).status).toBe(403);
    const published = (await partySecretary.post(`/api/reviews/${id}/publish`).expect(200)).body;
    expect(published.docNumber).toMatch(/^评\d+发〔\d{4}〕\d+号$/);
    expect(published.remedies).toBe(3);
    const pdf = await partySecretary.get(`/api/documents/${published.documentId}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect((await partySecretary.post(`/api/reviews/${id}/publish`)).status).toBe(409);

    // 一般 and 差: an accountability proposal with the evidence, and a 整改方案 in the branch's inbox.
    const proposals = await prisma.accountabilityProposal.findMany({ where: { trigger: 'LOW_GRADE', sourceId: { in: subjects.map((s) => s.id) } } });
    expect(proposals.map((p) => p.personId).sort()).toEqual([secretaries[1].id, secretaries[2].id, secretaries[3].id].sort());
    expect(proposals.find((p) => p.personId === secretaries[3].id)!.evidence).toMatchObject({ grade: '差', total: 45.71, notice: published.docNumber });
    const remedy = await eventually(
      async () => (await secretaries[3].session.get('/api/inbox?kind=FILING').expect(200)).body.items as { title: string }[],
      (items) => items.some((t) => t.title.startsWith('整改方案')),
      20_000,
      '整改方案待办',
    );
    expect(remedy.some((t) => t.title.startsWith('整改方案'))).toBe(true);
    const audit = await prisma.auditLog.findMany({ where: { entityId: id }, select: { action: true, data: true } });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'review.round.create',
        'review.round.start',
        'review.round.scoring',
        'review.ballot.cast',
        'review.round.close',
        'review.round.publish',
      ]),
    );
    // The audit says who voted and how many ballots — never a grade or a score.
    for (const a of audit.filter((x) => x.action === 'review.ballot.cast')) expect(JSON.stringify(a.data)).not.toMatch(/GOOD|AVERAGE|POOR|grade|items/);

    async function outsiderSession() {
      const p = await makePerson(prisma, [{ orgId: committeeId, role: Role.EVALUATOR }], '王旁观');
      return (await login(p.username)).get(`/api/reviews/${id}/ballot`);
    }
  }, 120_000);

  it('reminds raters who have not voted and closes at the end of the window; missing ballots are not zeros', async () => {
    const id = (
      await staff
        .post('/api/reviews', round({ reportWorkdays: 1, scoringWorkdays: 3, subjects: branchIds.slice(1, 3).map((orgId) => ({ orgId })) }))
        .expect(201)
    ).body.id;
    Drills.set(id, 3);
    await staff.post(`/api/reviews/${id}/start`).expect(200);
    const closed = await eventually(
      async () => prisma.reviewRound.findUniqueOrThrow({ where: { id } }),
      (r) => r.status === 'CLOSED',
      45_000,
      '评分期结束',
    );
    expect(closed.closedAt!.getTime()).toBeGreaterThanOrEqual(closed.scoringEndsAt!.getTime() - 1000);
    const reminders = await prisma.notification.findMany({ where: { key: { startsWith: `remind:review:${id}:` } } });
    // Two reminders (end − 2 steps, end − 1 step) to each of the three raters.
    expect(reminders).toHaveLength(6);
    expect(new Set(reminders.map((n) => n.personId))).toEqual(new Set(raters.map((r) => r.id)));
    expect(reminders[0].message).toContain('评分');
    const results = (await staff.get(`/api/reviews/${id}/results`).expect(200)).body;
    for (const r of results.results) expect(r).toMatchObject({ total: null, grade: null, rank: null });
    // The ballot tasks of raters who never voted are closed, not left open.
    expect(await prisma.task.count({ where: { originType: 'review_round', originId: id, kind: 'BALLOT', status: 'OPEN' } })).toBe(0);
    const told = await prisma.notification.findFirst({ where: { key: `review-closed:${id}` } });
    expect(told?.message).toContain('3 名评分人未投票');
    const late = await raters[0].session.post(`/api/reviews/${id}/ballot`, { entries: [] });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('评分期已结束');
  }, 90_000);

  it('a 自评 group: each secretary grades themselves in the report, and that grade counts as the group’s ballot', async () => {
    const groups = [
      { key: 'committee', name: '乡党委班子成员', weight: 60, ballotKind: 'ITEMS' },
      { key: 'self', name: '书记自评', weight: 40, ballotKind: 'SELF' },
    ];
    const subjects = branchIds.slice(2, 4).map((orgId) => ({ orgId }));
    const refused = await staff.post('/api/reviews', round({ groups, subjects, raters: [{ groupKey: 'self', personId: raters[0].id }] }));
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('书记自评组不设评分人');
    const id = (
      await staff
        .post('/api/reviews', round({ groups, subjects, raters: [{ groupKey: 'committee', personId: raters[0].id }], reportWorkdays: 2, scoringWorkdays: 5 }))
        .expect(201)
    ).body.id as string;
    Drills.set(id, 3);
    await staff.post(`/api/reviews/${id}/start`).expect(200);
    const rows = await subjectsOf(id);
    const [s2, s3] = [rows[2], rows[3]];
    // The report asks for the 自评等次; without it nothing is submitted.
    const missing = await secretaries[2].session.post(`/api/filings/${s2.filingId}/submit`, { values: REPORT });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('自评等次');
    await secretaries[2].session.post(`/api/filings/${s2.filingId}/submit`, { values: { ...REPORT, selfGrade: 'FAIRLY_GOOD' } }).expect(200);
    await secretaries[3].session.post(`/api/filings/${s3.filingId}/submit`, { values: { ...REPORT, selfGrade: 'GOOD' } }).expect(200);
    await eventually(
      async () => (await prisma.reviewRound.findUniqueOrThrow({ where: { id } })).status,
      (st) => st === 'SCORING',
      30_000,
      '评分开始',
    );
    await raters[0].session
      .post(`/api/reviews/${id}/ballot`, {
        entries: [
          { subjectId: s2.id, items: items(16) },
          { subjectId: s3.id, items: items(12) },
        ],
      })
      .expect(200);
    await eventually(
      async () => (await prisma.reviewRound.findUniqueOrThrow({ where: { id } })).status,
      (st) => st === 'CLOSED',
      20_000,
      '评分结束',
    );
    const results = (await staff.get(`/api/reviews/${id}/results`).expect(200)).body;
    const of = (sid: string) => results.results.find((r: { subjectId: string }) => r.subjectId === sid);
    // S2: 80 × 60% + 较好 80 × 40% = 80; S3: 60 × 60% + 好 100 × 40% = 76.
    expect(of(s2.id)).toMatchObject({ total: 80, grade: 'FAIRLY_GOOD', rank: 1 });
    expect(of(s3.id)).toMatchObject({ total: 76, grade: 'AVERAGE', rank: 2 });
    expect(results.counts.find((c: { key: string }) => c.key === 'self')).toEqual({
      key: 'self',
      name: '书记自评',
      raters: 2,
      voted: 2,
      expected: 2,
      ballots: 2,
    });
    // The exported file recounts the same, the 自评 ballots among the others.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'review-')), 'ballots.json');
    fs.writeFileSync(file, (await staff.get(`/api/reviews/${id}/ballots.json`).expect(200)).text);
    const out = cli('aggregate', file);
    expect(out.code).toBe(0);
    expect(out.out).toContain('80.00');
    expect(out.out).toContain('76.00');
  }, 90_000);
});
