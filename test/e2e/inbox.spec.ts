/**
 * The inbox in real Chromium on a phone screen: 加载更多 appends the next page in deadline order without duplicates,
 * the kind and directive filters live in the URL and survive 加载更多 and a reload, and the 待办 badge in the menu
 * and the window title follow new tasks without a reload.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'puppeteer-core';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, fitsPhone, launchBrowser, phonePageAs, text } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, ofDirective, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { startApp } from '../support/test-app';

const HOUR = 3600_000;
const N = 42; // every third a 填报 (14), the rest 签收 (28): pages of 20, 20 and 2
const FORM = { title: '情况报告', fields: [{ key: 'note', label: '情况', type: 'longText', required: true, maxLength: 500 }] };
const titleOf = (i: number) => `关于做好第${i + 1}批党建重点工作的通知`;
const isFiling = (i: number) => i % 3 === 0;

describe('待办 in Chromium', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let branchUser: { username: string };
  let committeeId: string;
  let branchId: string;
  let drafterId: string;
  const directiveIds: string[] = [];
  const filingIds: string[] = [];

  /** A directive issued earlier (seeded: this suite is about the inbox, not the workflows) and the branch's task for it. */
  async function seedTask(i: number, opts: { dueAt: Date; overdue?: boolean }) {
    const doc = await prisma.document.create({
      data: { orgId: committeeId, kind: 'standard', title: titleOf(i), organCode: '箱委发', model: SEED_MODEL as never, status: 'ISSUED' },
    });
    const directive = await prisma.directive.create({
      data: { orgId: committeeId, documentId: doc.id, status: 'ISSUED', drafterId, chain: {}, distribution: { mode: 'ALL' }, issuedAt: new Date() },
    });
    directiveIds[i] = directive.id;
    const kind = isFiling(i) ? 'FILING' : 'RECEIPT';
    const task = await prisma.task.create({
      data: {
        key: `seed:${kind}:${directive.id}:${branchId}`,
        kind,
        orgId: branchId,
        ...ofDirective(directive.id),
        title: kind === 'FILING' ? `填报：第${i + 1}批情况报告` : `签收：${titleOf(i)}`,
        dueAt: opts.dueAt,
        overdue: !!opts.overdue,
      },
    });
    if (kind === 'FILING') {
      const req = await prisma.requirement.create({
        data: { directiveId: directive.id, orgId: committeeId, title: `第${i + 1}批情况报告`, form: FORM, deadlineKind: 'FIXED', deadlineAt: opts.dueAt },
      });
      filingIds[i] = (await prisma.filing.create({ data: { requirementId: req.id, orgId: branchId, taskId: task.id, deadlineAt: opts.dueAt } })).id;
      // A filing task acts on its filing.
      await prisma.task.update({ where: { id: task.id }, data: { subjectType: 'filing', subjectId: filingIds[i] } });
    }
    return task;
  }

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共大滩乡委员会', organCode: `箱${Date.now() % 100000}发` });
    committeeId = committee.id;
    drafterId = (await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李党建')).id;
    const branch = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会');
    branchId = branch.id;
    branchUser = await makePerson(prisma, [{ orgId: branch.id, role: Role.BRANCH_SECRETARY }], '陈支书');
    // Deadlines one hour apart, in seeding order, from two days ahead; two more already overdue.
    const start = Date.now() + 2 * 24 * HOUR;
    for (let i = 0; i < N; i++) await seedTask(i, { dueAt: new Date(start + i * HOUR) });
    for (let i = N; i < N + 2; i++) await seedTask(i, { dueAt: new Date(Date.now() - (i - N + 1) * 24 * HOUR), overdue: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const items = (page: Page) =>
    page.$$eval('[data-task-list] > li', (els) =>
      els.map((li) => ({
        id: li.getAttribute('data-task-id') as string,
        title: (li.querySelector('.task-title') as HTMLElement).innerText.trim(),
        asked: (li.querySelector('.asked') as HTMLElement).innerText.trim(),
      })),
    );
  /** Taps 加载更多 and waits until the list has grown to `count` items. */
  async function more(page: Page, count: number) {
    await page.$eval('[data-more]', (a) => (a as HTMLAnchorElement).click());
    await page.waitForFunction((n) => document.querySelectorAll('[data-task-list] > li').length >= n, { timeout: 15_000 }, count);
    // The button either points at the following page or is gone.
    await page.waitForFunction(() => !document.querySelector('[data-more]') || document.querySelector('[data-more]')?.textContent === '加载更多');
  }
  const expectedTitle = (i: number) => (isFiling(i) ? `填报：第${i + 1}批情况报告` : titleOf(i));
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

  it('加载更多 appends the next pages in deadline order, without duplicates, until there is no more', async () => {
    const page = await phonePageAs(browser, url, branchUser.username, PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    expect((await items(page)).map((t) => t.title)).toEqual(range(0, 20).map(expectedTitle));
    expect(await text(page, '[data-task-list] > li:first-child .due')).toMatch(/期限：\d{4}年\d+月\d+日 \d\d:\d\d · (还剩 \d+ 个工作日|今天到期)/);
    await page.screenshot({ path: artifact('e2e', 'inbox-first-page-phone.png'), fullPage: false });

    await more(page, 40);
    let shown = await items(page);
    expect(shown.map((t) => t.title)).toEqual(range(0, 40).map(expectedTitle));
    expect(new Set(shown.map((t) => t.id)).size).toBe(40);
    expect(await text(page, '[data-more]')).toBe('加载更多');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/inbox'); // appended in place, no navigation

    await more(page, N);
    shown = await items(page);
    expect(shown.map((t) => t.title)).toEqual(range(0, N).map(expectedTitle));
    expect(new Set(shown.map((t) => t.id)).size).toBe(N);
    expect(await page.$('[data-more]')).toBeNull();
    expect(await fitsPhone(page)).toBe(true);
    // The overdue ones are on their own tab, with their badge.
    expect(await text(page, '[data-count="todo"]')).toBe(String(N));
    expect(await text(page, '[data-count="overdue"]')).toBe('2');
  });

  it('filters by kind and by directive stay in the URL through 加载更多, a reload and the tabs', async () => {
    const page = await phonePageAs(browser, url, branchUser.username, PASSWORD);
    // 签收 only: 28 of them, 20 then 8 more, never a 填报.
    await Promise.all([page.waitForNavigation(), page.$eval('.segmented a[data-kind="RECEIPT"]', (a) => (a as HTMLAnchorElement).click())]);
    expect(new URL(page.url()).searchParams.get('kind')).toBe('RECEIPT');
    expect(await text(page, '.segmented a.active')).toBe('签收');
    const receipts = range(0, N).filter((i) => !isFiling(i));
    expect((await items(page)).map((t) => t.title)).toEqual(receipts.slice(0, 20).map(expectedTitle));
    expect(new URL(await page.$eval('[data-more]', (a) => (a as HTMLAnchorElement).href)).searchParams.get('kind')).toBe('RECEIPT');
    await more(page, receipts.length);
    const shown = await items(page);
    expect(shown.map((t) => t.title)).toEqual(receipts.map(expectedTitle));
    expect(new Set(shown.map((t) => t.id)).size).toBe(receipts.length);
    expect(shown.every((t) => t.asked === '签收')).toBe(true);
    expect(await page.$('[data-more]')).toBeNull();
    await page.screenshot({ path: artifact('e2e', 'inbox-filter-kind-phone.png'), fullPage: false });

    // 填报: one page of 14, each opening its filing.
    await Promise.all([page.waitForNavigation(), page.$eval('.segmented a[data-kind="FILING"]', (a) => (a as HTMLAnchorElement).click())]);
    const filings = range(0, N).filter(isFiling);
    expect((await items(page)).map((t) => t.title)).toEqual(filings.map(expectedTitle));
    expect(await page.$('[data-more]')).toBeNull();

    // A directive chosen from the list (it lists the branch's directives, newest task first) applies at once and keeps the kind.
    expect(await page.$$eval('[data-filter-form] button', (bs) => bs.filter((b) => (b as HTMLElement).offsetParent !== null).length)).toBe(0); // no button needed with script
    const options = await page.$$eval('select[data-directive-filter] option', (os) => os.map((o) => (o as HTMLOptionElement).textContent?.trim()));
    expect(options[0]).toBe('全部发文');
    expect(options).toHaveLength(N + 3);
    expect(options).toContain(titleOf(9));
    await Promise.all([page.waitForNavigation(), page.select('select[data-directive-filter]', directiveIds[9])]);
    const q = new URL(page.url()).searchParams;
    expect([q.get('kind'), q.get('directiveId'), q.get('tab')]).toEqual(['FILING', directiveIds[9], 'todo']);
    expect((await items(page)).map((t) => t.title)).toEqual([expectedTitle(9)]);
    await page.reload();
    expect((await items(page)).map((t) => t.title)).toEqual([expectedTitle(9)]);
    expect(await page.$eval('select[data-directive-filter]', (s) => (s as HTMLSelectElement).value)).toBe(directiveIds[9]);
    expect(await text(page, '.segmented a.active')).toBe('填报');
    expect(await fitsPhone(page)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'inbox-filter-directive-phone.png'), fullPage: false });

    // The 逾期 tab keeps the filters too; nothing of that directive is overdue, and the way back is one tap.
    await Promise.all([page.waitForNavigation(), page.$eval('.tabs a[href*="tab=overdue"]', (a) => (a as HTMLAnchorElement).click())]);
    expect(new URL(page.url()).searchParams.get('directiveId')).toBe(directiveIds[9]);
    expect(await text(page, '[data-empty]')).toContain('没有符合筛选条件的事项。');
    await Promise.all([page.waitForNavigation(), page.$eval('[data-clear-filters]', (a) => (a as HTMLAnchorElement).click())]);
    expect((await items(page)).map((t) => t.title)).toEqual([expectedTitle(N + 1), expectedTitle(N)]); // the older deadline first
    expect(await text(page, '.segmented a.active')).toBe('全部');
  });

  it('the 待办 badge in the menu and the window title follow new tasks on another page, without a reload', async () => {
    const page = await phonePageAs(browser, url, branchUser.username, PASSWORD);
    await page.goto(`${url}/filings/${filingIds[0]}`);
    const badge = (key: string) =>
      page.$eval(`nav [data-nav-count="${key}"]`, (el) => ((el as HTMLElement).hidden ? '' : (el as HTMLElement).innerText.trim()));
    await page.waitForFunction((n) => document.querySelector('nav [data-nav-count="todo"]')?.textContent === n, { timeout: 10_000 }, String(N));
    expect(await badge('overdue')).toBe('逾期 2');
    expect(await page.title()).toBe(`(${N + 2}) 第1批情况报告 · 党建工作台`);
    expect(await fitsPhone(page)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'nav-badge-phone.png'), fullPage: false });

    // A new directive reaches the branch; coming back to the page (it becomes visible) shows it at once.
    await seedTask(N + 2, { dueAt: new Date(Date.now() + 5 * 24 * HOUR) });
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction((n) => document.querySelector('nav [data-nav-count="todo"]')?.textContent === n, { timeout: 10_000 }, String(N + 1));
    expect(await page.title()).toBe(`(${N + 3}) 第1批情况报告 · 党建工作台`);

    // While the page stays open and visible, the next one arrives by itself within the polling period (25 s).
    await seedTask(N + 3, { dueAt: new Date(Date.now() + 6 * 24 * HOUR) });
    await page.waitForFunction((n) => document.querySelector('nav [data-nav-count="todo"]')?.textContent === n, { timeout: 35_000 }, String(N + 2));
    expect(await page.title()).toBe(`(${N + 4}) 第1批情况报告 · 党建工作台`);
    expect(await badge('overdue')).toBe('逾期 2');
  });
});
