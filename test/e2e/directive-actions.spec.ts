/**
 * The rarer buttons, in real Chromium on a phone screen, against the real workflows: 撤回 a directive before it is
 * signed, 申请延期 and 批准 a filing's extension, 废止 an issued directive. Each is checked by what people then see.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, fitsPhone, launchBrowser, phonePageAs, reloadUntil, setValue, submit, text } from '../support/browser';
import { makePerson, PASSWORD } from '../support/factories';
import { FilingWorld, issueAnnualPlan, SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const ISSUED_TITLE = '关于报送2018年度工作计划的通知';
const WITHDRAWN_TITLE = '关于召开2018年度专题组织生活会的通知';
const WITHDRAW_REASON = '会议时间调整，另行发文';
const EXTENSION_REASON = '村“两委”换届，计划需新班子讨论';
const REVOKE_REASON = '已并入《关于做好2018年党建重点工作的通知》';

describe('撤回、延期、废止 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let world: FilingWorld;
  const people: Record<'drafter' | 'reviewer' | 'secretary' | 'branch', { id: string; username: string }> = {} as never;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    // An issued directive asking every branch for its annual plan; the deadline comes 4 hours after issue.
    world = await issueAnnualPlan(app, prisma, {
      organCode: `撤${Date.now() % 100000}发`,
      drillSeconds: 3600,
      branchNames: ['中共大滩乡大滩村支部委员会', '中共大滩乡新风村支部委员会'],
    });
    // The people who use the phone here, in the same township.
    people.drafter = await makePerson(prisma, [{ orgId: world.committeeId, role: Role.COMMITTEE_STAFF }], '赵起草');
    people.reviewer = await makePerson(prisma, [{ orgId: world.committeeId, role: Role.COMMITTEE_STAFF }], '钱审核');
    people.secretary = await makePerson(prisma, [{ orgId: world.committeeId, role: Role.COMMITTEE_SECRETARY }], '孙书记');
    people.branch = await makePerson(prisma, [{ orgId: world.branchIds[0], role: Role.BRANCH_SECRETARY }], '李支书');
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  const pageAs = (who: keyof typeof people) => phonePageAs(browser, url, people[who].username, PASSWORD);
  const openDetails = (page: Page, summary: string) =>
    page.$$eval(
      'details > summary',
      (els, s) => {
        const el = els.find((e) => e.textContent?.trim() === s) as HTMLElement | undefined;
        if (!el) throw new Error(`没有“${s}”`);
        el.click();
      },
      summary,
    );
  const taskTitles = (page: Page) => page.$$eval('[data-task-list] > li .task-title', (els) => els.map((e) => (e as HTMLElement).innerText.trim()));

  it('撤回: the drafter withdraws a directive under review; it leaves the reviewer’s 待办', async () => {
    const api = new ApiSession(app);
    await api.login(people.drafter.username, PASSWORD);
    const created = await api
      .post('/api/directives', {
        model: { ...SEED_MODEL, title: WITHDRAWN_TITLE },
        chain: { reviewers: [people.reviewer.id], signerId: people.secretary.id },
        distribution: { mode: 'ALL' },
      })
      .expect(201);
    const id = created.body.id as string;
    await api.post(`/api/directives/${id}/submit`).expect(200);

    const reviewer = await pageAs('reviewer');
    await reloadUntil(reviewer, `${url}/inbox`, async () => !!(await reviewer.$(`a[href^="/directives/${id}?"].button`)), '核稿待办');
    expect(await taskTitles(reviewer)).toContain(WITHDRAWN_TITLE);

    const drafter = await pageAs('drafter');
    await drafter.goto(`${url}/directives/${id}`);
    expect(await text(drafter, '[data-status]')).toBe('审批中');
    await openDetails(drafter, '撤回此发文');
    // Without a reason: refused, and the field says why.
    await submit(drafter, 'form[action$="/withdraw"] button[type=submit]');
    expect(await text(drafter, 'form[action$="/withdraw"] .field-error')).toContain('理由');
    expect(await text(drafter, '[data-status]')).toBe('审批中');
    await drafter.type('form[action$="/withdraw"] input[name=reason]', WITHDRAW_REASON);
    expect(await fitsPhone(drafter)).toBe(true);
    await drafter.screenshot({ path: artifact('e2e', 'directive-withdraw-phone.png'), fullPage: false });
    await submit(drafter, 'form[action$="/withdraw"] button[type=submit]');
    expect(await text(drafter, '.alert.ok')).toBe('已撤回。');
    expect(await text(drafter, '[data-status]')).toBe('已撤回');
    expect(await drafter.$('form[action$="/withdraw"]')).toBeNull();
    expect(await drafter.$('button[data-submit]')).toBeNull();

    // The reviewer's approval is gone from 待办 and shows as cancelled under 已办.
    await reviewer.goto(`${url}/inbox`);
    expect(await reviewer.$(`a[href="/directives/${id}"]`)).toBeNull();
    expect(await taskTitles(reviewer)).not.toContain(WITHDRAWN_TITLE);
    await reviewer.goto(`${url}/inbox?tab=done`);
    const done = await reviewer.$$eval('[data-task-list] > li', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(done.find((t) => t.includes(WITHDRAWN_TITLE))).toContain('已取消');
  });

  it('延期: the branch asks for more time; the reviewer grants it; the new deadline shows on the filing and in the inbox', async () => {
    const branch = await pageAs('branch');
    await reloadUntil(branch, `${url}/inbox?kind=FILING`, async () => !!(await branch.$('a[data-filing-link]')), '填报待办');
    await Promise.all([branch.waitForNavigation(), branch.$eval('a[data-filing-link]', (a) => (a as HTMLAnchorElement).click())]);
    const filingUrl = branch.url();
    const before = await text(branch, '[data-deadline]');

    const until = DateTime.now().setZone('Asia/Shanghai').plus({ days: 10 });
    const untilText = `${until.toFormat('yyyy年M月d日')} 17:30`;
    expect(before).not.toContain(untilText);
    await openDetails(branch, '申请延期');
    await setValue(branch, 'form[data-extension-form] input[name=untilDate]', until.toISODate() as string);
    await branch.type('form[data-extension-form] textarea[name=reason]', EXTENSION_REASON);
    expect(await fitsPhone(branch)).toBe(true);
    await branch.screenshot({ path: artifact('e2e', 'filing-extension-request-phone.png'), fullPage: true });
    await submit(branch, 'button[data-request-extension]');
    expect(await text(branch, '[data-done]')).toBe('延期申请已提交，等待审批。');
    expect(await branch.evaluate(() => document.body.innerText)).toContain(`已申请延期到 ${untilText}，等待审批。`);
    expect(await text(branch, '[data-deadline]')).toBe(before); // nothing changes until it is granted

    const reviewer = await pageAs('reviewer');
    const filingPath = new URL(filingUrl).pathname;
    await reloadUntil(reviewer, `${url}${filingPath}`, async () => !!(await reviewer.$('button[data-grant]')), '延期待审批');
    const request = await text(reviewer, 'form[data-extension-decision]');
    expect(request).toContain(`申请延期到 ${untilText}`);
    expect(request).toContain(EXTENSION_REASON);
    await reviewer.type('form[data-extension-decision] textarea[name=extComment]', '同意延期，请按时报送。');
    await reviewer.screenshot({ path: artifact('e2e', 'filing-extension-grant-phone.png'), fullPage: true });
    await submit(reviewer, 'button[data-grant]');
    expect(await text(reviewer, '[data-done]')).toBe('已批准延期，期限已更新。');
    expect(await text(reviewer, '[data-deadline]')).toContain(`截止时间：${untilText}`);
    expect(await reviewer.$('button[data-grant]')).toBeNull();

    // The branch sees the new deadline on the filing and in its inbox, and the request marked 已批准.
    await branch.goto(filingUrl);
    expect(await text(branch, '[data-deadline]')).toMatch(new RegExp(`^截止时间：${untilText} · 还剩 \\d+ 个工作日$`));
    expect(await branch.evaluate(() => document.body.innerText)).toMatch(new RegExp(`申请延期到 ${untilText}：${EXTENSION_REASON}\\s*已批准`));
    await branch.goto(`${url}/inbox?kind=FILING`);
    expect(await text(branch, '[data-task-list]')).toContain(`期限：${untilText}`);
    expect(await fitsPhone(branch)).toBe(true);
  });

  it('废止: the secretary revokes the issued directive; the branch’s 签收 and 填报 leave its 待办 and it is told why', async () => {
    const branch = await pageAs('branch');
    await reloadUntil(branch, `${url}/inbox`, async () => !!(await branch.$('button[data-ack]')), '签收待办');
    const titles = await taskTitles(branch);
    expect(titles).toContain(ISSUED_TITLE);
    expect(titles).toContain('填报：2018年度工作计划');

    const secretary = await pageAs('secretary');
    await secretary.goto(`${url}/directives/${world.directiveId}`);
    expect(await text(secretary, '[data-status]')).toBe('已印发');
    await openDetails(secretary, '废止此发文');
    await secretary.type('form[action$="/revoke"] input[name=reason]', REVOKE_REASON);
    expect(await fitsPhone(secretary)).toBe(true);
    await secretary.screenshot({ path: artifact('e2e', 'directive-revoke-phone.png'), fullPage: false });
    await submit(secretary, 'form[action$="/revoke"] button[type=submit]');
    expect(await text(secretary, '.alert.ok')).toBe('已废止，各支部的签收待办已取消。');
    expect(await text(secretary, '[data-status]')).toBe('已废止');
    expect(await text(secretary, '.alert.error')).toBe(`已废止：${REVOKE_REASON}`);
    expect(await secretary.$('form[action$="/revoke"]')).toBeNull();

    // The branch's inbox: both tasks gone from 待办, the notice under 消息, both under 已办 as cancelled.
    await branch.goto(`${url}/inbox`);
    const after = await taskTitles(branch);
    expect(after).not.toContain(ISSUED_TITLE);
    expect(after).not.toContain('填报：2018年度工作计划');
    expect(await branch.$('button[data-ack]')).toBeNull();
    expect(await text(branch, '.notices')).toContain(`废止 《${ISSUED_TITLE}》已废止：${REVOKE_REASON}`);
    expect(await branch.$eval('nav [data-nav-count="todo"]', (el) => (el as HTMLElement).hidden)).toBe(true);
    await branch.screenshot({ path: artifact('e2e', 'inbox-revoked-phone.png'), fullPage: true });
    await branch.goto(`${url}/inbox?tab=done`);
    const done = await branch.$$eval('[data-task-list] > li', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(done.filter((t) => t.includes('已取消'))).toHaveLength(2);
  });
});
