/** Lifecycle 3 on the real Temporal dev server: rounds, reproducible draws, findings with photos, rectification and its verification. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { draw, parseRule, SamplingInput } from '../../apps/server/src/spot-checks/sampling';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { cli, ROOT } from '../support/cli';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const PHOTO = fs.readFileSync(path.join(ROOT, 'test/fixtures/site-photo.jpg'));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const CHECKLIST = [
  { text: '“三会一课”记录完整', kind: 'PASS_FAIL', evidence: 'PHOTO' },
  { text: '党员活动室规范', kind: 'SCORE', maxScore: 10, passScore: 6, evidence: 'NOTE' },
];

describe('spot checks and rectification', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let groups: string[];
  let branchIds: string[];
  let staff: ApiSession;
  let inspectorA: ApiSession; // also staff of branch 0
  let inspectorB: ApiSession;
  let inspectorAId: string;
  let inspectorBId: string;
  let branch: ApiSession[];

  const login = async (username: string, membershipId?: string) => {
    const s = new ApiSession(app);
    expect((await s.login(username, PASSWORD)).status).toBe(200);
    if (membershipId) expect((await s.choose(membershipId)).status).toBe(200);
    return s;
  };
  const round = (over: Record<string, unknown> = {}) => ({
    title: '2017年第二季度党支部抽查',
    scopeOrgId: committeeId,
    mode: 'ANNOUNCED',
    target: 'BRANCH',
    checklist: CHECKLIST,
    rule: { levels: [{ level: 0, min: 3 }] },
    inspectorIds: [inspectorAId, inspectorBId],
    windowStart: inSeconds(-60),
    windowEnd: inSeconds(3600),
    ...over,
  });
  const createAndDraw = async (over: Record<string, unknown> = {}, seed = `seed-${randomUUID()}`) => {
    const id = (await staff.post('/api/spot-checks', round(over)).expect(201)).body.id as string;
    const drawn = (await staff.post(`/api/spot-checks/${id}/draw`, { seed }).expect(200)).body;
    return { id, drawn };
  };
  const unitsOf = async (roundId: string) => prisma.spotCheckUnit.findMany({ where: { roundId }, orderBy: { label: 'asc' } });
  const upload = async (s: ApiSession, name = '现场.jpg') =>
    (await s.agent.post('/api/files').set('x-csrf-token', s.csrfToken).attach('file', PHOTO, { filename: name, contentType: 'image/jpeg' }).expect(201)).body;
  const sessionOfInspector = (inspectorId: string) => (inspectorId === inspectorAId ? inspectorA : inspectorB);

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // 乡党委 → two 党总支 → three village branches each (levels 0, 1, 2 below the scope root).
    const committee = await makeCommittee(prisma, { name: '中共抽查测试乡委员会', organCode: `抽${Date.now() % 100000}发` });
    committeeId = committee.id;
    groups = [];
    branchIds = [];
    for (const g of ['第一党总支', '第二党总支']) {
      const group = await prisma.organization.create({
        data: { code: `G-${randomUUID().slice(0, 8)}`, name: g, kind: OrgKind.COMMITTEE, parentId: committeeId },
      });
      groups.push(group.id);
      for (let i = 1; i <= 3; i++) branchIds.push((await makeBranch(prisma, group.id, OrgKind.VILLAGE, `${g}${i}村支部`)).id);
    }
    const staffP = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建');
    const a = await makePerson(
      prisma,
      [
        { orgId: committeeId, role: Role.INSPECTOR },
        { orgId: branchIds[0], role: Role.BRANCH_STAFF },
      ],
      '甲督查',
    );
    const b = await makePerson(prisma, [{ orgId: committeeId, role: Role.INSPECTOR }], '乙督查');
    inspectorAId = a.id;
    inspectorBId = b.id;
    staff = await login(staffP.username);
    inspectorA = await login(a.username, a.memberships[0].id);
    inspectorB = await login(b.username);
    branch = [];
    for (const [i, orgId] of branchIds.entries()) {
      const p = await makePerson(prisma, [{ orgId, role: Role.BRANCH_SECRETARY }], `书记${i + 1}`);
      branch.push(await login(p.username));
    }
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it('a bad round is refused field by field in Chinese and nothing is saved', async () => {
    const before = await prisma.spotCheckRound.count();
    const res = await staff.post(
      '/api/spot-checks',
      round({ checklist: [{ text: '', kind: 'STARS' }], rule: { levels: [{ level: 0, min: 3, max: 2 }] }, windowEnd: inSeconds(-3600) }),
    );
    expect(res.status).toBe(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['checklist[0].text', 'checklist[0].kind', 'windowEnd']));
    expect(fields.some((f: string) => f.startsWith('levels[0]') || f.startsWith('rule'))).toBe(true);
    expect(res.body.message).toMatch(/检查内容|结束时间/);
    expect(await prisma.spotCheckRound.count()).toBe(before);
    expect((await branch[0].post('/api/spot-checks', round())).status).toBe(403);
  });

  it('a rule that cannot be satisfied is refused with the reason, not shrunk', async () => {
    const id = (await staff.post('/api/spot-checks', round({ rule: { levels: [{ level: 0, min: 10 }] } })).expect(201)).body.id;
    const res = await staff.post(`/api/spot-checks/${id}/draw`, { seed: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('至少抽取10个');
    expect(res.body.message).toContain('只有6个');
    expect((await prisma.spotCheckRound.findUniqueOrThrow({ where: { id } })).status).toBe('PLANNED');
    expect(await prisma.spotCheckUnit.count({ where: { roundId: id } })).toBe(0);
  });

  it('draws per level with the stored seed, and the CLI reproduces the stored draw exactly', async () => {
    const { id, drawn } = await createAndDraw(
      {
        rule: {
          levels: [
            { level: 0, min: 3 },
            { level: 1, min: 1, max: 2 },
          ],
        },
      },
      'season-2017-q2',
    );
    expect(drawn.seed).toBe('season-2017-q2');
    expect(drawn.selected).toHaveLength(3);
    // Every 党总支 gets one or two.
    const units = await unitsOf(id);
    const perGroup = [0, 1].map((g) => units.filter((u) => Math.floor(branchIds.indexOf(u.orgId) / 3) === g).length);
    expect(perGroup.sort()).toEqual([1, 2]);

    const files = (await staff.get(`/api/spot-checks/${id}/sample`).expect(200)).body;
    expect(files.seed).toBe('season-2017-q2');
    expect(draw(parseRule(files.rule), files.orgs as SamplingInput, files.seed).selected).toEqual(files.selected);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-round-'));
    try {
      fs.writeFileSync(path.join(dir, 'rule.json'), JSON.stringify(files.rule));
      fs.writeFileSync(path.join(dir, 'orgs.json'), JSON.stringify(files.orgs));
      const r = cli('sample', '--rule', path.join(dir, 'rule.json'), '--orgs', path.join(dir, 'orgs.json'), '--seed', files.seed);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out.trim().split('\n')).toEqual(units.map((u) => u.unitId).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Drawn once: a second draw is refused.
    expect((await staff.post(`/api/spot-checks/${id}/draw`, {})).status).toBe(409);
  });

  it('samples people by post per 党总支 and leaves out those checked in the last rounds when asked', async () => {
    const members: { id: string }[] = [];
    for (const [i, orgId] of branchIds.entries())
      members.push(await makePerson(prisma, [{ orgId, role: Role.BRANCH_STAFF, post: '驻村工作队员' }], `队员${i + 1}`));
    const person = { target: 'PERSON', targetPost: '驻村工作队员' };
    const first = await createAndDraw({ ...person, rule: { levels: [{ level: 1, min: 1, max: 1 }] } });
    const firstIds = (await unitsOf(first.id)).map((u) => u.unitId);
    expect(firstIds).toHaveLength(2);
    expect(firstIds.every((id) => members.some((m) => m.id === id))).toBe(true);
    expect(first.drawn.selected.map((u: { label: string }) => u.label).join()).toMatch(/队员\d（第.党总支\d村支部）/);
    // Everyone not checked last round: 6 − 2 = 4.
    const second = await createAndDraw({ ...person, rule: { levels: [{ level: 0, all: true }], excludeRecentRounds: 1 } });
    const secondIds = (await unitsOf(second.id)).map((u) => u.unitId);
    expect(secondIds).toHaveLength(4);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect([...second.drawn.excluded].sort()).toEqual([...firstIds].sort());
    // Asking for more than remain is refused with the exclusions named.
    const third = (await staff.post('/api/spot-checks', round({ ...person, rule: { levels: [{ level: 0, min: 5 }], excludeRecentRounds: 1 } })).expect(201))
      .body.id;
    const refused = await staff.post(`/api/spot-checks/${third}/draw`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('排除');
  });

  it('never assigns an inspector to their own organisation, and balances the load', async () => {
    const { id } = await createAndDraw({ rule: { levels: [{ level: 0, all: true }] } });
    const units = await unitsOf(id);
    expect(units).toHaveLength(6);
    expect(units.find((u) => u.orgId === branchIds[0])?.inspectorId).toBe(inspectorBId);
    expect(units.filter((u) => u.inspectorId === inspectorAId)).toHaveLength(3);
    // Each inspector has one inspection task per unit in the inbox.
    const inbox = (await inspectorA.get('/api/inbox?kind=INSPECTION&limit=100').expect(200)).body.items.filter((t: { title: string }) =>
      t.title.includes('2017年第二季度'),
    );
    expect(inbox.length).toBeGreaterThanOrEqual(3);
  });

  it('an unannounced round stays hidden from a checked branch until a finding on it is recorded, and a branch never sees others', async () => {
    const { id } = await createAndDraw({ mode: 'UNANNOUNCED', rule: { levels: [{ level: 0, all: true }] } });
    const units = await unitsOf(id);
    const u1 = units.find((u) => u.orgId === branchIds[1]);
    expect(u1).toBeDefined();
    expect((await branch[1].get(`/api/spot-checks/${id}`)).status).toBe(404);
    expect((await branch[1].get('/api/spot-checks').expect(200)).body.map((r: { id: string }) => r.id)).not.toContain(id);

    const insp = sessionOfInspector(u1!.inspectorId);
    await insp
      .post(`/api/spot-checks/${id}/findings`, { clientId: randomUUID(), unitId: u1!.id, itemKey: 'i2', score: 8, recordedAt: new Date().toISOString() })
      .expect(200);
    const seen = (await branch[1].get(`/api/spot-checks/${id}`).expect(200)).body;
    expect(seen.units.map((u: { orgId: string }) => u.orgId)).toEqual([branchIds[1]]);
    expect(seen.seed).toBeUndefined();
    expect((await branch[2].get(`/api/spot-checks/${id}`)).status).toBe(404);
    expect((await branch[1].get(`/api/spot-checks/${id}/report`)).status).toBe(404);
  });

  it('stores an offline finding sent twice (even at once) only once, with the photo and its EXIF time', async () => {
    const { id } = await createAndDraw({ rule: { levels: [{ level: 0, all: true }] } });
    const unit = (await unitsOf(id)).find((u) => u.orgId === branchIds[3])!;
    const insp = sessionOfInspector(unit.inspectorId);
    const other = sessionOfInspector(unit.inspectorId === inspectorAId ? inspectorBId : inspectorAId);
    const photo = await upload(insp);
    const finding = {
      clientId: randomUUID(),
      unitId: unit.id,
      itemKey: 'i1',
      passed: false,
      severity: '较重',
      notes: '2017年以来未记录支委会',
      photos: [photo],
      recordedAt: '2026-11-20T02:31:00.000Z',
    };
    // Failed without the required photo, a score out of range, an item not on the list: each named.
    const bad = await insp.post(`/api/spot-checks/${id}/findings`, { ...finding, clientId: randomUUID(), photos: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['photos']);
    expect(
      (await insp.post(`/api/spot-checks/${id}/findings`, { ...finding, clientId: randomUUID(), itemKey: 'i2', score: 11, passed: undefined })).body.fields[0]
        .field,
    ).toBe('score');
    expect((await insp.post(`/api/spot-checks/${id}/findings`, { ...finding, clientId: randomUUID(), itemKey: 'zz' })).status).toBe(400);
    // Someone else's unit; a branch.
    expect((await other.post(`/api/spot-checks/${id}/findings`, { ...finding, clientId: randomUUID() })).status).toBe(403);
    expect((await branch[3].post(`/api/spot-checks/${id}/findings`, { ...finding, clientId: randomUUID() })).status).toBe(403);

    const [first, second] = await Promise.all([insp.post(`/api/spot-checks/${id}/findings`, finding), insp.post(`/api/spot-checks/${id}/findings`, finding)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await insp.post(`/api/spot-checks/${id}/findings`, finding).expect(200);
    expect(third.body.duplicate).toBe(true);
    const stored = await prisma.spotCheckFinding.findMany({ where: { roundId: id } });
    expect(stored).toHaveLength(1);
    expect(stored[0].passed).toBe(false);
    expect(stored[0].photos).toEqual([expect.objectContaining({ sha256: photo.sha256, takenAt: '2026-11-20T02:30:00.000Z' })]);
    expect(await prisma.auditLog.count({ where: { action: 'spotcheck.finding.record', entityId: stored[0].id } })).toBe(1);

    // The branch may open the photo of its own finding; another branch may not.
    const img = await branch[3].get(`/api/spot-checks/findings/${stored[0].id}/photos/${photo.sha256}`).expect(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect((await branch[4].get(`/api/spot-checks/findings/${stored[0].id}/photos/${photo.sha256}`)).status).toBe(404);
    const detail = (await branch[4].get(`/api/spot-checks/${id}`).expect(200)).body;
    expect(detail.units.every((u: { orgId: string }) => u.orgId === branchIds[4])).toBe(true);
  });

  it('rectification: the branch reports, the inspector returns it with a new deadline, the branch resubmits, the inspector accepts', async () => {
    const { id } = await createAndDraw({ rule: { levels: [{ level: 0, all: true }] } });
    const unit = (await unitsOf(id)).find((u) => u.orgId === branchIds[4])!;
    const insp = sessionOfInspector(unit.inspectorId);
    const other = sessionOfInspector(unit.inspectorId === inspectorAId ? inspectorBId : inspectorAId);
    const photo = await upload(insp);
    const f = (
      await insp
        .post(`/api/spot-checks/${id}/findings`, {
          clientId: randomUUID(),
          unitId: unit.id,
          itemKey: 'i1',
          passed: false,
          photos: [photo],
          notes: '记录缺失',
          recordedAt: new Date().toISOString(),
        })
        .expect(200)
    ).body;
    await insp
      .post(`/api/spot-checks/${id}/findings`, { clientId: randomUUID(), unitId: unit.id, itemKey: 'i2', score: 9, recordedAt: new Date().toISOString() })
      .expect(200);
    // All items recorded: the inspection task is done.
    expect((await prisma.task.findUniqueOrThrow({ where: { key: `inspect:${unit.id}` } })).status).toBe('DONE');
    const passedFinding = await prisma.spotCheckFinding.findFirstOrThrow({ where: { unitRowId: unit.id, itemKey: 'i2' } });
    expect((await insp.post(`/api/spot-checks/findings/${passedFinding.id}/rectification`, {})).status).toBe(409);
    expect((await other.post(`/api/spot-checks/findings/${f.id}/rectification`, {})).status).toBe(403);

    const rect = (await insp.post(`/api/spot-checks/findings/${f.id}/rectification`, { deadlineWorkdays: 5, instructions: '补齐记录' }).expect(201)).body;
    expect((await insp.post(`/api/spot-checks/findings/${f.id}/rectification`, {})).status).toBe(409);
    const task = (await branch[4].get('/api/inbox?kind=FILING').expect(200)).body.items.find((t: { title: string }) => t.title.startsWith('整改：'));
    expect(task.title).toContain('“三会一课”记录完整');
    const filing = (await branch[4].get(`/api/filings/${rect.filingId}`).expect(200)).body;
    expect(filing.draft.problem).toContain('记录缺失');
    expect((await branch[5].get(`/api/filings/${rect.filingId}`)).status).toBe(404);

    const evidence = await upload(branch[4], '整改后.jpg');
    const values = { problem: filing.draft.problem, measures: '补记支委会记录，建立台账', status: 'done', completedOn: '2026-11-21', evidence: [evidence] };
    await eventually(
      async () => (await branch[4].post(`/api/filings/${rect.filingId}/submit`, { values })).status,
      (s) => s === 200,
      15_000,
      '整改报告提交',
    );
    expect((await other.post(`/api/filings/${rect.filingId}/review`, { decision: 'ACCEPT', comment: '' })).status).toBe(403);
    await insp.post(`/api/filings/${rect.filingId}/review`, { decision: 'RETURN', comment: '缺少整改后照片', newDeadline: inSeconds(3600) }).expect(200);
    expect((await prisma.filing.findUniqueOrThrow({ where: { id: rect.filingId } })).status).toBe('RETURNED');
    await branch[4].post(`/api/filings/${rect.filingId}/submit`, { values: { ...values, measures: '补记记录并附整改后照片' } }).expect(200);
    await insp.post(`/api/filings/${rect.filingId}/review`, { decision: 'ACCEPT', comment: '整改到位' }).expect(200);
    expect((await prisma.filing.findUniqueOrThrow({ where: { id: rect.filingId } })).status).toBe('ACCEPTED');

    const report = (await staff.get(`/api/spot-checks/${id}/report`).expect(200)).body;
    const row = report.units.find((u: { orgId: string }) => u.orgId === branchIds[4]);
    expect(row.rectifications).toEqual({ total: 1, closed: 1, open: 0, overdue: 0 });
    expect(report.totals).toEqual(expect.objectContaining({ findings: 2, passed: 1, failed: 1, rectifications: 1, rectificationsClosed: 1 }));
    const level0 = report.levels.find((l: { level: number }) => l.level === 0).strata[0];
    expect(level0).toEqual(expect.objectContaining({ orgId: committeeId, items: 2, passed: 1, rate: 0.5 }));
    // Per 党总支: the second has the checked branch; the first had units drawn but nothing recorded yet.
    expect(report.levels.find((l: { level: number }) => l.level === 1).strata.map((s: { name: string; rate: number | null }) => [s.name, s.rate])).toEqual([
      ['第二党总支', 0.5],
      ['第一党总支', null],
    ]);

    const pdf = await staff.get(`/api/spot-checks/${id}/report.pdf`).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = path.join(os.tmpdir(), `spot-${id}.pdf`);
    fs.writeFileSync(file, pdf.body as Buffer);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
    fs.rmSync(file);
    expect(text).toContain('关于2017年第二季度党支部抽查情况的通报');
    expect(text).toContain('合格率50%');
    expect(text).toContain('记录缺失');
  });

  it('an overdue rectification is marked, the committee told, and an accountability proposal records the finding', async () => {
    const { id } = await createAndDraw({ rule: { levels: [{ level: 0, all: true }] } });
    const unit = (await unitsOf(id)).find((u) => u.orgId === branchIds[5])!;
    const insp = sessionOfInspector(unit.inspectorId);
    const f = (
      await insp
        .post(`/api/spot-checks/${id}/findings`, {
          clientId: randomUUID(),
          unitId: unit.id,
          itemKey: 'i2',
          score: 3,
          notes: '活动室堆放杂物',
          recordedAt: new Date().toISOString(),
        })
        .expect(200)
    ).body;
    const rect = (await insp.post(`/api/spot-checks/findings/${f.id}/rectification`, { deadlineAt: inSeconds(4) }).expect(201)).body;
    const filing = await eventually(
      () => prisma.filing.findUniqueOrThrow({ where: { id: rect.filingId } }),
      (x) => x.overdue,
      30_000,
      '整改逾期',
    );
    expect(filing.status).toBe('OPEN');
    const proposal = await prisma.accountabilityProposal.findFirstOrThrow({ where: { sourceId: rect.filingId } });
    expect(proposal.trigger).toBe('OVERDUE_RECTIFICATION');
    expect(proposal.orgId).toBe(branchIds[5]);
    expect(proposal.evidence).toEqual(
      expect.objectContaining({ rectification: expect.objectContaining({ finding: expect.objectContaining({ id: f.id, notes: '活动室堆放杂物' }) }) }),
    );
    const told = await prisma.notification.findFirstOrThrow({ where: { orgId: committeeId, kind: 'OVERDUE', taskId: filing.taskId } });
    expect(told.message).toContain('整改报告');
    expect((await branch[5].get('/api/inbox?tab=overdue').expect(200)).body.items.map((t: { id: string }) => t.id)).toContain(filing.taskId);
  });

  it('at the end of the window unfinished inspections become overdue and the committee is told; closing ends the round', async () => {
    const { id } = await createAndDraw({ rule: { levels: [{ level: 0, min: 2 }] }, windowEnd: inSeconds(3) });
    const note = await eventually(
      () => prisma.notification.findUnique({ where: { key: `spotcheck-window:${id}` } }),
      (n) => !!n,
      30_000,
      '检查窗口结束通知',
    );
    expect(note!.message).toContain('还有 2 个对象未检查完');
    const tasks = await prisma.task.findMany({ where: { kind: 'INSPECTION', data: { path: ['roundId'], equals: id } } });
    expect(tasks).toHaveLength(2);
    expect(tasks.every((t) => t.overdue && t.status === 'OPEN')).toBe(true);
    await staff.post(`/api/spot-checks/${id}/close`).expect(200);
    expect((await prisma.task.findMany({ where: { id: { in: tasks.map((t) => t.id) } } })).every((t) => t.status === 'CANCELLED')).toBe(true);
    expect((await staff.post(`/api/spot-checks/${id}/close`)).status).toBe(409);
    const rounds = await prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { seq: 'asc' }, select: { action: true } });
    // The draw opens each inspector's tasks (one record for the batch) in the draw's own transaction.
    expect(rounds.map((r) => r.action)).toEqual(['spotcheck.create', 'task.open', 'spotcheck.draw', 'spotcheck.window-ended', 'spotcheck.close']);
  });
});
