/** Lifecycle 1 through the task UI in real Chromium on a phone screen: draft by pasting text, return, revise, approve, sign, receipt. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, fitsPhone, launchBrowser, phonePageAs, reloadUntil, submit, text } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { startApp, startWorker } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const TITLE_1 = '关于开展“党建扶贫攻坚年”七大行动的通知';
const TITLE_2 = '关于印发《“党建扶贫攻坚年”七大行动实施方案》的通知';
const RETURN_REASON = '标题应写明“印发实施方案”，请修改后再报';

describe('发文 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  const people: Record<'drafter' | 'reviewer' | 'secretary' | 'branch1', { id: string; username: string }> = {} as never;
  let branches: { id: string; name: string }[];

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `滩${Date.now() % 100000}发` });
    people.drafter = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李党建');
    people.reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.INSPECTOR }], '王督查');
    people.secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '张书记');
    branches = [];
    for (const [i, name] of ['大滩村', '新风村', '河口社区', '大滩小学'].entries()) {
      const kind = i < 2 ? OrgKind.VILLAGE : i === 2 ? OrgKind.COMMUNITY : OrgKind.SCHOOL;
      branches.push(await makeBranch(prisma, committee.id, kind, `中共大滩乡${name}支部委员会`));
    }
    people.branch1 = await makePerson(prisma, [{ orgId: branches[0].id, role: Role.BRANCH_SECRETARY }], '陈支书');
  });

  afterAll(async () => {
    await browser.close();
    await worker.close();
    await app.close();
  });

  async function pageAs(who: keyof typeof people): Promise<Page> {
    const page = await phonePageAs(browser, url, people[who].username, PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    return page;
  }

  const value = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLInputElement).value);
  it('drafts from pasted text, is returned with a reason, revised, approved, signed, issued and acknowledged by a branch', async () => {
    // The drafter pastes seed 000 and imports it into the editor.
    const drafter = await pageAs('drafter');
    expect(await text(drafter, 'nav')).toContain('发文');
    await drafter.goto(`${url}/directives`);
    await Promise.all([drafter.waitForNavigation(), drafter.click('a[href="/directives/new"]')]);
    await drafter.$eval('textarea[name=text]', (el, t) => ((el as HTMLTextAreaElement).value = t), SEED_000);
    await submit(drafter, 'button[data-import]');
    expect(await text(drafter, '.alert.ok')).toBe('已导入，请核对下面各项后保存。');
    const body = await value(drafter, 'textarea[name=bodyText]');
    expect(body).toContain('一、开展班子引领行动，建强脱贫攻坚核心');
    expect(body).toContain('1.优化班子结构。紧扣脱贫攻坚中心任务');
    expect(await value(drafter, 'textarea[name=signingOrgans]')).toBe('中共达州市达川区大滩乡委员会');
    expect(await value(drafter, 'input[name=date]')).toBe('2017-04-21');

    await drafter.$eval('input[name=title]', (el) => ((el as HTMLInputElement).value = ''));
    await drafter.type('input[name=title]', TITLE_1);
    await drafter.select('select[name=reviewers]', people.reviewer.id);
    await drafter.$eval('input[name=mode][value=LIST]', (el) => (el as HTMLInputElement).click());
    for (const b of branches.slice(0, 3)) await drafter.$eval(`input[name=orgIds][value="${b.id}"]`, (el) => (el as HTMLInputElement).click());

    // The live preview shows the document with the new title, without saving (on a phone: the text reflowed).
    const previewed = (t: string) =>
      drafter
        .waitForFunction((t) => (document.querySelector('[data-live-reading]')?.textContent ?? '').replace(/\s+/g, '').includes(t), { timeout: 20_000 }, t)
        .catch(async (err) => {
          throw new Error(`预览未更新（${await text(drafter, '[data-preview-status]')}）：${err}`);
        });
    await previewed(TITLE_1);
    expect(await fitsPhone(drafter)).toBe(true);
    await drafter.screenshot({ path: artifact('e2e', 'directive-editor-phone.png'), fullPage: true });
    await drafter.waitForFunction(() => document.querySelector('[data-preview-status]')?.textContent === '预览已更新。');
    await previewed(TITLE_1);
    await drafter.$eval('.preview-pane', (el) => el.scrollIntoView());
    await drafter.screenshot({ path: artifact('e2e', 'directive-preview-phone.png') });

    // Saving without a signer names the field and keeps everything typed.
    await submit(drafter, 'button[data-save]');
    expect(await text(drafter, 'select[name=signerId] + .field-error')).toContain('签发人');
    expect(await text(drafter, '.alert.error')).toContain('签发人');
    expect(await value(drafter, 'input[name=title]')).toBe(TITLE_1);
    expect(await drafter.$$eval('input[name=orgIds]:checked', (els) => els.length)).toBe(3);
    expect(await value(drafter, 'select[name=reviewers]')).toBe(people.reviewer.id);
    await drafter.screenshot({ path: artifact('e2e', 'directive-form-error-phone.png') });

    await drafter.select('select[name=signerId]', people.secretary.id);
    await submit(drafter, 'button[data-save]');
    const directiveUrl = drafter.url().replace(/\?.*$/, '');
    const id = directiveUrl.split('/').pop() as string;
    expect(await text(drafter, '[data-status]')).toBe('起草中');
    expect(await text(drafter, '[data-doc-title]')).toBe(TITLE_1);
    await submit(drafter, 'button[data-submit]');
    expect(await text(drafter, '[data-status]')).toBe('审批中');

    // The reviewer finds it in the inbox and returns it with a reason.
    const reviewer = await pageAs('reviewer');
    await reloadUntil(reviewer, `${url}/inbox`, `a[href^="/directives/${id}?"].button`, '核稿待办');
    expect(await text(reviewer, '.tasks')).toContain('审批：核稿');
    await reviewer.screenshot({ path: artifact('e2e', 'inbox-approval-phone.png'), fullPage: true });
    await Promise.all([reviewer.waitForNavigation(), reviewer.click(`a[href^="/directives/${id}?"].button`)]);
    // Returning without a reason is refused by the workflow, shown in Chinese.
    await submit(reviewer, 'button[data-return]');
    expect(await text(reviewer, '[data-action-error]')).toBe('退回修改须填写理由');
    await reviewer.type('textarea[name=comment]', RETURN_REASON);
    await submit(reviewer, 'button[data-return]');
    expect(await text(reviewer, '[data-status]')).toBe('退回修改');

    // The drafter's page, left open on the directive, shows the return and its reason by itself (live status): no reload,
    // and no navigation racing the page's own refresh.
    await drafter.waitForSelector('[data-return-reason]', { timeout: 30_000 });
    expect(await text(drafter, '[data-return-reason]')).toContain(RETURN_REASON);
    await drafter.screenshot({ path: artifact('e2e', 'directive-returned-phone.png'), fullPage: true });
    // The page offers the editor; it is opened from a settled page (the open page may still follow one more step of the
    // lifecycle by itself, and a click during that refresh lands nowhere).
    await reloadUntil(drafter, directiveUrl, `a[href="/directives/${id}/edit"]`, '修改入口');
    await reloadUntil(drafter, `${directiveUrl}/edit`, 'input[name=title]', '修改发文');
    expect(await value(drafter, 'select[name=signerId]')).toBe(people.secretary.id);
    await drafter.$eval('input[name=title]', (el) => ((el as HTMLInputElement).value = ''));
    await drafter.type('input[name=title]', TITLE_2);
    await submit(drafter, 'button[data-save]');
    expect(await text(drafter, '.versions')).toContain('第 2 版');
    expect(await text(drafter, '.versions')).toContain('修改：标题');
    await submit(drafter, 'button[data-submit]');
    expect(await text(drafter, '.alert.ok')).toBe('已提交审批。');
    await drafter.waitForSelector('.status-IN_REVIEW', { timeout: 20_000 }); // the page reloads itself once the new round starts

    // The reviewer approves the second version; the secretary signs.
    await reloadUntil(reviewer, `${url}/directives/${id}`, 'button[data-approve]', '第二轮核稿');
    expect(await text(reviewer, '[data-doc-title]')).toBe(TITLE_2);
    await reviewer.type('textarea[name=comment]', '已按意见修改，同意。');
    await submit(reviewer, 'button[data-approve]');

    const secretary = await pageAs('secretary');
    await reloadUntil(secretary, `${url}/directives/${id}`, 'button[data-approve]', '签发待办');
    expect(await text(secretary, 'button[data-approve]')).toBe('同意签发');
    await secretary.screenshot({ path: artifact('e2e', 'directive-sign-phone.png'), fullPage: true });
    await secretary.type('textarea[name=comment]', '同意印发。');
    await submit(secretary, 'button[data-approve]');

    // Issued with a number; the history reads round by round.
    await reloadUntil(drafter, directiveUrl, '[data-docno]', '发文字号', 60_000);
    await reloadUntil(drafter, directiveUrl, '.status-ISSUED', '已印发', 60_000);
    expect(await text(drafter, '[data-docno]')).toMatch(/^滩\d+发〔\d{4}〕\d+号$/);
    const history = await text(drafter, '.steps');
    expect(history).toContain(RETURN_REASON);
    const rounds = await drafter.$$eval('.round', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(rounds).toEqual(['第 1 轮', '第 2 轮']);
    expect(await drafter.$$eval('.steps', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ')))).toEqual([
      expect.stringMatching(/核稿 王督查 退回.*标题应写明/),
      expect.stringMatching(/核稿 王督查 同意.*已按意见修改.*签发 张书记 同意.*同意印发/),
    ]);
    await reloadUntil(drafter, directiveUrl, '[data-r="expected"]', '签收情况');
    const count = (key: string) => text(drafter, `[data-r="${key}"]`);
    await drafter.waitForFunction(() => document.querySelectorAll('[data-r-missing] li').length === 3, { timeout: 30_000 });
    expect(await count('expected')).toBe('3');
    expect(await count('acknowledged')).toBe('0');
    expect(await fitsPhone(drafter)).toBe(true);
    await drafter.screenshot({ path: artifact('e2e', 'directive-issued-phone.png'), fullPage: true });
    await drafter.$eval('[data-doc-reading]', (el) => el.scrollIntoView());
    await drafter.screenshot({ path: artifact('e2e', 'directive-document-phone.png') });
    expect(await drafter.$eval('a[data-pdf]', (a) => a.getAttribute('href'))).toMatch(/^\/api\/documents\/[0-9a-f-]+\/pdf$/);

    // A branch secretary acknowledges from the inbox.
    const branch = await pageAs('branch1');
    await reloadUntil(branch, `${url}/inbox`, 'button[data-ack]', '签收待办');
    expect(await text(branch, '.tasks')).toContain(TITLE_2);
    expect(await text(branch, '.tasks')).toMatch(/期限：\d{4}年\d+月\d+日 \d\d:\d\d/);
    await branch.screenshot({ path: artifact('e2e', 'inbox-receipt-phone.png'), fullPage: true });
    await submit(branch, 'button[data-ack]');
    expect(await text(branch, '.alert.ok')).toBe('已签收。');
    expect(await branch.$('button[data-ack]')).toBeNull();

    // The drafter's open page catches up by itself.
    await drafter.waitForFunction(() => document.querySelector('[data-r="acknowledged"]')?.textContent === '1', { timeout: 20_000 });
    expect(await count('open')).toBe('2');
    const missing = await drafter.$$eval('[data-r-missing] li', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(missing).not.toContain(branches[0].name);
    expect(missing).toHaveLength(2);
    await drafter.$eval('[data-receipts]', (el) => el.scrollIntoView());
    await drafter.screenshot({ path: artifact('e2e', 'directive-receipts-live-phone.png') });
  });
});
