/**
 * The journeys people make through the task flow, in real Chromium with the real workflows:
 * - a branch secretary on a phone: the inbox → 签收 → reads the directive (page and PDF) → finds it in 收文 and opens
 *   it from there → opens the filing it asks for → fills and submits → the 待办 badge clears and the filing is in 已办 as 待审核;
 * - the reviewer at a desk: the 审核 task appears → returns it with a reason → the branch's open page shows the return
 *   without a reload → the branch resubmits → a new 审核 task → accepted, which the branch's page shows by itself.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'puppeteer-core';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, deskPageAs, fitsPhone, launchBrowser, phonePageAs, reloadUntil, setValue, submit, text, typeInto } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker, submitUntilIssued } from '../support/test-app';

const FORM = { title: '学习情况报告', fields: [{ key: 'note', label: '学习情况', type: 'longText', required: true, maxLength: 500 }] };
const TITLE = '关于报送第三季度学习情况的通知';
const RETURN_REASON = '请写明参加学习的党员人数';

describe('journeys through the task flow', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let directiveId: string;
  let filingId: string;
  const people = {} as Record<'reviewer' | 'branch', { username: string }>;
  let branchPage: Page;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `旅${Date.now() % 100000}发` });
    const staff = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李审核');
    const secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    const village = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会');
    const branch = await makePerson(prisma, [{ orgId: village.id, role: Role.BRANCH_SECRETARY }], '刘大滩');
    Object.assign(people, { reviewer, branch });

    // Issued through the API (the drafting and approval pages have their own browser tests).
    const [drafter, rev, sec] = [new ApiSession(app), new ApiSession(app), new ApiSession(app)];
    await drafter.login(staff.username, PASSWORD);
    await rev.login(reviewer.username, PASSWORD);
    await sec.login(secretary.username, PASSWORD);
    const created = await drafter
      .post('/api/directives', {
        model: { ...SEED_MODEL, title: TITLE },
        chain: { reviewers: [reviewer.id], signerId: secretary.id },
        distribution: { mode: 'ALL' },
        requirements: [{ title: '第三季度学习情况', form: FORM, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
      })
      .expect(201);
    directiveId = created.body.id;
    await submitUntilIssued(drafter, directiveId, [rev, sec]);
    filingId = (await prisma.filing.findFirstOrThrow({ where: { requirement: { directiveId }, orgId: village.id } })).id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  const badge = (page: Page) => page.$eval('nav [data-nav-count="todo"]', (el) => ((el as HTMLElement).hidden ? '' : (el as HTMLElement).innerText.trim()));

  it('a branch secretary on a phone: 签收, reads the directive, fills, submits, and the badge clears', async () => {
    const page = await phonePageAs(browser, url, people.branch.username, PASSWORD);
    branchPage = page;
    await reloadUntil(page, `${url}/inbox`, 'button[data-ack]', '签收待办');
    // Two things to do: 签收 and 填报.
    expect(await badge(page)).toBe('2');
    expect(await text(page, '.tasks')).toContain(TITLE);
    await submit(page, 'button[data-ack]');
    expect(await text(page, '[role=status]')).toContain('已签收');
    expect(await badge(page)).toBe('1');

    // 已签收 and still readable: the inbox's 已办 leads to the directive, the page shows the document and the PDF.
    await page.goto(`${url}/inbox?tab=done`);
    await submit(page, 'a[data-directive-link]');
    expect(new URL(page.url()).pathname).toBe(`/directives/${directiveId}`);
    expect(await text(page, '[data-doc-title]')).toBe(TITLE);
    expect(await text(page, '[data-docno]')).toMatch(/^旅\d+发〔\d{4}〕1号$/);
    expect(await text(page, '[data-my-receipt]')).toContain('已签收');
    expect(await page.$('[data-decide]')).toBeNull();
    const pdf = await page.evaluate(async () => {
      const a = document.querySelector('a[data-pdf]') as HTMLAnchorElement;
      const r = await fetch(a.href, { credentials: 'same-origin' });
      return { status: r.status, type: r.headers.get('content-type') };
    });
    expect(pdf).toEqual({ status: 200, type: 'application/pdf' });
    expect(await fitsPhone(page)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'journey-directive-phone.png'), fullPage: true });

    // 收文 lists it as well, a card on the phone: 已签收 and the 填报 it asks for; it opens the directive, which leads
    // back to 收文.
    await submit(page, 'nav a[href="/received"]');
    expect(await page.$eval('[data-received] thead', (el) => getComputedStyle(el).display)).toBe('none');
    const row = `[data-received] tr[data-directive="${directiveId}"]`;
    const card = await page.$eval(row, (tr) => ({ display: getComputedStyle(tr).display, text: (tr as HTMLElement).innerText.replace(/\s+/g, ' ') }));
    expect(card.display).toBe('block');
    expect(card.text).toContain(TITLE);
    expect(card.text).toMatch(/已签收 \d{4}年/);
    expect(card.text).toContain('第三季度学习情况 待填报');
    expect(await fitsPhone(page)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'journey-received-phone.png'), fullPage: true });
    await submit(page, `${row} a[data-received-link]`);
    expect(new URL(page.url()).pathname).toBe(`/directives/${directiveId}`);
    expect(await text(page, '[data-doc-title]')).toBe(TITLE);
    expect(await page.$('a[data-pdf]')).not.toBeNull();
    await submit(page, 'a[data-back-received]');
    expect(new URL(page.url()).pathname).toBe('/received');
    await submit(page, `${row} a[data-received-link]`);

    // The directive leads to the filing it asks for; the filing leads back to the directive and to the inbox.
    await submit(page, 'a[data-my-filing]');
    expect(new URL(page.url()).pathname).toBe(`/filings/${filingId}`);
    expect(await page.$eval('a[data-directive-link]', (a) => a.getAttribute('href'))).toBe(`/directives/${directiveId}`);
    expect(await page.$eval('a[data-back-inbox]', (a) => a.getAttribute('href'))).toBe('/inbox');
    await typeInto(page, '[data-field="note"] [data-v]', '本季度组织集中学习 3 次。');
    await submit(page, '[data-filing-submit]');
    expect(await text(page, '[data-status]')).toBe('待审核');
    // Nothing left to do: the badge clears, and the filing is in 已办 as 待审核.
    await page.waitForFunction(() => (document.querySelector('nav [data-nav-count="todo"]') as HTMLElement | null)?.hidden === true, { timeout: 30_000 });
    await page.goto(`${url}/inbox`);
    expect(await badge(page)).toBe('');
    expect(await text(page, '[data-empty]')).toContain('暂无待办事项');
    await page.goto(`${url}/inbox?tab=done`);
    expect(await text(page, '.tasks')).toContain('填报 · 待审核');
    await page.screenshot({ path: artifact('e2e', 'journey-done-phone.png'), fullPage: true });
    await page.goto(`${url}/filings/${filingId}`);
  }, 120_000);

  it('the reviewer: the 审核 task appears, returns it, the branch resubmits, accepted — the branch’s page follows without a reload', async () => {
    const page = await deskPageAs(browser, url, people.reviewer.username, PASSWORD);
    await reloadUntil(page, `${url}/inbox`, 'a[data-filing-link]', '审核待办');
    expect(await text(page, '.tasks')).toContain('审核：第三季度学习情况（中共大滩乡大滩村支部委员会）');
    expect(await badge(page)).toBe('1');
    await submit(page, 'a[data-filing-link]');
    expect(new URL(page.url()).pathname).toBe(`/filings/${filingId}`);
    // The committee reaches every branch's filings of this requirement from here.
    expect(await page.$eval('a[data-requirement-summary]', (a) => a.getAttribute('href'))).toMatch(/^\/requirements\/[0-9a-f-]{36}\/filings$/);
    expect(await text(page, '[data-submitted-values]')).toContain('集中学习 3 次');
    await typeInto(page, 'textarea[name=comment]', RETURN_REASON);
    await setValue(page, 'input[name=newDate]', DateTime.now().setZone('Asia/Shanghai').plus({ days: 10 }).toISODate() as string);
    await submit(page, 'button[data-return]');
    expect(await text(page, '[data-status]')).toBe('退回修改');
    // The page that answers the form still leads back to the inbox it was opened from.
    expect(await page.$eval('a[data-back-inbox]', (a) => a.getAttribute('href'))).toBe('/inbox?tab=todo');
    await page.goto(`${url}/inbox`);
    expect(await page.$('a[data-filing-link]')).toBeNull();

    // The branch's filing page, left open, shows the return by itself (live status), with the form to fix it.
    await branchPage.waitForSelector('[data-return-reason]', { timeout: 30_000 });
    expect(await text(branchPage, '[data-return-reason]')).toContain(RETURN_REASON);
    expect(await text(branchPage, '[data-status]')).toBe('退回修改');
    await branchPage.goto(`${url}/inbox`);
    expect(await badge(branchPage)).toBe('1');
    expect(await text(branchPage, '.tasks')).toContain('填报 · 退回修改');
    await submit(branchPage, 'a[data-filing-link]');
    await typeInto(branchPage, '[data-field="note"] [data-v]', '参加学习党员 23 人。');
    await submit(branchPage, '[data-filing-submit]');
    expect(await text(branchPage, '[data-status]')).toBe('待审核');
    expect(await branchPage.$eval('a[data-back-inbox]', (a) => a.getAttribute('href'))).toBe('/inbox?tab=todo');
    await branchPage.waitForFunction(() => (document.querySelector('nav [data-nav-count="todo"]') as HTMLElement | null)?.hidden === true, {
      timeout: 30_000,
    });

    // A new 审核 task for the second version; accepted.
    await reloadUntil(page, `${url}/inbox`, 'a[data-filing-link]', '第二次审核待办');
    await submit(page, 'a[data-filing-link]');
    expect(await text(page, '[data-submitted-values]')).toContain('23 人');
    await submit(page, 'button[data-accept]');
    expect(await text(page, '[data-status]')).toBe('已通过');
    await page.goto(`${url}/inbox`);
    expect(await badge(page)).toBe('');
    await page.screenshot({ path: artifact('e2e', 'journey-reviewer-desk.png'), fullPage: true });

    // The branch's page, open since it resubmitted, says 已通过 without a reload.
    await branchPage.waitForSelector('[data-accepted]', { timeout: 30_000 });
    expect(await text(branchPage, '[data-status]')).toBe('已通过');
  }, 180_000);
});
