/**
 * 职务 on the people pages and in the people CSV (issue 17, point 8): the administrator gives a membership its 职务 on
 * the form (what 按职务抽人 spot checks select by), sees it in the list, exports the CSV and imports it back unchanged;
 * bad 职务 are refused in Chinese naming 职务. The list is a table with search, organisation and role filters and
 * sortable columns, all in the query (no script needed), and its links keep the query.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");
/** The usernames in the people table, in the order shown. */
const shown = (html: string) => [...html.matchAll(/data-person="([^"]+)"/g)].map((m) => m[1]);

describe('people: 职务 on the form, in the list and the CSV; the list searched, filtered and sorted', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let admin: ApiSession;
  let committee: { id: string; code: string };
  let villageA: { id: string; code: string; name: string };
  let villageB: { id: string; code: string; name: string };
  const tag = Date.now().toString(36).slice(-5);

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    committee = await makeCommittee(prisma);
    villageA = await makeBranch(prisma, committee.id, undefined, `甲村${tag}支部`);
    villageB = await makeBranch(prisma, committee.id, undefined, `乙村${tag}支部`);
    const person = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '管理员');
    admin = new ApiSession(app);
    await admin.login(person.username, PASSWORD);
  });

  afterAll(async () => app.close());

  it('creates a person with a 职务 on the form; the list and the edit page show it; the change is audited', async () => {
    const username = `gw.post.${tag}`;
    const res = await admin.post('/admin/people', {
      username,
      name: '王第一',
      password: 'Password-123',
      orgId: villageA.id,
      role: 'BRANCH_STAFF',
      post: '  第一书记 ',
    });
    expect(res.status).toBe(303);
    const m = await prisma.membership.findFirstOrThrow({ where: { person: { username } } });
    expect(m).toMatchObject({ orgId: villageA.id, role: 'BRANCH_STAFF', post: '第一书记' });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'person.create', entityId: m.personId } });
    expect(JSON.stringify(audit.data)).toContain('第一书记');

    const list = await admin.get('/admin/people').expect(200);
    const row = new RegExp(`<tr[^>]*data-person="${username.replace(/\./g, '\\.')}"[\\s\\S]*?</tr>`).exec(list.text)?.[0] ?? '';
    expect(row).toContain('<td data-label="职务" data-posts><div>第一书记</div></td>');
    const edit = await admin.get(`/admin/people/${m.personId}/edit`).expect(200);
    expect(edit.text).toContain('职务：<span data-post>第一书记</span>');

    // the same organisation and role again changes the 职务; empty clears it
    await admin.post(`/admin/people/${m.personId}/memberships`, { orgId: villageA.id, role: 'BRANCH_STAFF', post: '驻村工作队员' }).expect(303);
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).post).toBe('驻村工作队员');
    await admin.post(`/admin/people/${m.personId}/memberships`, { orgId: villageA.id, role: 'BRANCH_STAFF', post: '' }).expect(303);
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).post).toBeNull();
    expect(await prisma.membership.count({ where: { personId: m.personId } })).toBe(1);
  });

  it('refuses a bad 职务 in Chinese naming 职务, on the form and from the API, and saves nothing', async () => {
    const long = '职'.repeat(41);
    const page = await admin.post('/admin/people', {
      username: `gw.bad.${tag}`,
      name: '李',
      password: 'Password-123',
      orgId: villageA.id,
      role: 'BRANCH_STAFF',
      post: long,
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('职务不能超过 40 个字');
    expect(page.text).toContain(`value="${long}"`); // what was typed stays
    expect(page.text).not.toMatch(/memberships|post（/);
    const api = await admin.post('/api/people', {
      username: `gw.bad2.${tag}`,
      name: '李',
      password: 'Password-123',
      memberships: [{ orgId: villageA.id, role: 'BRANCH_STAFF', post: '第一\n书记' }],
    });
    expect(api.status).toBe(400);
    expect(api.body.message).toContain('职务不能含有换行或其他控制字符');
    const person = await makePerson(prisma, [{ orgId: villageB.id, role: Role.BRANCH_STAFF }]);
    const add = await admin.post(`/admin/people/${person.id}/memberships`, { orgId: villageB.id, role: 'BRANCH_STAFF', post: long });
    expect(add.status).toBe(400);
    expect(add.text).toContain('职务不能超过 40 个字');
    expect(await prisma.person.count({ where: { username: { in: [`gw.bad.${tag}`, `gw.bad2.${tag}`] } } })).toBe(0);
    expect((await prisma.membership.findFirstOrThrow({ where: { personId: person.id } })).post).toBeNull();
  });

  it('exports the people CSV with 职务 and imports it back to the same memberships and 职务', async () => {
    const zhao = await makePerson(prisma, [{ orgId: villageB.id, role: Role.BRANCH_SECRETARY, post: '驻村第一书记' }], '赵书记');
    await prisma.membership.create({ data: { personId: zhao.id, orgId: villageA.id, role: Role.BRANCH_STAFF, post: '组织委员，兼宣传委员' } });
    const odd = await makePerson(prisma, [{ orgId: villageB.id, role: Role.BRANCH_STAFF, post: '-副书记' }], '=钱"七"');
    await prisma.person.update({ where: { id: odd.id }, data: { phone: '13800000001' } });

    const res = await admin.get('/api/people/export.csv').buffer(true).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const csv = res.text;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('username,name,orgCode,role,post,phone,password');
    expect(lines).toContain(`${zhao.username},赵书记,${villageB.code},支部书记,驻村第一书记,,`);
    expect(lines).toContain(`${zhao.username},赵书记,${villageA.code},支部工作人员,组织委员，兼宣传委员,,`);
    // a cell Excel would run as a formula is defused, and quotes are doubled
    expect(lines).toContain(`${odd.username},"'=钱""七""",${villageB.code},支部工作人员,'-副书记,13800000001,`);
    // with the list's filters: only the memberships in the chosen organisation
    const inB = (await admin.get(`/api/people/export.csv?orgId=${villageB.id}`).buffer(true).expect(200)).text.trim().split('\r\n');
    expect(inB).toContain(`${zhao.username},赵书记,${villageB.code},支部书记,驻村第一书记,,`);
    expect(inB.some((l) => l.includes(villageA.code) || l.includes('管理员'))).toBe(false);

    // lose the 职务, then import the export: they are back, nobody new, no membership more
    await prisma.membership.updateMany({ where: { personId: { in: [zhao.id, odd.id] } }, data: { post: null } });
    const before = { people: await prisma.person.count(), memberships: await prisma.membership.count() };
    const imported = await admin.post('/api/people/import', { csv }).expect(200);
    expect(imported.body).toMatchObject({ created: 0, credentials: [] });
    expect({ people: await prisma.person.count(), memberships: await prisma.membership.count() }).toEqual(before);
    const posts = await prisma.membership.findMany({
      where: { personId: { in: [zhao.id, odd.id] } },
      select: { orgId: true, post: true, person: { select: { name: true } } },
    });
    expect(posts.map((p) => [p.person.name, p.orgId, p.post]).sort()).toEqual(
      [
        ['赵书记', villageB.id, '驻村第一书记'],
        ['赵书记', villageA.id, '组织委员，兼宣传委员'],
        ['=钱"七"', villageB.id, '-副书记'],
      ].sort(),
    );
    // the export of the same organisation is the same file again
    expect((await admin.get('/api/people/export.csv').buffer(true).expect(200)).text).toBe(csv);
  });

  it('a CSV without a 职务 column keeps the 职务; a bad one is refused naming the row and 职务, nothing saved', async () => {
    const sun = await makePerson(prisma, [{ orgId: villageA.id, role: Role.BRANCH_STAFF, post: '纪检委员' }], '孙');
    await admin.post('/api/people/import', { csv: `username,name,orgCode,role\n${sun.username},孙,${villageA.code},支部工作人员\n` }).expect(200);
    expect((await prisma.membership.findFirstOrThrow({ where: { personId: sun.id } })).post).toBe('纪检委员');

    const bad = await admin.post('/api/people/import', {
      csv: `username,name,orgCode,role,post\ngw.csv1.${tag},周,${villageA.code},支部工作人员,宣传委员\ngw.csv2.${tag},吴,${villageA.code},支部工作人员,${'职'.repeat(41)}\n`,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('第 3 行：职务不能超过 40 个字');
    expect(await prisma.person.count({ where: { username: { startsWith: `gw.csv` } } })).toBe(0);
    // the page shows the same
    const page = await admin.post('/admin/people/import', {
      csv: `username,name,orgCode,role,post\ngw.csv3.${tag},郑,${villageA.code},支部工作人员,${'职'.repeat(41)}\n`,
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('第 2 行：职务不能超过 40 个字');
  });

  describe('the people table', () => {
    let people: Record<string, string>;

    beforeAll(async () => {
      const make = async (name: string, orgId: string, role: Role, post?: string) =>
        (await makePerson(prisma, [{ orgId, role, ...(post ? { post } : {}) }], name)).username;
      people = {
        an: await make(`安${tag}`, villageA.id, Role.BRANCH_SECRETARY, '第一书记'),
        bai: await make(`白${tag}`, villageB.id, Role.BRANCH_SECRETARY, '驻村工作队员'),
        chen: await make(`陈${tag}`, villageB.id, Role.BRANCH_STAFF),
      };
    });

    it('searches 姓名, 用户名, 组织 and 职务', async () => {
      const by = async (q: string) => shown((await admin.get(`/admin/people?q=${encodeURIComponent(q)}`).expect(200)).text);
      expect(await by(`白${tag}`)).toEqual([people.bai]);
      expect(await by(people.chen)).toEqual([people.chen]);
      expect(await by(`驻村工作队员`)).toContain(people.bai);
      expect(await by(`驻村工作队员`)).not.toContain(people.an);
      const inB = await by(`乙村${tag}`);
      expect(inB).toEqual(expect.arrayContaining([people.bai, people.chen]));
      expect(inB).not.toContain(people.an);
      const none = await admin.get(`/admin/people?q=${encodeURIComponent('没有这个人')}`).expect(200);
      expect(none.text).toContain('没有符合条件的人员。');
    });

    it('filters by organisation and role; the search form keeps the sort; bad filters are a Chinese 400', async () => {
      const page = await admin.get(`/admin/people?orgId=${villageB.id}&role=BRANCH_SECRETARY&sort=name&dir=desc`).expect(200);
      expect(shown(page.text)).toContain(people.bai);
      expect(shown(page.text)).not.toContain(people.chen);
      expect(shown(page.text)).not.toContain(people.an);
      expect(page.text).toMatch(new RegExp(`<option value="${villageB.id}" selected>`));
      expect(page.text).toContain('<option value="BRANCH_SECRETARY" selected>');
      expect(page.text).toContain('<input type="hidden" name="sort" value="name">');
      expect(page.text).toContain('<input type="hidden" name="dir" value="desc">');
      const bad = await admin.get('/admin/people?role=KING&orgId=nope').expect(400);
      expect(bad.text).toContain('角色选择有误，请从列表中选择');
      expect(bad.text).toContain('组织选择有误，请从列表中选择');
      expect((await admin.get('/api/people?role=KING')).status).toBe(400);
    });

    it('sorts by a column header link that keeps the filters and turns the order round', async () => {
      const q = `q=${encodeURIComponent(tag)}`;
      const asc = await admin.get(`/admin/people?${q}&sort=name`).expect(200);
      const names = shown(asc.text);
      expect(names.indexOf(people.an)).toBeLessThan(names.indexOf(people.bai));
      expect(names.indexOf(people.bai)).toBeLessThan(names.indexOf(people.chen));
      expect(asc.text).toContain('<th aria-sort="ascending">');
      const href = decode(/<a href="([^"]+)" data-sort="name">/.exec(asc.text)![1]);
      expect(href).toBe(`/admin/people?${q}&sort=name&dir=desc`);
      const desc = await admin.get(href).expect(200);
      const back = shown(desc.text);
      expect(back.indexOf(people.chen)).toBeLessThan(back.indexOf(people.bai));
      expect(desc.text).toContain('<th aria-sort="descending">');
      // 职务: people with one first
      const byPost = shown((await admin.get(`/admin/people?${q}&sort=post`).expect(200)).text);
      expect(byPost.indexOf(people.chen)).toBeGreaterThan(byPost.indexOf(people.an));
      expect(byPost.indexOf(people.chen)).toBeGreaterThan(byPost.indexOf(people.bai));
      // the edit link, the export and the 停用 form carry the query; 停用 comes back to the same list
      expect(decode(desc.text)).toContain(`/edit?${q}&sort=name&dir=desc"`);
      expect(decode(desc.text)).toContain(`href="/api/people/export.csv?${q}"`);
      expect(decode(desc.text)).toContain(`<input type="hidden" name="back" value="${q}&sort=name&dir=desc">`);
      const chenId = (await prisma.person.findUniqueOrThrow({ where: { username: people.chen } })).id;
      const stop = await admin.post(`/admin/people/${chenId}/deactivate`, { back: `${q}&sort=name&dir=desc&evil=1` }).expect(303);
      expect(decode(stop.headers.location)).toBe(`/admin/people?${q}&includeInactive=1&sort=name&dir=desc`);
    });
  });
});
