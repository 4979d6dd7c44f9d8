/**
 * Plain words: every page (the GET pages of PAGE_ROUTES in authorization.spec.ts, read from that file so a new page is
 * walked too) and a set of bad form submissions, as the people who use them see them, hold no field path
 * ("chain.signerId", "requirements[0]"), no English word and no internal name. Visible text only: scripts, templates
 * and folded <details> (复核抽样, where seeds and rule files live for those who need them) are not read; what assistive
 * technology reads and a pointer shows (aria-label, title) and the hints in empty fields (placeholder) are.
 * The detail pages of every lifecycle are walked on a world with a task of each kind (test/support/task-world.ts):
 * a spot-check round and its inspection page, a 述职评议 round and its ballot, a 评选表扬 round, a 问责 case.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makePerson, PASSWORD } from '../support/factories';
import { buildTaskWorld, TaskWorld } from '../support/task-world';
import { Drills } from '../../apps/server/src/tasks/drills';
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
 * developer word leaking. The aria-label, title and placeholder of a visible element are read as its text (a
 * placeholder that is a sample of a file to paste, data-sample, as a literal).
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
    // A field's sample of a file (data-sample: the CSV to paste) is a literal, like a <pre>.
    for (const a of attrs.matchAll(/\s(aria-label|title|placeholder)="([^"]*)"/g))
      (a[1] === 'placeholder' && /\sdata-sample\b/.test(attrs) ? literals : out).push(' ', decode(a[2]), ' ');
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
  let w: TaskWorld;
  let admin: ApiSession;
  let anonymous: ApiSession;
  let submitted: string;
  let open: string;
  const data: string[] = [];

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    w = await buildTaskWorld(app, prisma, `词${Date.now() % 100000}发`);
    // Branch 1 has submitted its plan (the task world); branch 0's is still open.
    submitted = w.submittedFilingId;
    open = (await prisma.filing.findFirstOrThrow({ where: { requirementId: w.requirementId, orgId: w.branchIds[0] } })).id;
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
    Drills.clear();
    await worker?.close();
    await app?.close();
  });

  /** Who opens each page, and with which ids of the seeded world. */
  async function visits(route: string): Promise<{ who: string; session: ApiSession; path: string }[] | null> {
    const branchPerson = await prisma.membership.findFirstOrThrow({ where: { orgId: w.branchIds[0] } });
    const ids: Record<string, string | undefined> = {
      '/admin/orgs/:id': w.branchIds[0],
      '/admin/people/:id': w.reviewerId,
      '/admin/signing/:orgId': w.committeeId,
      '/directives/:id': w.directiveId,
      '/requirements/:id': w.requirementId,
      '/filings/:id': submitted,
      '/overview/orgs/:orgId': w.branchIds[0],
      '/overview/people/:personId': branchPerson.personId,
      '/spot-checks/:id': w.spotCheckId,
      '/reviews/:id': w.reviewId,
      '/commendations/:id': w.commendationId,
      '/accountability/cases/:id': w.caseId,
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
    // The field pages of the people whose task they are: the inspector's 检查, the rater's 评分表.
    if (p.endsWith('/inspect')) return [{ who: '督查人员', session: w.inspector, path: p }];
    if (p.endsWith('/ballot')) return [{ who: '评议人', session: w.evaluator, path: p }];
    // A case: the committee and the branch concerned (its 陈述申辩); a round: the committee and a branch.
    if (p === `/accountability/cases/${w.caseId}` || p === `/commendations/${w.commendationId}`) return [staff, branch];
    if (p === `/spot-checks/${w.spotCheckId}`) return [staff, { who: '督查人员', session: w.inspector, path: p }];
    // The submitted filing is branch 1's.
    if (p.startsWith('/filings/')) return [staff, { who: '支部书记', session: w.branch[1], path: p }, { who: '审核人', session: w.reviewer, path: p }];
    if (p.startsWith('/admin')) return [{ who: '管理员', session: admin, path: p }];
    if (p === '/' || p === '/capacity' || p === '/inbox' || p.startsWith('/me/') || p.startsWith('/commendations/notices'))
      return [staff, branch, { who: '审核人', session: w.reviewer, path: p }, { who: '书记', session: w.secretary, path: p }];
    if (p.startsWith('/filings/') || p === `/directives/${w.directiveId}`) return [staff, branch, { who: '审核人', session: w.reviewer, path: p }];
    if (p.startsWith('/directives') && !p.endsWith('/urges')) return [staff, { who: '书记', session: w.secretary, path: p }];
    // 收文 is a branch's own list.
    if (p === '/received') return [branch];
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
    // Every page is walked, the detail pages of every lifecycle included.
    expect(unwalked).toEqual([]);
  }, 300_000);

  it('says what is wrong with a bad form in plain words, on the page and from the API', async () => {
    const pages: [string, ApiSession, string, Record<string, unknown>, RegExp][] = [
      ['新建发文，什么都没填', w.drafter, '/directives/new', { title: '' }, /标题/],
      ['退回修改没写理由', w.reviewer, `/filings/${submitted}/review`, { decision: 'RETURN', comment: '' }, /理由/],
      ['申请延期什么都没填', w.branch[0], `/filings/${open}/extension`, { reason: '' }, /延期/],
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
      ['填报内容有误', () => w.branch[0].post(`/api/filings/${open}/submit`, { values: { year: 'abc', tasks: [{ task: '' }] } })],
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
