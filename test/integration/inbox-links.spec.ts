/**
 * Every task leads somewhere and back (issue 17): for each kind of task, the inbox item opens its subject page, and
 * that page links back to the inbox at the same tab and filter. The way back only ever leads to /inbox, and it
 * survives a form sent from the page (签收, 审核, 申请延期): the page that answers still links back the same way.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { buildTaskWorld, TaskWorld } from '../support/task-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

/** An attribute's value as a browser reads it. */
const decode = (v: string) =>
  v
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');

describe('inbox items lead to their subject and back', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let w: TaskWorld;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    w = await buildTaskWorld(app, prisma, `链${Date.now() % 100000}发`);
  }, 150_000);

  afterAll(async () => {
    Drills.clear();
    await worker?.close();
    await app?.close();
  });

  /** The subject links of the inbox's items at `query`. */
  async function subjectLinks(s: ApiSession, query: string): Promise<string[]> {
    const page = await s.get(`/inbox?${query}`).set('accept', 'text/html').expect(200);
    const list = page.text.slice(page.text.indexOf('data-task-list'));
    return [...list.matchAll(/<div class="task-title"><a href="([^"]*)" data-subject-link/g)].map((m) => decode(m[1]));
  }

  const backOf = (html: string) => {
    const m = /<a href="([^"]*)" data-back-inbox>← 返回待办<\/a>/.exec(html);
    return m ? decode(m[1]) : undefined;
  };

  const cases: { kind: string; who: () => ApiSession; query: string; subject: () => RegExp }[] = [
    { kind: '签收', who: () => w.branch[0], query: 'tab=todo&kind=RECEIPT', subject: () => new RegExp(`^/directives/${w.directiveId}\\?`) },
    { kind: '填报', who: () => w.branch[0], query: 'tab=todo&kind=FILING', subject: () => /^\/filings\/[0-9a-f-]{36}\?/ },
    { kind: '审核', who: () => w.reviewer, query: 'tab=todo&kind=FILING', subject: () => new RegExp(`^/filings/${w.submittedFilingId}\\?`) },
    { kind: '审批（已办）', who: () => w.reviewer, query: 'tab=done&kind=APPROVAL', subject: () => new RegExp(`^/directives/${w.directiveId}\\?`) },
    { kind: '抽查', who: () => w.inspector, query: 'tab=todo&kind=INSPECTION', subject: () => new RegExp(`^/spot-checks/${w.spotCheckId}/inspect\\?.*#unit-`) },
    { kind: '评议打分', who: () => w.evaluator, query: 'tab=todo&kind=BALLOT', subject: () => new RegExp(`^/reviews/${w.reviewId}/ballot\\?`) },
    {
      kind: '陈述申辩',
      who: () => w.branch[0],
      query: 'tab=todo&kind=ACCOUNTABILITY',
      subject: () => new RegExp(`^/accountability/cases/${w.caseId}\\?.*#task-`),
    },
  ];

  it.each(cases.map((c) => [c.kind, c] as const))('%s: the item opens its subject, which links back to the same tab and filter', async (_k, c) => {
    const s = c.who();
    const links = await subjectLinks(s, c.query);
    expect(links.length).toBeGreaterThan(0);
    const href = links[0];
    expect(href).toMatch(c.subject());
    expect(new URL(href, 'http://x').searchParams.get('from')).toBe(`/inbox?${c.query}`);
    const page = await s.get(href.split('#')[0]).set('accept', 'text/html').expect(200);
    expect(backOf(page.text)).toBe(`/inbox?${c.query}`);
    // The way back opens the inbox as it was.
    const back = await s
      .get(backOf(page.text) as string)
      .set('accept', 'text/html')
      .expect(200);
    expect(back.text).toContain(href.replace(/=/g, '&#x3D;').replace(/&(?!#x3D;)/g, '&amp;'));
  });

  it('the way back only ever leads to the inbox: another address in from is not echoed', async () => {
    const filing = `/filings/${w.submittedFilingId}`;
    for (const from of ['//evil.example/inbox', 'https://evil.example/inbox', '/inbox/../admin/orgs', '/inboxx', 'javascript:alert(1)', '/\\evil.example']) {
      const page = await w.reviewer
        .get(`${filing}?from=${encodeURIComponent(from)}`)
        .set('accept', 'text/html')
        .expect(200);
      expect(backOf(page.text)).toBe('/inbox');
    }
    // What is kept is only the tab, the category and the directive; the rest is dropped.
    const page = await w.reviewer
      .get(`${filing}?from=${encodeURIComponent(`/inbox?tab=overdue&kind=NOPE&directiveId=${w.directiveId}&x="><script>`)}`)
      .set('accept', 'text/html')
      .expect(200);
    expect(backOf(page.text)).toBe(`/inbox?tab=overdue&directiveId=${w.directiveId}`);
    // A subject page opened otherwise than from the inbox has no 返回待办 (the ballot, the case, the round's inspection).
    expect(backOf((await w.evaluator.get(`/reviews/${w.reviewId}/ballot`).set('accept', 'text/html').expect(200)).text)).toBeUndefined();
  });

  it('the notice of a case task opens the case from the 消息 list', async () => {
    const page = await w.branch[0].get('/inbox').set('accept', 'text/html').expect(200);
    const list = page.text.slice(page.text.indexOf('<ul class="notices">')).split('</ul>')[0];
    const defence = [...list.matchAll(/<a href="([^"]*)" data-notice-link>([^<]*)<\/a>/g)].find((m) => m[2].includes('陈述申辩'));
    expect(decode(defence?.[1] ?? '')).toMatch(new RegExp(`^/accountability/cases/${w.caseId}\\?from=%2Finbox%3Ftab%3Dtodo#task-`));
  });

  /** Sends a form of `html` (the one whose opening tag matches `form`) as the browser would: its hidden fields and `fields`. */
  async function sendForm(s: ApiSession, html: string, form: RegExp, fields: Record<string, string> = {}) {
    const open = form.exec(html);
    expect(open).not.toBeNull();
    const rest = html.slice((open as RegExpExecArray).index);
    const body = rest.slice(0, rest.indexOf('</form>'));
    const action = decode(/action="([^"]*)"/.exec(body)?.[1] ?? '');
    const hidden = Object.fromEntries([...body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], decode(m[2])]));
    return s.agent
      .post(action)
      .type('form')
      .send({ ...hidden, ...fields });
  }

  it('the way back survives a form sent from the page: 签收 on the directive, 申请延期 and 审核 on a filing', async () => {
    const cases: { who: () => ApiSession; query: string; form: RegExp; fields: Record<string, string>; after: RegExp; done: string }[] = [
      {
        who: () => w.branch[0],
        query: 'tab=todo&kind=RECEIPT',
        form: /<form method="post" action="\/inbox\/[0-9a-f-]+\/acknowledge"/,
        fields: {},
        after: new RegExp(`^/directives/${w.directiveId}\\?done=acknowledged&from=`),
        done: '已签收。',
      },
      {
        who: () => w.branch[0],
        query: 'tab=todo&kind=FILING',
        form: /<form [^>]*data-extension-form>/,
        fields: { untilDate: new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10), untilTime: '17:30', reason: '村里正在换届，材料需重新汇总' },
        after: /^\/filings\/[0-9a-f-]{36}\?done=extension&from=/,
        done: '延期申请已提交',
      },
      {
        who: () => w.reviewer,
        query: 'tab=todo&kind=FILING',
        form: /<form [^>]*data-review-form>/,
        fields: { decision: 'ACCEPT', comment: '同意。' },
        after: new RegExp(`^/filings/${w.submittedFilingId}\\?done=accepted&from=`),
        done: '已审核通过。',
      },
    ];
    for (const c of cases) {
      const s = c.who();
      // The reviewer's 审核 of the submitted filing (an extension asked meanwhile may be listed too).
      const links = await subjectLinks(s, c.query);
      const href = (c.who() === w.reviewer ? links.find((l) => l.startsWith(`/filings/${w.submittedFilingId}?`)) : links[0]) as string;
      const page = await s.get(href.split('#')[0]).set('accept', 'text/html').expect(200);
      const sent = await sendForm(s, page.text, c.form, c.fields);
      expect(`${c.query} → ${sent.status}`).toBe(`${c.query} → 303`);
      expect(sent.headers.location).toMatch(c.after);
      expect(new URL(sent.headers.location, 'http://x').searchParams.get('from')).toBe(`/inbox?${c.query}`);
      const answer = await s.get(sent.headers.location).set('accept', 'text/html').expect(200);
      expect(answer.text).toContain(c.done);
      expect(backOf(answer.text)).toBe(`/inbox?${c.query}`);
    }
  });
});
