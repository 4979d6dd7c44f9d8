/**
 * Plain words: every page (the GET pages of PAGE_ROUTES in authorization.spec.ts, read from that file so a new page is
 * walked too) and a set of bad form submissions, as the people who use them see them, hold no field path
 * ("chain.signerId", "requirements[0]"), no English word and no internal name. Visible text only: scripts, templates
 * and folded <details> (复核抽样, where seeds and rule files live for those who need them) are not read.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const SOURCE = fs.readFileSync(path.resolve(__dirname, 'authorization.spec.ts'), 'utf8');
const PAGE_ROUTES = [...(/const PAGE_ROUTES = new Set\(\[([\s\S]*?)\]\);/.exec(SOURCE)?.[1] ?? '').matchAll(/'GET ([^']+)'/g)].map((m) => m[1]);
/** Not pages: scripts, data files and the live-status tokens. */
const NOT_A_PAGE = /\.(js|json|xlsx)$|\/status$/;

/** Words that are names people use (file formats, products), not developer words. */
const ALLOWED = new Set(
  ['PDF', 'CSV', 'xlsx', 'XLSX', 'Excel', 'OFD', 'Word', 'WPS', 'JavaScript', 'Webhook', 'SMTP', 'MB', 'KB', 'PNG', 'SVG', 'JPEG', 'UTF', 'QQ']
    // The signing certificate's file and algorithm names (PKCS#12 .pfx, RSA, SHA-256, PAdES) and the robots' secret prefix.
    .concat(['PKCS', 'pfx', 'RSA', 'SHA', 'PAdES', 'SEC']),
);
/** A field path or camelCase name: chain.signerId, distribution.orgIds, organCode. */
const FIELD_PATH = /\b[a-z]+[A-Z.][A-Za-z.]*\b/g;
/** An English word: letters standing alone, not glued to digits (the hex of a test name such as 测试村3da1支部 is no word). */
const ENGLISH = /(?<![0-9A-Za-z])[A-Za-z]{2,}(?![0-9A-Za-z])/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ', '#x3D': '=', '#x60': '`' };
const decode = (t: string) => t.replace(/&(#?\w+);/g, (all, e: string) => ENTITIES[e] ?? all);
const HIDDEN = ['script', 'style', 'template', 'head', 'noscript', 'title'];
/** Literals a page shows as such (file columns, a command, a sample): in <code>, <pre>, <kbd>, <samp>. */
const LITERAL = ['code', 'pre', 'kbd', 'samp'];

/**
 * The text a person sees: text nodes outside <script>, <style>, <template>, <head> and folded <details> (whose
 * <summary> is seen). Literals (<code>, <pre>) are set apart: a word a page shows as a literal is a format, not a
 * developer word leaking. Placeholders are examples of what to type (a user name, a web address), not read.
 */
export function visibleText(html: string): { text: string; literals: string } {
  const out: string[] = [];
  const literals: string[] = [];
  const hidden: string[] = [];
  let literal = 0;
  const re = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const [, close, tag, attrs = '', text] = m;
    if (text !== undefined) {
      if (!hidden.length) (literal ? literals : out).push(decode(text));
      continue;
    }
    if (!tag) continue;
    const name = tag.toLowerCase();
    if (close) {
      if (hidden.length && hidden[hidden.length - 1] === name) hidden.pop();
      else if (!hidden.length && LITERAL.includes(name)) literal = Math.max(0, literal - 1);
      continue;
    }
    if (hidden.length) {
      if (name === hidden[hidden.length - 1]) hidden.push(name);
      continue;
    }
    if (HIDDEN.includes(name) || (name === 'details' && !/\bopen\b/.test(attrs))) {
      if (name === 'details') {
        const summary = /^[\s\S]*?<summary[^>]*>([\s\S]*?)<\/summary>/.exec(html.slice(re.lastIndex));
        if (summary) out.push(' ', decode(summary[1].replace(/<[^>]+>/g, '')), ' ');
      }
      hidden.push(name);
      continue;
    }
    if (LITERAL.includes(name)) literal++;
    out.push(' ');
  }
  const tidy = (a: string[]) => a.join('').replace(/\s+/g, ' ').trim();
  return { text: tidy(out), literals: tidy(literals) };
}

/** The developer words in a page's text, after taking out the data the world holds (user names, codes), web addresses and the page's own literals. */
function developerWords(page: { text: string; literals?: string }, data: string[]): string[] {
  let t = page.text.replace(/https?:\/\/\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[a-z][\w-]*(\.[a-z][\w-]*)*\.(cn|com|org|net|gov)\b/g, ' ');
  for (const d of data) t = t.split(d).join(' ');
  const shown = new Set(page.literals?.match(/[A-Za-z]{2,}/g) ?? []);
  const paths = (t.match(FIELD_PATH) ?? []).filter((p) => !shown.has(p));
  const english = (t.match(ENGLISH) ?? []).filter((w) => !ALLOWED.has(w) && !shown.has(w));
  return [...new Set([...paths, ...english])];
}

describe('plain words on every page and in every form error', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let w: Awaited<ReturnType<typeof issueAnnualPlan>>;
  let admin: ApiSession;
  let anonymous: ApiSession;
  let submitted: string;
  let open: string;
  const data: string[] = [];

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    w = await issueAnnualPlan(app, prisma, {
      organCode: `词${Date.now() % 100000}发`,
      drillSeconds: 3600,
      branchNames: ['中共大滩村支部委员会', '中共柏林村支部委员会'],
    });
    const filings = await prisma.filing.findMany({ where: { requirementId: w.requirementId }, orderBy: { orgId: 'asc' } });
    submitted = filings.find((f) => f.orgId === w.branchIds[0])?.id as string;
    open = filings.find((f) => f.orgId === w.branchIds[1])?.id as string;
    await w.branch[0]
      .post(`/api/filings/${submitted}/submit`, {
        values: {
          year: 2018,
          goals: '全面完成各项任务。',
          actions: ['leadership'],
          tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
          contactName: '刘大滩',
          contactPhone: '13800000001',
        },
      })
      .expect(200);
    const a = await makePerson(prisma, [{ orgId: w.committeeId, role: Role.ADMIN }], '赵管理');
    admin = new ApiSession(app);
    await admin.login(a.username, PASSWORD);
    anonymous = await new ApiSession(app).start();
    // Data, not words: the people's user names and the organisations' codes.
    data.push(...(await prisma.person.findMany({ select: { username: true } })).map((p) => p.username));
    data.push(...(await prisma.organization.findMany({ select: { code: true } })).map((o) => o.code));
    // What the bad submissions below type, echoed back to say what was wrong with it.
    data.push('abc', 'a b', 'MAYBE');
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  /** Who opens each page, and with which ids of the seeded world. */
  async function visits(route: string): Promise<{ who: string; session: ApiSession; path: string }[] | null> {
    const branchPerson = await prisma.membership.findFirstOrThrow({ where: { orgId: w.branchIds[0] } });
    const inCommittee = async <T extends { id: string }>(find: () => Promise<T | null>) => (await find())?.id;
    const ids: Record<string, string | undefined> = {
      '/admin/orgs/:id': w.branchIds[0],
      '/admin/people/:id': w.reviewerId,
      '/admin/signing/:orgId': w.committeeId,
      '/directives/:id': w.directiveId,
      '/requirements/:id': w.requirementId,
      '/filings/:id': submitted,
      '/overview/orgs/:orgId': w.branchIds[0],
      '/overview/people/:personId': branchPerson.personId,
      '/spot-checks/:id': await inCommittee(() => prisma.spotCheckRound.findFirst({ where: { orgId: w.committeeId } })),
      '/reviews/:id': await inCommittee(() => prisma.reviewRound.findFirst({ where: { orgId: w.committeeId } })),
      '/commendations/:id': await inCommittee(() => prisma.commendationRound.findFirst({ where: { orgId: w.committeeId } })),
      '/accountability/cases/:id': await inCommittee(() => prisma.accountabilityCase.findFirst({ where: { orgId: w.committeeId } })),
    };
    let p = route;
    for (const [prefix, id] of Object.entries(ids)) {
      if (!route.startsWith(prefix)) continue;
      if (!id) return null;
      p = prefix.replace(/:\w+$/, id) + route.slice(prefix.length);
    }
    if (/:\w+/.test(p)) return null;
    const staff = { who: '党建办', session: w.drafter, path: p };
    const branch = { who: '支部书记', session: w.branch[0], path: p };
    if (p === '/login') return [{ who: '未登录', session: anonymous, path: p }];
    if (p.startsWith('/admin')) return [{ who: '管理员', session: admin, path: p }];
    if (p === '/' || p === '/capacity' || p === '/inbox' || p.startsWith('/me/') || p.startsWith('/commendations/notices'))
      return [staff, branch, { who: '审核人', session: w.reviewer, path: p }, { who: '书记', session: w.secretary, path: p }];
    if (p.startsWith('/filings/') || p === `/directives/${w.directiveId}`) return [staff, branch, { who: '审核人', session: w.reviewer, path: p }];
    if (p.startsWith('/directives') && !p.endsWith('/urges')) return [staff, { who: '书记', session: w.secretary, path: p }];
    return [staff];
  }

  it('walks every page and finds no field path, English or internal word in what people see', async () => {
    expect(PAGE_ROUTES.length).toBeGreaterThan(30);
    const problems: string[] = [];
    const unwalked: string[] = [];
    let walked = 0;
    for (const route of PAGE_ROUTES.filter((r) => !NOT_A_PAGE.test(r))) {
      const plan = await visits(route);
      if (!plan) {
        unwalked.push(route);
        continue;
      }
      for (const v of plan) {
        const res = await v.session.get(v.path).redirects(1);
        if (res.status !== 200 || !/html/.test(res.headers['content-type'] ?? '')) {
          problems.push(`${v.who} GET ${v.path} → ${res.status}`);
          continue;
        }
        walked++;
        const words = developerWords(visibleText(res.text), data);
        if (words.length) problems.push(`${v.who} ${v.path}: ${words.join(' ')}`);
      }
    }
    expect(problems).toEqual([]);
    expect(walked).toBeGreaterThan(40);
    // The detail pages of lifecycles this world does not run (a spot-check round, a 述职评议 round, a 评选表扬 round, a
    // 问责 case) are walked by their own suites' worlds; every other page is walked here.
    expect(unwalked.every((r) => /^\/(spot-checks|reviews|commendations|accountability\/cases)\/:id/.test(r))).toBe(true);
  }, 300_000);

  it('says what is wrong with a bad form in plain words, on the page and from the API', async () => {
    const pages: [string, ApiSession, string, Record<string, unknown>, RegExp][] = [
      ['新建发文，什么都没填', w.drafter, '/directives/new', { title: '' }, /标题/],
      ['退回修改没写理由', w.reviewer, `/filings/${submitted}/review`, { decision: 'RETURN', comment: '' }, /理由/],
      ['申请延期什么都没填', w.branch[1], `/filings/${open}/extension`, { reason: '' }, /延期/],
      ['新建组织，编码不合规', admin, '/admin/orgs', { name: '', code: 'a b', kind: 'VILLAGE' }, /./],
      ['新建人员，什么都没填', admin, '/admin/people', { name: '' }, /./],
      ['新建抽查，什么都没填', w.drafter, '/spot-checks/new', { title: '' }, /./],
      ['新建评议，什么都没填', w.drafter, '/reviews/new', { title: '' }, /./],
    ];
    const problems: string[] = [];
    for (const [what, session, url, body, names] of pages) {
      const res = await session.post(url, body);
      if (res.status !== 400) {
        problems.push(`${what}: ${url} → ${res.status}`);
        continue;
      }
      const page = visibleText(res.text);
      if (!names.test(page.text)) problems.push(`${what}: 页面没有说明哪一项有误`);
      const words = developerWords(page, data);
      if (words.length) problems.push(`${what}: ${words.join(' ')}`);
    }
    const api: [string, () => Promise<{ status: number; body: { message: string; fields?: { message: string }[] } }>][] = [
      [
        '发文的审批链和分发有误',
        () =>
          w.drafter.post('/api/directives', {
            model: { title: '' },
            chain: { reviewers: ['x'], signerId: 'y' },
            distribution: { mode: 'LIST', orgIds: [] },
            requirements: [{ title: '计划', deadlineKind: 'FIXED', deadlineAt: '2017-01-17T09:00:00Z' }],
          }),
      ],
      ['填报内容有误', () => w.branch[1].post(`/api/filings/${open}/submit`, { values: { year: 'abc', tasks: [{ task: '' }] } })],
      ['待办的列表不存在', () => w.branch[1].get('/api/inbox?tab=later&kind=X&limit=abc')],
      ['审核结果不是可选的值', () => w.reviewer.post(`/api/filings/${submitted}/review`, { decision: 'MAYBE' })],
    ];
    for (const [what, call] of api) {
      const res = await call();
      if (res.status !== 400) {
        problems.push(`${what} → ${res.status}`);
        continue;
      }
      const all = [res.body.message, ...(res.body.fields ?? []).map((f) => f.message)].join(' ');
      const words = developerWords({ text: all }, data);
      if (words.length) problems.push(`${what}: ${words.join(' ')} （${res.body.message}）`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
