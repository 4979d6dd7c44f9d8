/**
 * 年度综合情况 (lifecycle 5, point 7) on real PostgreSQL and Temporal: a year of records — filings through the real
 * directive and filing workflows (one on time, one late, one never submitted), a spot check, a closed 述职评议, a
 * commendation and accountability cases and measures — read back on the committee's table, a branch's page, a
 * person's page and in the xlsx; and who may open which.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { eventually } from '../support/eventually';
import { makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const TODAY = DateTime.now().setZone('Asia/Shanghai').toISODate() as string;
const YEAR = Number(TODAY.slice(0, 4));
const PLAN = {
  year: YEAR,
  goals: '全面完成“党建扶贫攻坚年”七大行动各项任务。',
  actions: ['leadership', 'industry'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: `${YEAR}-12-31`, outcome: '班子配齐配强' }],
  budget: 3.5,
  contactName: '刘大滩',
  contactPhone: '13800000001',
};
const BRANCH_NAMES = ['中共大滩村支部委员会', '中共柏林村支部委员会', '中共新华社区支部委员会'];

/** supertest: collect a binary body into a Buffer. */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function sheets(body: Buffer): Promise<Record<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  const out: Record<string, string[][]> = {};
  for (const ws of wb.worksheets) {
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
    out[ws.name] = rows;
  }
  return out;
}

/** The text of a table row (`<tr data-org="…">`) of a page, tags dropped. */
const rowText = (html: string, attr: string, id: string) => {
  const m = html.match(new RegExp(`<tr ${attr}="${id}">([\\s\\S]*?)</tr>`));
  return m
    ? m[1]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
};
const orderOf = (html: string) => [...html.matchAll(/<tr data-org="([0-9a-f-]{36})">/g)].map((m) => m[1]);

describe('年度综合情况', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let staff: ApiSession;
  let branch: ApiSession[];
  let branchIds: string[];
  let secretaries: string[];
  let staffId: string;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // Filings through the real lifecycle: the directive issued, the deadline 4 × 4 s after issue (a drill).
    const world = await issueAnnualPlan(app, prisma, { organCode: `览${Date.now() % 100000}发`, drillSeconds: 4, branchNames: BRANCH_NAMES });
    ({ committeeId, branch, branchIds } = world);
    staff = world.drafter;
    staffId = (await prisma.membership.findFirstOrThrow({ where: { orgId: committeeId, role: Role.COMMITTEE_STAFF } })).personId;
    secretaries = await Promise.all(
      branchIds.map(async (orgId) => (await prisma.membership.findFirstOrThrow({ where: { orgId, role: Role.BRANCH_SECRETARY } })).personId),
    );
    const filingOf = (orgId: string) =>
      eventually(
        () => prisma.filing.findFirst({ where: { requirementId: world.requirementId, orgId } }),
        (f) => !!f,
        30_000,
        '填报任务',
      );
    const [f0, f1] = [await filingOf(branchIds[0]), await filingOf(branchIds[1])];
    // 大滩村 on time; 柏林村 after the deadline; 新华社区 never.
    await branch[0].post(`/api/filings/${f0!.id}/submit`, { values: PLAN }).expect(200);
    const wait = f1!.deadlineAt.getTime() - Date.now() + 1500;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await branch[1].post(`/api/filings/${f1!.id}/submit`, { values: PLAN }).expect(200);

    // A spot check at 大滩村: one item passed, one failed with a rectification still open.
    const spot = await prisma.spotCheckRound.create({
      data: {
        orgId: committeeId,
        scopeOrgId: committeeId,
        title: `${YEAR}年第一次督查抽查`,
        mode: 'ANNOUNCED',
        target: 'BRANCH',
        checklist: [
          { key: 'i1', text: '三会一课记录', kind: 'PASS_FAIL', evidence: 'NONE' },
          { key: 'i2', text: '党员活动室', kind: 'PASS_FAIL', evidence: 'NONE' },
        ],
        rule: { levels: [{ level: 0, min: 1 }] },
        inspectorIds: [staffId],
        windowStart: new Date(Date.now() - 86400_000),
        windowEnd: new Date(Date.now() + 86400_000),
        status: 'DRAWN',
        drawnAt: new Date(),
        createdById: staffId,
      },
    });
    const unit = await prisma.spotCheckUnit.create({
      data: { roundId: spot.id, unitId: branchIds[0], orgId: branchIds[0], label: BRANCH_NAMES[0], inspectorId: staffId },
    });
    const finding = (itemKey: string, passed: boolean) =>
      prisma.spotCheckFinding.create({
        data: {
          roundId: spot.id,
          unitRowId: unit.id,
          itemKey,
          passed,
          severity: passed ? null : '一般',
          clientId: randomUUID(),
          recordedAt: new Date(),
          inspectorId: staffId,
        },
      });
    await finding('i1', true);
    const failed = await finding('i2', false);
    await prisma.rectification.create({
      data: { findingId: failed.id, roundId: spot.id, orgId: branchIds[0], requirementId: randomUUID(), filingId: randomUUID(), createdById: staffId },
    });

    // A closed 述职评议 of the year: 大滩村's secretary 好, 柏林村's 一般.
    const review = await prisma.reviewRound.create({
      data: {
        orgId: committeeId,
        year: YEAR,
        title: `${YEAR}年度村党组织书记述职评议`,
        status: 'CLOSED',
        reportWorkdays: 1,
        scoringWorkdays: 1,
        items: [],
        groups: [],
        settings: {},
        dailyWeights: {},
        formulaVersion: 1,
        createdById: staffId,
        closedAt: new Date(),
      },
    });
    const subject = (i: number) =>
      prisma.reviewSubject.create({ data: { roundId: review.id, orgId: branchIds[i], personId: secretaries[i], post: '党支部书记', sortOrder: i } });
    const [s0, s1] = [await subject(0), await subject(1)];
    await prisma.reviewRound.update({
      where: { id: review.id },
      data: {
        results: {
          results: [
            { subjectId: s0.id, grade: 'GOOD' },
            { subjectId: s1.id, grade: 'AVERAGE' },
          ],
        },
      },
    });

    // A commendation written at a round's decision: 大滩村's secretary, 优秀第一书记.
    await prisma.commendation.create({
      data: {
        roundId: randomUUID(),
        nomineeId: randomUUID(),
        year: YEAR,
        title: '优秀第一书记',
        personId: secretaries[0],
        orgId: branchIds[0],
        byOrgId: committeeId,
        documentId: randomUUID(),
        docNumber: `览委发〔${YEAR}〕9号`,
        conferredOn: TODAY,
      },
    });

    // 问责: an open case about 新华社区's secretary with a 诫勉 today; 柏林村's secretary 组织调整 two years ago.
    await prisma.accountabilityCase.create({
      data: {
        orgId: committeeId,
        year: YEAR,
        serial: 1,
        title: '关于新华社区逾期未报送年度计划的问责案件',
        status: 'EXECUTING',
        targetOrgId: branchIds[2],
        targetPersonId: secretaries[2],
        source: 'MANUAL',
        investigatorIds: [],
        createdById: staffId,
      },
    });
    const measure = (i: number, kind: string, effectiveOn: string, detail?: string) =>
      prisma.accountabilityMeasure.create({
        data: { personId: secretaries[i], orgId: branchIds[i], kind, detail, effectiveOn, basis: '测试记录', createdById: staffId },
      });
    await measure(2, '诫勉', TODAY);
    await measure(1, '组织调整', `${YEAR - 2}-03-02`, '调整职务');
  }, 180_000);

  afterAll(async () => {
    Drills.clear();
    await worker.close();
    await app.close();
  });

  it('the committee table: each branch’s filings on time / late / missing, spot checks, grade, commendations and cases', async () => {
    const api = await staff.get(`/api/overview?year=${YEAR}`).expect(200);
    const rows = api.body.rows as { orgId: string; name: string; filings: Record<string, number>; spotChecks: Record<string, number> }[];
    expect(rows.map((r) => r.name)).toEqual(BRANCH_NAMES);
    expect(rows.map((r) => [r.filings.onTime, r.filings.late, r.filings.missing, r.filings.rate])).toEqual([
      [1, 0, 0, 100],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    expect(rows[0].spotChecks).toMatchObject({ items: 2, passed: 1, failed: 1, rate: 50, rectifications: 1, rectOpen: 1 });

    const page = await staff.get(`/overview?year=${YEAR}`).expect(200);
    const html = page.text;
    expect(rowText(html, 'data-org', branchIds[0])).toBe(`${BRANCH_NAMES[0]} 1 / 0 / 0 100% 0 50%（1/2） 1 1 （共 1） 好 1 0 0`);
    expect(rowText(html, 'data-org', branchIds[1])).toBe(`${BRANCH_NAMES[1]} 0 / 1 / 0 0% 0 未抽查 0 0 一般 0 0 0`);
    expect(rowText(html, 'data-org', branchIds[2])).toBe(`${BRANCH_NAMES[2]} 0 / 0 / 1 0% 1 未抽查 0 0 — 0 1 1`);
    expect(html).toContain(`href="/overview/orgs/${branchIds[0]}?year=${YEAR}"`);
    // The chart is SVG drawn on the server: no script on the page but the layout's own.
    expect(html).toMatch(/<div class="overview-chart"[^>]*>\s*<svg /);
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      expect.stringMatching(/^<script type="application\/x-after-paint" data-src="\/static\/app\.js\?v=[\w-]+">$/),
      '<script>', // the loader that runs it after the first paint
    ]);
    // The menu links to it.
    expect(html).toContain('<a href="/overview" class="active">年度综合情况</a>');
  });

  it('sorts by any column, and refuses a bad year or column in words naming the field', async () => {
    const order = async (q: string) => orderOf((await staff.get(`/overview?year=${YEAR}&${q}`).expect(200)).text);
    expect(await order('sort=missing&dir=desc')).toEqual([branchIds[2], branchIds[0], branchIds[1]]);
    // The sorted column says so, and its link turns the order round.
    const sorted = (await staff.get(`/overview?year=${YEAR}&sort=missing&dir=desc`).expect(200)).text;
    expect(sorted).toContain(
      `<th aria-sort="descending"><a href="/overview?year&#x3D;${YEAR}&amp;sort&#x3D;missing&amp;dir&#x3D;asc" data-sort="missing">未报送▼</a></th>`,
    );
    expect(sorted).toContain(
      `<th aria-sort="none"><a href="/overview?year&#x3D;${YEAR}&amp;sort&#x3D;grade&amp;dir&#x3D;asc" data-sort="grade">述职评议等次</a></th>`,
    );
    expect(await order('sort=grade&dir=asc')).toEqual([branchIds[0], branchIds[1], branchIds[2]]);
    expect(await order('sort=grade&dir=desc')).toEqual([branchIds[1], branchIds[0], branchIds[2]]);
    expect(await order('sort=cases&dir=desc')).toEqual([branchIds[2], branchIds[0], branchIds[1]]);
    expect(await order('sort=onTimeRate&dir=desc')).toEqual([branchIds[0], branchIds[1], branchIds[2]]);

    const badYear = await staff.get('/api/overview?year=20x6').expect(400);
    expect(badYear.body.message).toContain('年度应为 2000 至 2100 之间的四位年份');
    const badPage = await staff.get('/overview?year=1999').set('Accept', 'text/html').expect(400);
    expect(badPage.text).toContain('年度应为 2000 至 2100 之间的四位年份');
    const badSort = await staff.get(`/api/overview?year=${YEAR}&sort=score`).expect(400);
    expect(badSort.body.message).toContain('排序列应为');
  });

  it('a branch’s page: the figures, the chart over the recent years, failed items with their rectification, its people', async () => {
    const html = (await staff.get(`/overview/orgs/${branchIds[0]}?year=${YEAR}`).expect(200)).text;
    const dd = (name: string) => html.match(new RegExp(`<dd[^>]*data-${name}>([^<]*)</dd>`))?.[1];
    expect([
      dd('due'),
      dd('on-time'),
      dd('late'),
      dd('missing'),
      dd('on-time-rate'),
      dd('passed'),
      dd('rect'),
      dd('grade'),
      dd('commendations'),
      dd('cases'),
    ]).toEqual(['1', '1', '0', '0', '100%', '1/2', '0/1', '好', '1', '0']);
    expect(html).toMatch(/data-chart>\s*<svg /);
    // Five years on the chart's axis and in the table beside it.
    for (let y = YEAR - 4; y <= YEAR; y++) expect(html).toContain(`${y}年`);
    expect(rowText(html, 'data-year', String(YEAR))).toBe(`${YEAR}年 1 / 0 / 0 50% 好 1 0`);
    expect(rowText(html, 'data-year', String(YEAR - 1))).toBe(`${YEAR - 1}年 0 / 0 / 0 未抽查 — 0 0`);
    expect(html).toMatch(/党员活动室（一般）[^<]*<a href="\/filings\/[0-9a-f-]+" data-rect-state>整改中<\/a>/);
    expect(html).toContain(`优秀第一书记：书记0（<a href="/api/documents/`);
    expect(html).toContain(`<a href="/overview/people/${secretaries[0]}?year=${YEAR}">书记0</a>`);
    expect(rowText(html, 'data-person', secretaries[0])).toBe('书记0 — 好 1 0');
  });

  it('a person’s page: grade, commendations, cases, and measures with their influence period', async () => {
    const good = (await staff.get(`/overview/people/${secretaries[0]}?year=${YEAR}`).expect(200)).text;
    expect(good).toContain(`${YEAR}年度村党组织书记述职评议</a>（党支部书记）：<strong>好</strong>`);
    expect(good).toContain(`优秀第一书记（<a href="/api/documents/`);
    // The filings and spot checks of the branch the person serves in, the chart over five years, and the workbook.
    const dd = (name: string) => good.match(new RegExp(`<dd[^>]*data-${name}>([^<]*)</dd>`))?.[1];
    expect(['due', 'on-time', 'late', 'missing', 'passed', 'rect', 'grade', 'commendations', 'cases'].map(dd)).toEqual([
      '1',
      '1',
      '0',
      '0',
      '1/2',
      '0/1',
      '好',
      '1',
      '0',
    ]);
    expect(good).toContain(`填报与抽查为所在支部（${BRANCH_NAMES[0]}）的情况`);
    expect(good).toMatch(/data-chart>\s*<svg /);
    expect(rowText(good, 'data-year', String(YEAR))).toBe(`${YEAR}年 1 / 0 / 0 50% 好 1 0 0`);
    expect(rowText(good, 'data-year', String(YEAR - 1))).toBe(`${YEAR - 1}年 0 / 0 / 0 未抽查 — 0 0 0`);
    expect(good).toContain(`href="/overview/people/${secretaries[0]}/overview.xlsx?year&#x3D;${YEAR}"`);

    const admonished = (await staff.get(`/overview/people/${secretaries[2]}?year=${YEAR}`).expect(200)).text;
    expect(admonished).toContain('关于新华社区逾期未报送年度计划的问责案件</a>（');
    const until6 = DateTime.fromISO(TODAY).plus({ months: 6 }).minus({ days: 1 });
    const m = admonished
      .match(/<tr data-measure="[^"]+">([\s\S]*?)<\/tr>/)?.[1]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const last = [`${YEAR}-12-31`, until6.toISODate() as string].sort().at(-1);
    expect(m).toBe(
      `诫勉 ${TODAY} ${last} ${DateTime.fromISO(last as string).toFormat('yyyy年M月d日')}前不得评优；${YEAR}年12月31日前不得评定最高等次；${until6.toFormat('yyyy年M月d日')}前不得提拔 影响期内`,
    );

    // 组织调整 two years ago: its five-year bars still run into this year, so it shows in this year's record.
    const adjusted = (await staff.get(`/api/overview/people/${secretaries[1]}?year=${YEAR}`).expect(200)).body;
    expect(adjusted.measures.map((x: { kind: string; until: string; inForce: boolean }) => [x.kind, x.until, x.inForce])).toEqual([
      ['组织调整', `${YEAR + 3}-03-01`, true],
    ]);
    expect(adjusted.grades.map((g: { gradeLabel: string }) => g.gradeLabel)).toEqual(['一般']);
    expect(adjusted.history.map((h: { year: number; measures: number }) => [h.year, h.measures])).toEqual([
      [YEAR - 4, 0],
      [YEAR - 3, 0],
      [YEAR - 2, 1],
      [YEAR - 1, 0],
      [YEAR, 0],
    ]);
  });

  it('exports the committee table and a branch’s years as xlsx with the same figures', async () => {
    const res = await staff.get(`/overview.xlsx?year=${YEAR}&sort=missing&dir=desc`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`${YEAR}年度综合情况.xlsx`));
    const book = await sheets(res.body as Buffer);
    expect(Object.keys(book)).toEqual(['年度综合情况', '表扬', '问责案件', '问责措施']);
    const table = book['年度综合情况'];
    expect(table[0].slice(0, 7)).toEqual(['支部', '应报送（件）', '按时报送', '逾期报送', '未报送', '未到期', '按时报送率（%）']);
    expect(table.slice(1).map((r) => r.slice(0, 7))).toEqual([
      [BRANCH_NAMES[2], '1', '0', '0', '1', '0', '0'],
      [BRANCH_NAMES[0], '1', '1', '0', '0', '0', '100'],
      [BRANCH_NAMES[1], '1', '0', '1', '0', '0', '0'],
    ]);
    const col = (name: string) => table[0].indexOf(name);
    expect(table[2][col('抽查合格率（%）')]).toBe('50');
    expect(table[2][col('整改（已完成/总数）')]).toBe('0/1');
    expect(table[2][col('述职评议等次')]).toBe('好（书记0）');
    expect(table[2][col('表扬名称')]).toBe('优秀第一书记（书记0）');
    expect(table[1][col('问责案件')]).toBe('1');
    expect(table[1][col('问责措施')]).toBe('书记2：诫勉');
    expect(book['表扬'].slice(1)).toEqual([[String(YEAR), '优秀第一书记', '书记0', `览委发〔${YEAR}〕9号`, TODAY]]);
    expect(book['问责案件'].slice(1).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      [String(YEAR), '关于新华社区逾期未报送年度计划的问责案件', '书记2', '执行中'],
    ]);
    expect(book['问责措施'].slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([['书记2', '诫勉', TODAY]]);

    const orgRes = await staff.get(`/overview/orgs/${branchIds[1]}/overview.xlsx?year=${YEAR}`).buffer(true).parse(binary).expect(200);
    const org = await sheets(orgRes.body as Buffer);
    expect(org['历年情况'].slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      [String(YEAR - 4), '0', '0', '0'],
      [String(YEAR - 3), '0', '0', '0'],
      [String(YEAR - 2), '0', '0', '0'],
      [String(YEAR - 1), '0', '0', '0'],
      [String(YEAR), '0', '1', '0'],
    ]);
    expect(org['人员'].slice(1)).toEqual([['书记1', '', '一般', '0', '0']]);

    const personRes = await staff.get(`/overview/people/${secretaries[0]}/overview.xlsx?year=${YEAR}`).buffer(true).parse(binary).expect(200);
    expect(personRes.headers['content-disposition']).toContain(encodeURIComponent(`书记0-${YEAR}年度综合情况.xlsx`));
    const person = await sheets(personRes.body as Buffer);
    expect(Object.keys(person)).toEqual(['历年情况', '表扬', '问责案件', '问责措施']);
    const years = person['历年情况'];
    const pc = (name: string) => years[0].indexOf(name);
    expect(years.slice(1).map((r) => [r[0], r[1], r[pc('按时报送')], r[pc('抽查合格率（%）')], r[pc('述职评议等次')], r[pc('表扬（次）')]])).toEqual([
      [String(YEAR - 4), BRANCH_NAMES[0], '0', '未抽查', '无', '0'],
      [String(YEAR - 3), BRANCH_NAMES[0], '0', '未抽查', '无', '0'],
      [String(YEAR - 2), BRANCH_NAMES[0], '0', '未抽查', '无', '0'],
      [String(YEAR - 1), BRANCH_NAMES[0], '0', '未抽查', '无', '0'],
      [String(YEAR), BRANCH_NAMES[0], '1', '50', '好', '1'],
    ]);
    expect(person['表扬'].slice(1)).toEqual([[String(YEAR), '优秀第一书记', '书记0', `览委发〔${YEAR}〕9号`, TODAY]]);
  });

  it('a branch sees only its own branch and people: another branch’s overview is a 403; other capacities none', async () => {
    const own = branch[0];
    const redirect = await own.get(`/overview?year=${YEAR}`).expect(303);
    expect(redirect.headers.location).toBe(`/overview/orgs/${branchIds[0]}?year=${YEAR}`);
    expect((await own.get(`/overview/orgs/${branchIds[0]}?year=${YEAR}`).expect(200)).text).toContain(BRANCH_NAMES[0]);
    await own.get(`/overview/orgs/${branchIds[0]}/overview.xlsx?year=${YEAR}`).expect(200);
    await own.get(`/overview/people/${secretaries[0]}?year=${YEAR}`).expect(200);
    await own.get(`/overview/people/${secretaries[0]}/overview.xlsx?year=${YEAR}`).expect(200);
    await own.get(`/overview/people/${secretaries[1]}/overview.xlsx?year=${YEAR}`).expect(403);

    const page = await own.get(`/overview/orgs/${branchIds[1]}?year=${YEAR}`).set('Accept', 'text/html').expect(403);
    expect(page.text).toContain('只能查看本支部的年度综合情况');
    expect(page.text).not.toContain(BRANCH_NAMES[1]);
    expect((await own.get(`/api/overview/orgs/${branchIds[1]}?year=${YEAR}`).expect(403)).body.message).toBe('只能查看本支部的年度综合情况');
    await own.get(`/overview/orgs/${branchIds[1]}/overview.xlsx?year=${YEAR}`).expect(403);
    expect((await own.get(`/api/overview/people/${secretaries[1]}?year=${YEAR}`).expect(403)).body.message).toBe('只能查看本支部人员的年度综合情况');
    // The branch's own table has its own row only.
    expect((await own.get(`/api/overview?year=${YEAR}`).expect(200)).body.rows.map((r: { orgId: string }) => r.orgId)).toEqual([branchIds[0]]);

    // An inspector holds no 评选表扬 record reading: refused (and no menu entry).
    const inspector = await makePerson(prisma, [{ orgId: committeeId, role: Role.INSPECTOR }], '赵督查');
    const s = new ApiSession(app);
    expect((await s.login(inspector.username, PASSWORD)).status).toBe(200);
    await s.get(`/api/overview?year=${YEAR}`).expect(403);
    await s.get(`/overview/orgs/${branchIds[0]}`).expect(403);
    expect((await s.get('/inbox').expect(200)).text).not.toContain('年度综合情况');
  });

  it('the committee table over 1,000 branches: grouped queries, answered in under a second', async () => {
    // Another township with 1,000 branches, each with a filing (two in three on time), spot-check items, a grade, and
    // here and there a commendation, a case and a measure.
    const N = 1000;
    const township = await prisma.organization.create({
      data: { code: `BIG-${randomUUID()}`, name: '中共规模测试乡委员会', kind: 'COMMITTEE', organCode: '规委发' },
    });
    const orgs = Array.from({ length: N }, (_, i) => ({
      id: randomUUID(),
      code: `BIG-${randomUUID()}`,
      name: `规模测试第${i + 1}村支部委员会`,
      kind: 'VILLAGE' as const,
      parentId: township.id,
      sortOrder: i,
    }));
    await prisma.organization.createMany({ data: orgs });
    const people = orgs.map((o, i) => ({ id: randomUUID(), username: `big-${o.id}`, name: `规模书记${i + 1}`, passwordHash: 'x' }));
    await prisma.person.createMany({ data: people });
    await prisma.membership.createMany({
      data: orgs.map((o, i) => ({ personId: people[i].id, orgId: o.id, role: Role.BRANCH_SECRETARY, post: '党支部书记' })),
    });
    const requirementId = (await prisma.requirement.findFirstOrThrow({ where: { orgId: committeeId, directiveId: { not: null } } })).id;
    const deadlineAt = new Date(Date.now() - 3600_000);
    const filings = orgs.map((o) => ({ id: randomUUID(), requirementId, orgId: o.id, taskId: randomUUID(), deadlineAt }));
    await prisma.filing.createMany({ data: filings });
    await prisma.filingVersion.createMany({
      data: filings
        .filter((_, i) => i % 3 !== 2)
        .map((f, i) => ({
          filingId: f.id,
          version: 1,
          values: {},
          submittedById: staffId,
          submittedAt: new Date(deadlineAt.getTime() + (i % 2 ? 60_000 : -60_000)),
        })),
    });
    const spot = await prisma.spotCheckRound.create({
      data: {
        orgId: township.id,
        scopeOrgId: township.id,
        title: '规模抽查',
        mode: 'ANNOUNCED',
        target: 'BRANCH',
        checklist: [{ key: 'i1', text: '记录', kind: 'PASS_FAIL', evidence: 'NONE' }],
        rule: {},
        inspectorIds: [],
        windowStart: new Date(),
        windowEnd: new Date(),
        createdById: staffId,
      },
    });
    const units = orgs.map((o) => ({ id: randomUUID(), roundId: spot.id, unitId: o.id, orgId: o.id, label: o.name, inspectorId: staffId }));
    await prisma.spotCheckUnit.createMany({ data: units });
    await prisma.spotCheckFinding.createMany({
      data: units.map((u, i) => ({
        roundId: spot.id,
        unitRowId: u.id,
        itemKey: 'i1',
        passed: i % 4 !== 0,
        clientId: randomUUID(),
        recordedAt: new Date(),
        inspectorId: staffId,
      })),
    });
    const review = await prisma.reviewRound.create({
      data: {
        orgId: township.id,
        year: YEAR,
        title: '规模评议',
        status: 'CLOSED',
        reportWorkdays: 1,
        scoringWorkdays: 1,
        items: [],
        groups: [],
        settings: {},
        dailyWeights: {},
        formulaVersion: 1,
        createdById: staffId,
        closedAt: new Date(),
      },
    });
    const subjects = orgs.map((o, i) => ({ id: randomUUID(), roundId: review.id, orgId: o.id, personId: people[i].id, post: '党支部书记', sortOrder: i }));
    await prisma.reviewSubject.createMany({ data: subjects });
    const GRADES = ['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'];
    await prisma.reviewRound.update({
      where: { id: review.id },
      data: { results: { results: subjects.map((x, i) => ({ subjectId: x.id, grade: GRADES[i % 4] })) } },
    });
    const every = (k: number) => orgs.filter((_, i) => i % k === 0);
    await prisma.commendation.createMany({
      data: every(20).map((o) => ({
        roundId: randomUUID(),
        nomineeId: randomUUID(),
        year: YEAR,
        title: '十强支部',
        orgId: o.id,
        byOrgId: township.id,
        documentId: randomUUID(),
        docNumber: '规委发〔1〕1号',
        conferredOn: TODAY,
      })),
    });
    await prisma.accountabilityCase.createMany({
      data: every(10).map((o, i) => ({
        orgId: township.id,
        year: YEAR,
        serial: i + 1,
        title: '规模案件',
        targetOrgId: o.id,
        source: 'MANUAL',
        investigatorIds: [],
        createdById: staffId,
      })),
    });
    await prisma.accountabilityMeasure.createMany({
      data: every(10).map((o) => ({ orgId: o.id, kind: '通报', effectiveOn: TODAY, basis: '测试', createdById: staffId })),
    });

    const bigStaff = await makePerson(prisma, [{ orgId: township.id, role: Role.COMMITTEE_STAFF }], '规模党建办');
    const s = new ApiSession(app);
    expect((await s.login(bigStaff.username, PASSWORD)).status).toBe(200);
    await s.get(`/api/overview?year=${YEAR}`).expect(200); // warm
    const t0 = Date.now();
    const res = await s.get(`/api/overview?year=${YEAR}&sort=onTimeRate&dir=desc`).expect(200);
    const apiMs = Date.now() - t0;
    const t1 = Date.now();
    const page = await s.get(`/overview?year=${YEAR}`).expect(200);
    const pageMs = Date.now() - t1;
    console.log(`年度综合情况 over ${N} branches: API ${apiMs} ms, page ${pageMs} ms (${page.text.length} bytes)`);
    expect(res.body.rows).toHaveLength(N);
    const rows = res.body.rows as {
      filings: { onTime: number; late: number; missing: number };
      spotChecks: { failed: number };
      review: { gradeLabel: string } | null;
      cases: unknown[];
    }[];
    const total = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
    expect([total((r) => r.filings.onTime), total((r) => r.filings.late), total((r) => r.filings.missing)]).toEqual([334, 333, 333]);
    expect(total((r) => r.spotChecks.failed)).toBe(250);
    expect(total((r) => r.cases.length)).toBe(100);
    expect(rows.filter((r) => r.review?.gradeLabel === '好')).toHaveLength(250);
    expect(orderOf(page.text)).toHaveLength(N);
    expect(apiMs).toBeLessThan(1000);
  }, 120_000);
});
