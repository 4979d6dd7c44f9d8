/** The first UI shell in real Chromium on a phone-sized screen: login, capacity, inbox, organisation and people administration. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, launchBrowser, PHONE } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { startApp } from '../support/test-app';

describe('UI shell in Chromium', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let committee: { id: string; name: string };
  let admin: { username: string };

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    browser = await launchBrowser();
    committee = await makeCommittee(prisma, { name: '中共界面测试乡委员会' });
    admin = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '界面管理员');
  });

  afterAll(async () => {
    await browser.close();
    await app.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    page.on('dialog', (d) => void d.accept());
    return page;
  }

  async function login(page: Page, username: string) {
    await page.goto(`${url}/login`);
    await page.type('input[name=username]', username);
    await page.type('input[name=password]', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  }

  const text = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText);

  it('a wrong password stays on the login page with a Chinese message', async () => {
    const page = await newPage();
    await page.goto(`${url}/login`);
    await page.type('input[name=username]', admin.username);
    await page.type('input[name=password]', 'wrong-password');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await text(page, '.alert.error')).toBe('用户名或密码错误');
    expect(await page.$eval('input[name=username]', (el) => (el as HTMLInputElement).value)).toBe(admin.username);
  });

  it('an administrator creates, fixes and deactivates an organisation through the forms', async () => {
    const page = await newPage();
    await login(page, admin.username);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    expect(await text(page, '.capacity')).toBe('当前身份：中共界面测试乡委员会 · 系统管理员');
    await page.screenshot({ path: artifact('e2e', 'inbox-phone.png') });

    await page.goto(`${url}/admin/orgs/new`);
    await page.type('input[name=name]', '中共界面测试乡新风村支部委员会');
    await page.type('input[name=code]', 'bad code!');
    await page.$eval('input[name=code]', (el) => el.removeAttribute('pattern')); // let the server judge it
    await page.type('input[name=organCode]', 'XYZ');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    const errors = await page.$$eval('.field-error', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(errors).toEqual(['组织编码只能由 2 到 32 个字母、数字、- 或 _ 组成', '机关代字应为 1 到 10 个汉字，例如“大滩委发”']);
    expect(await page.$eval('input[name=name]', (el) => (el as HTMLInputElement).value)).toBe('中共界面测试乡新风村支部委员会');
    await page.screenshot({ path: artifact('e2e', 'org-form-errors-phone.png'), fullPage: true });

    await page.$eval('input[name=code]', (el) => ((el as HTMLInputElement).value = 'UI-XF'));
    await page.$eval('input[name=organCode]', (el) => ((el as HTMLInputElement).value = ''));
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    expect(await text(page, '.alert.ok')).toBe('已保存。');
    expect(await text(page, 'table')).toContain('中共界面测试乡新风村支部委员会');
    const created = await prisma.organization.findUniqueOrThrow({ where: { code: 'UI-XF' } });
    expect(created.parentId).toBe(committee.id);

    await Promise.all([page.waitForNavigation(), page.click(`form[action="/admin/orgs/${created.id}/deactivate"] button`)]);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: created.id } })).active).toBe(false);
    await page.screenshot({ path: artifact('e2e', 'orgs-phone.png'), fullPage: true });
  });

  it('an administrator imports people from CSV; a bad row saves nothing', async () => {
    const branch = await makeBranch(prisma, committee.id);
    const page = await newPage();
    await login(page, admin.username);
    await page.goto(`${url}/admin/people`);
    // Pasted, as a user would from a spreadsheet.
    await page.$eval(
      'textarea[name=csv]',
      (el, code) => ((el as HTMLTextAreaElement).value = `username,name,orgCode,role\nui.wang,王五,${code},支部书记\nui.zhao,赵六,NO-SUCH,支部书记`),
      branch.code,
    );
    await Promise.all([page.waitForNavigation(), page.$eval('form[data-csv-form] button', (b) => (b as HTMLButtonElement).click())]);
    await page.screenshot({ path: artifact('e2e', 'people-import-error-phone.png'), fullPage: true });
    expect(await text(page, '.alert.error')).toContain('第 3 行：组织编码 NO-SUCH 不存在或不在管辖范围内');
    expect(await prisma.person.count({ where: { username: 'ui.wang' } })).toBe(0);

    await page.$eval(
      'textarea[name=csv]',
      (el, code) => ((el as HTMLTextAreaElement).value = `username,name,orgCode,role\nui.wang,王五,${code},支部书记`),
      branch.code,
    );
    await Promise.all([page.waitForNavigation(), page.$eval('form[data-csv-form] button', (b) => (b as HTMLButtonElement).click())]);
    expect(await text(page, '.alert.ok')).toBe('导入完成：新建 1 人，任职 1 条。');
    expect(await text(page, '.alert.warn')).toContain('ui.wang');
    expect(await text(page, 'table')).toContain('王五');
  });

  it('a person with two capacities chooses one and the header shows it', async () => {
    const branch = await makeBranch(prisma, committee.id, 'VILLAGE', '中共界面测试乡河口村支部委员会');
    const both = await makePerson(
      prisma,
      [
        { orgId: branch.id, role: Role.BRANCH_SECRETARY },
        { orgId: committee.id, role: Role.EVALUATOR },
      ],
      '两职人员',
    );
    const page = await newPage();
    await login(page, both.username);
    expect(new URL(page.url()).pathname).toBe('/capacity');
    const choices = await page.$$eval('.choice', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(choices.sort()).toEqual(['中共界面测试乡委员会 评议人', '中共界面测试乡河口村支部委员会 支部书记'].sort());
    await page.screenshot({ path: artifact('e2e', 'capacity-phone.png') });
    const [button] = await page.$$('.choice');
    const chosen = await page.evaluate((b) => (b as HTMLElement).innerText, button);
    await Promise.all([page.waitForNavigation(), button.click()]);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    const header = await text(page, '.capacity');
    expect(header).toContain(chosen.includes('评议人') ? '评议人' : '支部书记');
    expect(await page.$('nav a[href="/admin/orgs"]')).toBeNull();
    const refused = await page.goto(`${url}/admin/orgs`);
    expect(refused?.status()).toBe(403);
    expect(await text(page, 'h1')).toBe('无权访问');
  });
});
