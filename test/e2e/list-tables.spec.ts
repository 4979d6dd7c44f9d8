/**
 * The people list, the 收发文台账 and a requirement's 填报情况 in Chromium: at a desk a table whose column headers sort
 * and whose filters search, without script; on a phone each row is a card (no table header, label beside each value,
 * the name on top).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'puppeteer-core';
import { randomUUID } from 'node:crypto';
import { FilingStatus, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, launchBrowser, PHONE } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { startApp } from '../support/test-app';

describe('list tables in Chromium', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let admin: { username: string };
  let staff: { id: string; username: string };
  let requirementId: string;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共列表测试乡委员会' });
    const a = await makeBranch(prisma, committee.id, undefined, '甲村党支部');
    const b = await makeBranch(prisma, committee.id, undefined, '乙村党支部');
    admin = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '列表管理员');
    await makePerson(prisma, [{ orgId: a.id, role: Role.BRANCH_SECRETARY, post: '第一书记' }], '安书记');
    await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_SECRETARY, post: '驻村工作队员' }], '白书记');
    await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_STAFF }], '陈干事');
    staff = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '列表党建办');
    for (const [serial, title] of [
      [57, '关于报送党员发展计划的通知'],
      [58, '关于开展主题党日活动的通知'],
    ] as const) {
      const document = await prisma.document.create({
        data: {
          orgId: committee.id,
          kind: '通知',
          title,
          organCode: '测委发',
          year: 2026,
          serial,
          docNumber: `列测委发〔2026〕${serial}号`,
          model: { title },
          status: 'ISSUED',
        },
      });
      await prisma.directive.create({
        data: {
          orgId: committee.id,
          documentId: document.id,
          status: 'ISSUED',
          drafterId: staff.id,
          chain: {},
          distribution: { mode: 'ALL' },
          issuedAt: new Date(),
        },
      });
    }
    // A requirement of the last directive: 甲村 has not filed, 乙村's filing was accepted.
    const directive = await prisma.directive.findFirstOrThrow({ where: { orgId: committee.id }, orderBy: { createdAt: 'desc' } });
    requirementId = (
      await prisma.requirement.create({
        data: { directiveId: directive.id, orgId: committee.id, title: '主题党日情况', form: {}, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
      })
    ).id;
    const deadlineAt = new Date(Date.now() + 3 * 86400_000);
    await prisma.filing.create({ data: { requirementId, orgId: a.id, taskId: randomUUID(), deadlineAt } });
    await prisma.filing.create({
      data: {
        requirementId,
        orgId: b.id,
        taskId: randomUUID(),
        deadlineAt,
        status: FilingStatus.ACCEPTED,
        submittedAt: new Date(),
        version: 1,
        reviewerId: staff.id,
      },
    });
  });

  afterAll(async () => {
    await browser.close();
    await app.close();
  });

  async function newPage(viewport: { width: number; height: number }, username = admin.username): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setJavaScriptEnabled(false); // the filters and sorting are links and a GET form
    await page.setViewport(viewport);
    await page.goto(`${url}/login`);
    await page.type('input[name=username]', username);
    await page.type('input[name=password]', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    return page;
  }
  const names = (page: Page) => page.$$eval('[data-people-table] td.person-name', (tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));

  it('at a desk: a table; search, then sort by name descending from the header', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await page.goto(`${url}/admin/people`);
    expect(await page.$eval('[data-people-table] thead', (el) => getComputedStyle(el).display)).toBe('table-header-group');
    await page.type('input[name=q]', '书记');
    await Promise.all([page.waitForNavigation(), page.click('[data-people-filters] button[type=submit]')]);
    expect((await names(page)).sort()).toEqual(['安书记', '白书记'].sort()); // by 用户名 (random here) until sorted
    await Promise.all([page.waitForNavigation(), page.click('a[data-sort=name]')]);
    await Promise.all([page.waitForNavigation(), page.click('a[data-sort=name]')]);
    expect(new URL(page.url()).search).toBe('?q=%E4%B9%A6%E8%AE%B0&sort=name&dir=desc');
    expect(await names(page)).toEqual(['白书记', '安书记']);
    expect(await page.$eval('input[name=q]', (el) => (el as HTMLInputElement).value)).toBe('书记');
    await page.screenshot({ path: artifact('e2e', 'people-table-desk.png'), fullPage: true });
  });

  it('on a phone: each person is a card that fits the screen, labels beside the values', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${url}/admin/people?role=BRANCH_SECRETARY&sort=name`);
    expect(await names(page)).toEqual(['安书记', '白书记']);
    expect(await page.$eval('[data-people-table] thead', (el) => getComputedStyle(el).display)).toBe('none');
    const card = await page.$eval('[data-people-table] tbody tr', (tr) => ({
      display: getComputedStyle(tr).display,
      border: getComputedStyle(tr).borderTopWidth,
      post: (tr.querySelector('[data-posts]') as HTMLElement).innerText,
      label: getComputedStyle(tr.querySelector('[data-posts]') as HTMLElement, '::before').content,
    }));
    expect(card).toEqual({ display: 'block', border: '1px', post: '第一书记', label: '"职务"' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'people-table-phone.png'), fullPage: true });
  });

  it('收发文台账 on a phone: found by 文号, each directive a card', async () => {
    const page = await newPage(PHONE, staff.username);
    await page.goto(`${url}/directives`);
    await page.type('input[name=no]', '58');
    await Promise.all([page.waitForNavigation(), page.click('[data-register-filters] button[type=submit]')]);
    const cards = await page.$$eval('[data-register] tbody tr', (trs) =>
      trs.map((tr) => ({
        display: getComputedStyle(tr).display,
        text: (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
        labels: Array.from(tr.querySelectorAll('td')).map((td) => getComputedStyle(td, '::before').content),
      })),
    );
    expect(cards).toHaveLength(1);
    expect(cards[0].display).toBe('block');
    expect(cards[0].text).toMatch(/^列测委发〔2026〕58号 关于开展主题党日活动的通知 已印发/);
    expect(cards[0].labels).toEqual(['"文号"', '"标题"', '"状态"', '"发文日期"', '"更新时间"']);
    expect(await page.$eval('[data-register] thead', (el) => getComputedStyle(el).display)).toBe('none');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'register-phone.png'), fullPage: true });
  });

  const branches = (page: Page) => page.$$eval('[data-filing-rows] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-org')));

  it('填报情况 at a desk: a table with headers; searched by 支部, sorted by 状态 from the header, the chip kept', async () => {
    const page = await newPage({ width: 1280, height: 900 }, staff.username);
    await page.goto(`${url}/requirements/${requirementId}/filings`);
    expect(await page.$eval('[data-filing-rows] thead', (el) => getComputedStyle(el).display)).toBe('table-header-group');
    const headers = await page.$$eval('[data-filing-rows] thead th', (ths) => ths.map((th) => (th as HTMLElement).innerText.trim()));
    expect(headers).toEqual(['催办', '支部▲', '状态', '期限 / 剩余', '提交时间（版本）', '审核人']);
    expect(await branches(page)).toEqual(['甲村党支部', '乙村党支部']);
    await page.type('input[name=q]', '乙村');
    await Promise.all([page.waitForNavigation(), page.click('[data-filing-search] button[type=submit]')]);
    expect(await branches(page)).toEqual(['乙村党支部']);
    expect(await page.$eval('[data-row-filters] a[data-show=accepted] .count', (el) => el.textContent)).toBe('1');
    await Promise.all([page.waitForNavigation(), page.click('[data-clear-search]')]);
    await Promise.all([page.waitForNavigation(), page.click('a[data-sort=status]')]);
    await Promise.all([page.waitForNavigation(), page.click('a[data-sort=status]')]);
    expect(new URL(page.url()).search).toBe('?sort=status&dir=desc');
    expect(await branches(page)).toEqual(['乙村党支部', '甲村党支部']);
    expect(await page.$eval('a[data-sort=status]', (a) => [a.closest('th')?.getAttribute('aria-sort'), (a as HTMLElement).innerText])).toEqual([
      'descending',
      '状态▼',
    ]);
    await Promise.all([page.waitForNavigation(), page.click('[data-row-filters] a[data-show=open]')]);
    expect(new URL(page.url()).search).toBe('?show=open&sort=status&dir=desc');
    expect(await branches(page)).toEqual(['甲村党支部']);
    await page.screenshot({ path: artifact('e2e', 'filing-summary-desk.png'), fullPage: true });
  });

  it('填报情况 on a phone: each branch a card, its name on top and a label beside each value', async () => {
    const page = await newPage(PHONE, staff.username);
    await page.goto(`${url}/requirements/${requirementId}/filings`);
    expect(await page.$eval('[data-filing-rows] thead', (el) => getComputedStyle(el).display)).toBe('none');
    const cards = await page.$$eval('[data-filing-rows] tbody tr', (trs) =>
      trs.map((tr) => ({
        display: getComputedStyle(tr).display,
        border: getComputedStyle(tr).borderTopWidth,
        labels: Array.from(tr.querySelectorAll('td'))
          .filter((td) => getComputedStyle(td).display !== 'none')
          .map((td) => getComputedStyle(td, '::before').content),
        name: (tr.querySelector('td.org-cell') as HTMLElement).innerText.trim(),
      })),
    );
    expect(cards).toEqual([
      { display: 'block', border: '1px', labels: ['"催办"', 'none', '"状态"', '"期限"', '"提交时间"', '"审核人"'], name: '甲村党支部' },
      { display: 'block', border: '1px', labels: ['none', '"状态"', '"期限"', '"提交时间"', '"审核人"'], name: '乙村党支部' },
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'filing-summary-phone.png'), fullPage: true });
  });
});
