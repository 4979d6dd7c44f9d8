/** 登记党纪处分: a sanction the 纪委 decided, registered by the committee, bars 评优 for its influence period. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import { EligibilityService, sanctionUntil } from '../../apps/server/src/commendations/eligibility';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

const TODAY = DateTime.now().setZone('Asia/Shanghai').toISODate() as string;
const YEAR = Number(TODAY.slice(0, 4));
const cn = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
const shift = (d: { months?: number; days?: number }) => DateTime.fromISO(TODAY).plus(d).toISODate() as string;

describe('党纪处分登记', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let committee: string;
  let branch: string;
  let staff: ApiSession;
  let secretary: ApiSession;
  let branchSecretary: ApiSession;
  let warnedByPage: string;
  let warnedByApi: string;
  let warningEnded: string;
  let outsider: { personId: string; orgId: string };

  const login = async (username: string) => {
    const s = new ApiSession(app);
    expect((await s.login(username, PASSWORD)).status).toBe(200);
    return s;
  };
  const form = (s: ApiSession, body: Record<string, string>) =>
    s.agent
      .post('/accountability/sanctions')
      .type('form')
      .set('accept', 'text/html')
      .send({ _csrf: s.csrfToken, ...body });

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    committee = (await makeCommittee(prisma, { name: '中共大滩乡委员会', organCode: '大滩发' })).id;
    branch = (await makeBranch(prisma, committee, undefined, '红柳村党支部')).id;
    staff = await login((await makePerson(prisma, [{ orgId: committee, role: Role.COMMITTEE_STAFF }], '张党建')).username);
    secretary = await login((await makePerson(prisma, [{ orgId: committee, role: Role.COMMITTEE_SECRETARY }], '王书记')).username);
    branchSecretary = await login((await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], '李支书')).username);
    warnedByPage = (await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_STAFF, post: '第一书记' }], '赵受警告')).id;
    warnedByApi = (await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_STAFF, post: '村委委员' }], '钱严重警告')).id;
    warningEnded = (await makePerson(prisma, [{ orgId: branch, role: Role.BRANCH_STAFF, post: '党员' }], '孙期满')).id;
    const otherCommittee = (await makeCommittee(prisma, { name: '中共邻乡委员会', organCode: '邻发' })).id;
    const otherBranch = (await makeBranch(prisma, otherCommittee, undefined, '邻乡某村支部')).id;
    outsider = { personId: (await makePerson(prisma, [{ orgId: otherBranch, role: Role.BRANCH_STAFF }], '周邻乡')).id, orgId: otherBranch };
  });

  afterAll(async () => {
    await app.close();
  });

  it('computes the influence period: 警告 12, 严重警告 18, 撤销党内职务 24 months, ending the day before', () => {
    expect(sanctionUntil('警告', '2026-03-10')).toBe('2027-03-09');
    expect(sanctionUntil('严重警告', '2026-03-10')).toBe('2027-09-09');
    expect(sanctionUntil('撤销党内职务', '2026-01-31')).toBe('2028-01-30');
  });

  it('registers a 警告 through the page form: the person chosen from the township, listed with its influence end', async () => {
    const page = await staff.get('/accountability/sanctions').set('accept', 'text/html').expect(200);
    expect(page.text).toContain(`value="${branch}:${warnedByPage}"`);
    expect(page.text).toContain('赵受警告（红柳村党支部 · 第一书记）');
    expect(page.text).not.toContain('周邻乡');
    const list = await staff.get('/accountability').set('accept', 'text/html').expect(200);
    expect(list.text).toContain('href="/accountability/sanctions"');

    const res = await form(staff, {
      person: `${branch}:${warnedByPage}`,
      kind: '警告',
      effectiveOn: '2026-03-10',
      reference: '大滩纪发〔2026〕3号',
      note: '违反工作纪律',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/accountability/sanctions?done=1');
    const after = await staff.get(res.headers.location).set('accept', 'text/html').expect(200);
    expect(after.text).toContain('党纪处分已登记');
    const row = after.text.slice(after.text.indexOf('赵受警告'));
    expect(row).toContain('大滩纪发〔2026〕3号');
    expect(row).toContain('2027年3月9日');

    const m = await prisma.accountabilityMeasure.findFirstOrThrow({ where: { personId: warnedByPage } });
    expect(m).toMatchObject({ orgId: branch, kind: '警告', effectiveOn: '2026-03-10', influenceUntil: '2027-03-09', caseId: null, status: 'ACTIVE' });
    expect(m.bars).toEqual([{ bar: '评优', until: '2027-03-09' }]);
    expect(m.basis).toContain('大滩纪发〔2026〕3号');
  });

  it('a refused form comes back as typed, the message beside the field', async () => {
    const res = await form(staff, { person: `${branch}:${warnedByApi}`, kind: '严重警告', effectiveOn: shift({ days: 1 }), reference: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('处分决定文号不能为空');
    expect(res.text).toContain(`value="${branch}:${warnedByApi}" selected`);
    expect(res.text).toContain(`value="${shift({ days: 1 })}"`);
    const future = await form(staff, {
      person: `${branch}:${warnedByApi}`,
      kind: '严重警告',
      effectiveOn: shift({ days: 1 }),
      reference: '大滩纪发〔2026〕9号',
    });
    expect(future.status).toBe(400);
    expect(future.text).toContain('生效日期不能晚于今天');
    expect(future.text).toContain('value="大滩纪发〔2026〕9号"');
    const nobody = await form(staff, { person: '', kind: '警告', effectiveOn: TODAY, reference: '大滩纪发〔2026〕9号' });
    expect(nobody.status).toBe(400);
    expect(nobody.text).toContain('请选择受处分人');
    expect(await prisma.accountabilityMeasure.count({ where: { personId: warnedByApi } })).toBe(0);
  });

  it('registers through the API, audited; lists the township’s sanctions newest first with whether each is in effect today', async () => {
    const effective = shift({ months: -3 });
    const res = await staff.post('/api/accountability/sanctions', {
      personId: warnedByApi,
      orgId: branch,
      kind: '严重警告',
      effectiveOn: effective,
      reference: '大滩纪发〔2026〕5号',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      personName: '钱严重警告',
      orgName: '红柳村党支部',
      kind: '严重警告',
      influenceUntil: sanctionUntil('严重警告', effective),
      inEffect: true,
    });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'accountability.sanction.record', entityId: res.body.id } });
    expect(audit.data).toMatchObject({ personId: warnedByApi, orgId: branch, kind: '严重警告', effectiveOn: effective, reference: '大滩纪发〔2026〕5号' });

    // Effective a year ago today: the period ended yesterday.
    const ended = await staff.post('/api/accountability/sanctions', {
      personId: warningEnded,
      orgId: branch,
      kind: '警告',
      effectiveOn: shift({ months: -12 }),
      reference: '大滩纪发〔2025〕8号',
    });
    expect(ended.status).toBe(201);
    expect(ended.body).toMatchObject({ influenceUntil: shift({ days: -1 }), inEffect: false });

    const list = (await secretary.get('/api/accountability/sanctions').expect(200)).body as {
      personName: string;
      effectiveOn: string;
      influenceUntil: string;
      reference: string;
      inEffect: boolean;
    }[];
    expect(list.map((s) => s.personName).sort()).toEqual(['孙期满', '赵受警告', '钱严重警告'].sort());
    expect(list.map((s) => s.effectiveOn)).toEqual([...list.map((s) => s.effectiveOn)].sort().reverse());
    expect(list.find((s) => s.personName === '赵受警告')).toMatchObject({
      influenceUntil: '2027-03-09',
      reference: '大滩纪发〔2026〕3号',
      inEffect: TODAY <= '2027-03-09',
    });
    expect(list.find((s) => s.personName === '孙期满')).toMatchObject({ inEffect: false });
    const page = await secretary.get('/accountability/sanctions').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('大滩纪发〔2026〕5号');
    expect(page.text).not.toContain('data-sanction-form');
  });

  it('评选表扬 eligibility excludes a person in the period with the rule and the record; one that ended yesterday bars nothing', async () => {
    const eligibility = app.get(EligibilityService);
    const check = (personId: string) => eligibility.check({ personId, orgId: branch, year: YEAR, minGrade: 'FAIRLY_GOOD', localBars: [] }, TODAY, '推荐');
    const barred = await check(warnedByApi);
    expect(barred.eligible).toBe(false);
    // Named once, as the sanction it is (not again as an accountability measure).
    expect(barred.reasons).toHaveLength(1);
    const effective = shift({ months: -3 });
    expect(barred.reasons[0]).toMatchObject({
      rule: '党纪处分影响期内不得评优',
      record: `${cn(effective)}受到严重警告处分，影响期至${cn(sanctionUntil('严重警告', effective))}`,
    });
    const free = await check(warningEnded);
    expect(free.eligible).toBe(true);
    expect(free.reasons).toEqual([]);
    expect((await check(warnedByPage)).eligible).toBe(TODAY > '2027-03-09');
  });

  it('refuses bad input in Chinese naming the field', async () => {
    const base = { personId: warnedByApi, orgId: branch, kind: '警告', effectiveOn: TODAY, reference: '大滩纪发〔2026〕7号' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, personId: undefined }, '受处分人'],
      [{ ...base, personId: 'x' }, '受处分人'],
      [{ ...base, kind: '记过' }, '处分种类'],
      [{ ...base, effectiveOn: '2026-13-01' }, '生效日期'],
      [{ ...base, effectiveOn: '明天' }, '生效日期'],
      [{ ...base, effectiveOn: shift({ days: 1 }) }, '生效日期不能晚于今天'],
      [{ ...base, reference: '' }, '处分决定文号不能为空'],
      [{ ...base, reference: '纪'.repeat(101) }, '处分决定文号不能超过 100 个字符'],
    ];
    for (const [body, words] of cases) {
      const res = await staff.post('/api/accountability/sanctions', body);
      expect(`${JSON.stringify(body)} → ${res.status}`).toBe(`${JSON.stringify(body)} → 400`);
      expect(res.body.message).toContain(words);
      expect(res.body.message).not.toMatch(/personId|effectiveOn|reference|kind\b/);
    }
    expect(await prisma.accountabilityMeasure.count({ where: { personId: warnedByApi } })).toBe(1);
  });

  it('a branch secretary may not register nor list (403); another township’s person is not found (404)', async () => {
    const body = { personId: warnedByApi, orgId: branch, kind: '警告', effectiveOn: TODAY, reference: '大滩纪发〔2026〕7号' };
    expect((await branchSecretary.post('/api/accountability/sanctions', body)).status).toBe(403);
    expect((await branchSecretary.get('/api/accountability/sanctions')).status).toBe(403);
    expect(
      (await form(branchSecretary, { person: `${branch}:${warnedByApi}`, kind: '警告', effectiveOn: TODAY, reference: '大滩纪发〔2026〕7号' })).status,
    ).toBe(403);
    // The party secretary reads but does not register.
    expect((await secretary.post('/api/accountability/sanctions', body)).status).toBe(403);

    const other = await staff.post('/api/accountability/sanctions', { ...body, ...outsider });
    expect(other.status).toBe(404);
    expect(other.body.message).toBe('受处分人不存在或无权查看');
    // A person of the township named with another township's organisation, or a branch they do not serve in: not found either.
    expect((await staff.post('/api/accountability/sanctions', { ...body, orgId: outsider.orgId })).status).toBe(404);
    expect((await staff.post('/api/accountability/sanctions', { ...body, orgId: committee })).status).toBe(404);
    const page = await form(staff, { person: `${outsider.orgId}:${outsider.personId}`, kind: '警告', effectiveOn: TODAY, reference: '大滩纪发〔2026〕7号' });
    expect(page.status).toBe(404);
    expect(page.text).toContain('受处分人不存在或无权查看');
    expect(await prisma.accountabilityMeasure.count({ where: { personId: { in: [outsider.personId, warnedByApi] } } })).toBe(1);
  });
});
