/** Lifecycle 2 through the task UI in real Chromium on a phone screen: fill the annual plan, autosave, reload, submit, return, resubmit, accept. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { importText } from '../../apps/server/src/documents/import';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, fitsPhone, launchBrowser, phonePageAs, reloadUntil, setValue, submit, text, typeInto, valueOf } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp, startWorker, submitUntilIssued } from '../support/test-app';

const MODEL = {
  ...importText(fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8')).model,
  title: '关于报送2018年度工作计划的通知',
};
const RETURN_REASON = '请补充经费预算，并写明第 2 项任务的预期成效';

describe('填报 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let requirementId: string;
  const people: Record<'reviewer' | 'branch', { id: string; username: string }> = {} as never;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `报${Date.now() % 100000}发` });
    const staff = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李审核');
    const secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    const village = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会');
    await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡新风村支部委员会');
    const branch = await makePerson(prisma, [{ orgId: village.id, role: Role.BRANCH_SECRETARY }], '刘大滩');
    Object.assign(people, { reviewer, branch });

    // The directive with its requirement is issued through the API (lifecycle 1 has its own browser test).
    const [drafter, rev, sec] = [new ApiSession(app), new ApiSession(app), new ApiSession(app)];
    await drafter.login(staff.username, PASSWORD);
    await rev.login(reviewer.username, PASSWORD);
    await sec.login(secretary.username, PASSWORD);
    const created = await drafter
      .post('/api/directives', {
        model: MODEL,
        chain: { reviewers: [reviewer.id], signerId: secretary.id },
        distribution: { mode: 'ALL' },
        requirements: [{ title: '2018年度工作计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
      })
      .expect(201);
    const id = created.body.id;
    await submitUntilIssued(drafter, id, [rev, sec]);
    requirementId = (await prisma.requirement.findFirstOrThrow({ where: { directiveId: id } })).id;
  });

  afterAll(async () => {
    await browser.close();
    await worker.close();
    await app.close();
  });

  async function pageAs(who: keyof typeof people): Promise<Page> {
    const page = await phonePageAs(browser, url, people[who].username, PASSWORD);
    return page;
  }

  const field = (key: string) => `[data-field="${key}"] [data-v]`;
  const cell = (row: number, col: string) => `[data-field="tasks"] [data-rows] > [data-row]:nth-child(${row}) [data-col="${col}"] [data-v]`;
  const autosaved = (page: Page) =>
    page.waitForFunction(() => /^已自动保存 \d{2}:\d{2}$/.test(document.querySelector('[data-autosave]')?.textContent ?? ''), { timeout: 15_000 });

  it('a branch secretary fills the annual plan on a phone, autosaves, reloads, submits; returned, resubmitted, accepted', async () => {
    // The branch opens the filing from its inbox.
    const branch = await pageAs('branch');
    await reloadUntil(branch, `${url}/inbox`, 'a[data-filing-link]', '填报待办');
    expect(await text(branch, '.tasks')).toContain('填报：2018年度工作计划');
    expect(await text(branch, '.tasks')).toContain('还剩 5 个工作日');
    await branch.screenshot({ path: artifact('e2e', 'filing-inbox-phone.png'), fullPage: true });
    await Promise.all([branch.waitForNavigation(), branch.$eval('a[data-filing-link]', (a) => (a as HTMLAnchorElement).click())]);
    const filingUrl = branch.url();
    const filingId = new URL(filingUrl).pathname.split('/').pop() as string;
    expect(await text(branch, '[data-status]')).toBe('待填报');
    expect(await text(branch, '[data-deadline]')).toMatch(/截止时间：\d{4}年\d+月\d+日 17:30 · 还剩 5 个工作日/);
    expect(await text(branch, '[data-field="year"]')).toContain('年');
    expect(await text(branch, '[data-field="attachments"]')).toContain('可上传');

    // Part of the form, then the autosave; a reload brings it all back.
    await typeInto(branch, field('year'), '2018');
    await typeInto(branch, field('goals'), '全面完成“党建扶贫攻坚年”七大行动各项任务，年内脱贫 12 户。');
    await branch.$eval('[data-field="actions"] input[value="leadership"]', (el) => (el as HTMLInputElement).click());
    await branch.$eval('[data-field="actions"] input[value="industry"]', (el) => (el as HTMLInputElement).click());
    await typeInto(branch, cell(1, 'task'), '优化班子结构');
    // An attachment: uploaded at once (stored by SHA-256), listed, and kept with the draft.
    const attachment = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-upload-')), '2018年度计划.pdf');
    fs.writeFileSync(attachment, '%PDF-1.4\n% 年度计划附件\n');
    const picker = (await branch.$('[data-field="attachments"] [data-file-input]')) as ElementHandle<HTMLInputElement>;
    await picker.uploadFile(attachment);
    await branch.waitForFunction(() => document.querySelector('[data-field="attachments"] [data-file-status]')?.textContent === '已上传 1 个文件', {
      timeout: 15_000,
    });
    expect(await branch.$eval('[data-field="attachments"] a[data-file-link]', (a) => a.getAttribute('href'))).toMatch(/^\/api\/files\/[0-9a-f]{64}$/);
    await autosaved(branch);
    expect(await fitsPhone(branch)).toBe(true);
    await branch.screenshot({ path: artifact('e2e', 'filing-form-phone.png'), fullPage: true });
    await branch.reload();
    expect(await valueOf(branch, field('year'))).toBe('2018');
    expect(await valueOf(branch, field('goals'))).toContain('年内脱贫 12 户');
    expect(await branch.$$eval('[data-field="actions"] input:checked', (els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([
      'leadership',
      'industry',
    ]);
    expect(await valueOf(branch, cell(1, 'task'))).toBe('优化班子结构');
    expect(await text(branch, '[data-field="attachments"] [data-file-list]')).toContain('2018年度计划.pdf');
    expect(await text(branch, '[data-field="attachments"] a[data-file-link]')).toBe('2018年度计划.pdf');
    expect(await text(branch, '[data-autosave]')).toMatch(/^已自动保存 \d{2}:\d{2}$/);

    // The rest, with a second task row whose 责任人 is forgotten: the error names 第 2 行 next to the cell, nothing typed is lost.
    await typeInto(branch, cell(1, 'owner'), '刘大滩');
    await setValue(branch, cell(1, 'dueDate'), '2018-06-30');
    await typeInto(branch, cell(1, 'outcome'), '班子配齐配强');
    await branch.$eval('[data-field="tasks"] [data-add-row]', (b) => (b as HTMLButtonElement).click());
    expect(await text(branch, '[data-field="tasks"] [data-rows] > [data-row]:nth-child(2) [data-row-title]')).toBe('第 2 行');
    await typeInto(branch, cell(2, 'task'), '发展村集体经济');
    await setValue(branch, cell(2, 'dueDate'), '2018-12-31');
    await typeInto(branch, cell(2, 'outcome'), '集体经济收入 5 万元');
    await typeInto(branch, field('households'), '12');
    await typeInto(branch, field('contactName'), '刘大滩');
    await typeInto(branch, field('contactPhone'), '13800000001');
    await branch.$eval('[data-filing-submit]', (b) => (b as HTMLButtonElement).click());
    await branch.waitForSelector('[data-form-error]:not([hidden])');
    const cellError = `[data-field="tasks"] [data-rows] > [data-row]:nth-child(2) [data-col="owner"] [data-error]`;
    expect(await text(branch, cellError)).toBe('重点任务第2行的“责任人”必须填写');
    expect(await text(branch, '[data-form-error]')).toContain('有 1 处需要修改');
    expect(await valueOf(branch, cell(2, 'task'))).toBe('发展村集体经济');
    expect(await fitsPhone(branch)).toBe(true);
    await branch.screenshot({ path: artifact('e2e', 'filing-error-phone.png') });
    await typeInto(branch, cell(2, 'owner'), '陈会计');
    await submit(branch, '[data-filing-submit]');
    expect(await text(branch, '[data-done]')).toContain('已提交');
    expect(await text(branch, '[data-status]')).toBe('待审核');
    expect(await text(branch, '[data-submitted-values]')).toContain('产业惠民行动');

    // The reviewer opens it from the committee table and returns it with a reason and a new deadline.
    const reviewer = await pageAs('reviewer');
    await reviewer.goto(`${url}/requirements/${requirementId}/filings`);
    expect(await text(reviewer, '[data-submitted]')).toBe('1');
    await Promise.all([reviewer.waitForNavigation(), reviewer.$eval(`a[href="/filings/${filingId}"]`, (a) => (a as HTMLAnchorElement).click())]);
    expect(await text(reviewer, '[data-submitted-values]')).toContain('第 2 行');
    expect(await text(reviewer, '[data-submitted-values]')).toContain('12 户');
    // The reviewer opens the attachment from the submitted values: the PDF the branch uploaded, under its name.
    const link = await reviewer.$eval('[data-submitted-values] a[data-file-link]', (a) => ({
      text: (a as HTMLElement).innerText.trim(),
      href: a.getAttribute('href') as string,
    }));
    expect(link.text).toBe('2018年度计划.pdf');
    const opened = await reviewer.evaluate(async (href) => {
      const r = await fetch(href, { credentials: 'same-origin' });
      return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition') ?? '', body: await r.text() };
    }, link.href);
    expect([opened.status, opened.type]).toEqual([200, 'application/pdf']);
    expect(opened.body).toBe(fs.readFileSync(attachment, 'utf8'));
    expect(decodeURIComponent(opened.disposition.split("filename*=UTF-8''")[1])).toBe('2018年度计划.pdf');
    await submit(reviewer, 'button[data-return]');
    expect(await text(reviewer, 'textarea[name=comment] + .field-error')).toBe('退回修改须填写理由');
    const newDay = DateTime.now().setZone('Asia/Shanghai').plus({ days: 10 }).toISODate() as string;
    await typeInto(reviewer, 'textarea[name=comment]', RETURN_REASON);
    await setValue(reviewer, 'input[name=newDate]', newDay);
    expect(await fitsPhone(reviewer)).toBe(true);
    await reviewer.screenshot({ path: artifact('e2e', 'filing-review-phone.png'), fullPage: true });
    await submit(reviewer, 'button[data-return]');
    expect(await text(reviewer, '[data-done]')).toContain('已退回修改');
    expect(await text(reviewer, '[data-status]')).toBe('退回修改');

    // The branch sees the reason and the new deadline in its inbox and on the page, fixes and resubmits.
    // Each page here follows its lifecycle (live.js) and may reload itself as the other side acts: open through reloadUntil.
    await reloadUntil(branch, `${url}/inbox`, '.tasks', '支部待办');
    expect(await text(branch, '.tasks')).toContain('填报 · 退回修改');
    await reloadUntil(branch, filingUrl, '[data-return-reason]', '退回理由');
    expect(await text(branch, '[data-return-reason]')).toContain(RETURN_REASON);
    expect(await text(branch, '[data-return-reason]')).toContain('17:30');
    expect(await valueOf(branch, cell(2, 'owner'))).toBe('陈会计');
    await branch.screenshot({ path: artifact('e2e', 'filing-returned-phone.png'), fullPage: false });
    await typeInto(branch, field('budget'), '3.5');
    await submit(branch, '[data-filing-submit]');
    expect(await text(branch, '[data-status]')).toBe('待审核');
    expect(await text(branch, '[data-versions]')).toContain('第 2 版');

    // The reviewer accepts; the committee table shows 已通过.
    await reloadUntil(reviewer, `${url}/filings/${filingId}`, 'button[data-accept]', '审核通过按钮');
    expect(await text(reviewer, '[data-submitted-values]')).toContain('3.5 万元');
    await submit(reviewer, 'button[data-accept]');
    expect(await text(reviewer, '[data-status]')).toBe('已通过');
    await reloadUntil(reviewer, `${url}/requirements/${requirementId}/filings`, '[data-filing-rows]', '填报情况');
    expect(await text(reviewer, '[data-org="中共大滩乡大滩村支部委员会"] [data-row-status]')).toBe('已通过');
    expect(await text(reviewer, '[data-org="中共大滩乡新风村支部委员会"] [data-row-status]')).toBe('待填报');
    expect(await text(reviewer, '[data-accepted]')).toBe('1');
    // Only the branches in one status: 已通过 lists 大滩村 alone, 未报 the rest, 逾期 none (said in words).
    await submit(reviewer, '[data-row-filters] a[data-show="accepted"]');
    expect(await text(reviewer, '[data-row-filters] a.active')).toBe('已通过 1');
    expect(await reviewer.$$eval('[data-filing-rows] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-org')))).toEqual(['中共大滩乡大滩村支部委员会']);
    await submit(reviewer, '[data-row-filters] a[data-show="open"]');
    expect(await reviewer.$('[data-org="中共大滩乡大滩村支部委员会"]')).toBeNull();
    expect(await reviewer.$('[data-org="中共大滩乡新风村支部委员会"]')).not.toBeNull();
    await submit(reviewer, '[data-row-filters] a[data-show="overdue"]');
    expect(await text(reviewer, '[data-rows-empty]')).toBe('没有“逾期”的支部。');
    await submit(reviewer, '[data-row-filters] a[data-show=""]');
    await reviewer.waitForSelector('[data-filing-chart] svg');
    expect(await fitsPhone(reviewer)).toBe(true);
    await reviewer.screenshot({ path: artifact('e2e', 'filing-table-phone.png'), fullPage: true });
    await reloadUntil(branch, filingUrl, '[data-accepted]', '已审核通过');
    expect(await text(branch, '[data-accepted]')).toContain('已审核通过');
  });
});
