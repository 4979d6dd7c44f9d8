/**
 * From the pages alone, on a phone: the drafter pastes a directive (the red-header lines dropped with a notice), adds
 * two 填报 requirements (a ready-made form and one built line by line), uploads an attachment file, types a 成文日期
 * that is not today; the signer is told that date will be printed; once issued the branch reads the document at a
 * readable size, downloads the attachment and finds its 填报 tasks.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, fitsPhone, launchBrowser, phonePageAs, reloadUntil, setValue, submit, text, typeInto } from '../support/browser';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, pendingApprovalStep, startApp, startWorker } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const TITLE = '关于报送2027年度党建扶贫工作计划的通知';
const ATTACHMENT = '“党建扶贫攻坚年”七大行动任务分解表';

/** The smallest computed font size (px) of the visible text in `selector`, and whether any of it is visible. */
const readable = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => {
    const shown = els.filter((e) => (e as HTMLElement).offsetParent !== null && (e.textContent ?? '').trim());
    // As rendered on screen: the computed size times any transform scale on the way up.
    const onScreen = (e: Element) => {
      let scale = 1;
      for (let n: Element | null = e; n; n = n.parentElement) {
        const t = getComputedStyle(n).transform;
        if (t && t !== 'none') scale *= new DOMMatrix(t).a;
      }
      return parseFloat(getComputedStyle(e).fontSize) * scale;
    };
    return { count: shown.length, min: Math.min(...shown.map(onScreen)) };
  });

describe('发文的附件与填报 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  const people: Record<'drafter' | 'reviewer' | 'secretary' | 'branch', { id: string; username: string }> = {} as never;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `件${Date.now() % 100000}发` });
    people.drafter = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李党建');
    people.reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '王核稿');
    people.secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '张书记');
    const branch = await makeBranch(prisma, committee.id, undefined, '中共大滩乡大滩村支部委员会');
    people.branch = await makePerson(prisma, [{ orgId: branch.id, role: Role.BRANCH_SECRETARY }], '陈支书');
  });

  afterAll(async () => {
    await browser.close();
    await worker.close();
    await app.close();
  });

  const pageAs = (who: keyof typeof people) => phonePageAs(browser, url, people[who].username, PASSWORD);

  it('attaches a 填报 and a file from the pages, prints the typed 成文日期, and the branch reads, downloads and files', async () => {
    const drafter = await pageAs('drafter');
    await drafter.goto(`${url}/directives/new`);
    await drafter.$eval('textarea[name=text]', (el, t) => ((el as HTMLTextAreaElement).value = t), `中共大滩乡委员会文件\n${SEED_000}`);
    await submit(drafter, 'button[data-import]');
    expect(await text(drafter, '[data-import-notice]')).toMatch(/^已去掉红头中的 2 行：“中共大滩乡委员会文件”“大滩委发〔2017〕58号”$/);
    await drafter.$eval('input[name=title]', (el) => ((el as HTMLInputElement).value = ''));
    await typeInto(drafter, 'input[name=title]', TITLE);
    await setValue(drafter, 'input[name=date]', '2026-01-05');
    await drafter.select('select[name=reviewers]', people.reviewer.id);
    await drafter.select('select[name=signerId]', people.secretary.id);

    // Two 填报: the ready-made annual plan, then (after 再添加一项填报) a form built line by line.
    await typeInto(drafter, 'input[name=reqTitle]', '2027年度党建扶贫工作计划');
    await drafter.select('select[name=reqTemplate]', 'ANNUAL_WORK_PLAN');
    expect(await drafter.$eval('[data-req-fields]', (el) => (el as HTMLElement).offsetParent === null)).toBe(true);
    await typeInto(drafter, 'input[name=reqWorkdays]', '10');
    await submit(drafter, 'button[data-add-requirement]');
    expect(await drafter.$$eval('[data-requirement-row]', (els) => els.length)).toBe(2);
    const row2 = '[data-requirement-row]:nth-of-type(2)';
    await typeInto(drafter, `${row2} input[name=reqTitle]`, '七大行动落实情况');
    await drafter.select(`${row2} select[name=reqTemplate]`, 'CUSTOM');
    await typeInto(drafter, `${row2} textarea[name=reqFields]`, '主要做法\n完成时间（日期）\n佐证材料（附件，选填）');
    await typeInto(drafter, `${row2} input[name=reqWorkdays]`, '5');

    // The imported 附件说明 is a name without a file; the drafter removes it and uploads the real one.
    while (await drafter.$('[data-attach-remove]')) await drafter.click('[data-attach-remove]');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-attach-')), '任务分解表.pdf');
    fs.writeFileSync(file, '%PDF-1.4\n% 七大行动任务分解表\n');
    await ((await drafter.$('[data-attach-input]')) as ElementHandle<HTMLInputElement>).uploadFile(file);
    await drafter.waitForFunction(() => document.querySelector('[data-attach-status]')?.textContent?.startsWith('已上传 1 个文件'), { timeout: 15_000 });
    expect(await drafter.$eval('input[name=attTitle]', (el) => (el as HTMLInputElement).value)).toBe('任务分解表');
    await drafter.$eval('input[name=attTitle]', (el) => ((el as HTMLInputElement).value = ''));
    await typeInto(drafter, 'input[name=attTitle]', ATTACHMENT);

    // The editor's preview on the phone: the text reflowed at a readable size, the 附件说明 naming the file.
    await drafter.waitForFunction(
      (a) => (document.querySelector('[data-live-reading] [data-reading-attach-notes]')?.textContent ?? '').includes(a),
      { timeout: 20_000 },
      ATTACHMENT,
    );
    const editorPreview = await readable(drafter, '[data-live-reading] p');
    expect(editorPreview.count).toBeGreaterThan(20);
    expect(editorPreview.min).toBeGreaterThanOrEqual(14);
    expect(await fitsPhone(drafter)).toBe(true);
    await drafter.screenshot({ path: artifact('e2e', 'directive-attachments-editor-phone.png'), fullPage: true });

    await submit(drafter, 'button[data-save]');
    const directiveUrl = drafter.url().replace(/\?.*$/, '');
    const id = directiveUrl.split('/').pop() as string;
    expect(await drafter.$$eval('[data-requirements] li', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, '')))).toEqual([
      '2027年度党建扶贫工作计划·填报情况',
      '七大行动落实情况·填报情况',
    ]);
    expect(await text(drafter, '[data-attachment-links]')).toContain(ATTACHMENT);
    expect(await text(drafter, '[data-date-notice]')).toContain('2026年1月5日');
    await submit(drafter, 'button[data-submit]');

    // 核稿 through the API; the secretary signs on the page, told which 成文日期 will be printed.
    const reviewer = new ApiSession(app);
    await reviewer.login(people.reviewer.username, PASSWORD);
    const stepId = await pendingApprovalStep(reviewer, id, '核稿人');
    await reviewer.post(`/api/directives/${id}/decisions`, { stepId, decision: 'APPROVE', comment: '', version: 1 }).expect(200);
    const secretary = await pageAs('secretary');
    await reloadUntil(secretary, directiveUrl, 'button[data-approve]', '签发待办');
    expect(await text(secretary, '[data-sign-date]')).toMatch(/^成文日期为 2026年1月5日，签发后照此印在公文上（不是签发当天的 \d{4}年\d+月\d+日/);
    await submit(secretary, 'button[data-approve]');
    // (The drafter's open page follows the lifecycle by itself; the test waits on the record, not on its reloads.)
    await eventually(
      async () => (await prisma.directive.findUniqueOrThrow({ where: { id } })).status,
      (st) => st === 'ISSUED',
      60_000,
      '印发',
    );
    const doc = await prisma.directive.findUniqueOrThrow({ where: { id }, include: { document: { include: { attachments: true } } } });
    expect((doc.document.model as { date: string }).date).toBe('2026-01-05');
    expect(doc.document.attachments.map((a) => [a.seq, a.title, a.name])).toEqual([[1, ATTACHMENT, '任务分解表.pdf']]);

    // The branch: the document readable on the phone (reflowed, pinch zoom allowed), the file, its two 填报 tasks.
    const branch = await pageAs('branch');
    await reloadUntil(branch, `${url}/inbox`, 'button[data-ack]', '签收待办');
    await branch.goto(directiveUrl);
    const reading = await readable(branch, '[data-doc-reading] p');
    expect(reading.count).toBeGreaterThan(20);
    expect(reading.min).toBeGreaterThanOrEqual(14);
    expect(await text(branch, '[data-doc-reading] [data-reading-date]')).toBe('2026年1月5日');
    expect(await branch.$eval('meta[name=viewport]', (m) => m.getAttribute('content'))).not.toMatch(/user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0)?\b/);
    expect(await fitsPhone(branch)).toBe(true);
    await branch.screenshot({ path: artifact('e2e', 'directive-reading-branch-phone.png'), fullPage: true });
    // The A4 print page, hidden on a phone, is not laid out there; turned to a desk's width, the page shows it.
    const frameText = () => branch.$eval('[data-doc-frame] iframe', (f) => (f as HTMLIFrameElement).contentDocument?.body?.innerText ?? '');
    expect(await branch.$eval('[data-doc-frame] iframe', (f) => f.hasAttribute('srcdoc'))).toBe(false);
    expect(await frameText()).toBe('');
    const phone = branch.viewport();
    await branch.setViewport({ width: 1280, height: 900 });
    await branch.waitForFunction(() =>
      /七大行动/.test(document.querySelector<HTMLIFrameElement>('[data-doc-frame] iframe')?.contentDocument?.body?.innerText ?? ''),
    );
    if (phone) await branch.setViewport(phone);
    expect(await text(branch, 'a[data-attachment-link]')).toBe(ATTACHMENT);
    const href = (await branch.$eval('a[data-attachment-link]', (a) => a.getAttribute('href'))) as string;
    expect(href).toBe(`/api/documents/${doc.documentId}/attachments/1`);
    const got = await branch.evaluate(async (h) => {
      const r = await fetch(h, { credentials: 'same-origin' });
      return { status: r.status, text: await r.text() };
    }, href);
    expect(got).toEqual({ status: 200, text: '%PDF-1.4\n% 七大行动任务分解表\n' });
    await reloadUntil(branch, directiveUrl, 'a[data-my-filing]', '填报待办');
    expect(await branch.$$eval('a[data-my-filing]', (els) => els.map((e) => (e as HTMLElement).innerText))).toEqual([
      '2027年度党建扶贫工作计划',
      '七大行动落实情况',
    ]);
    await Promise.all([branch.waitForNavigation(), branch.click('[data-requirements] li:nth-child(2) a[data-my-filing]')]);
    expect(await text(branch, 'main')).toContain('完成时间');

    // The secretary's view of the issued directive on the phone is readable too.
    await secretary.goto(directiveUrl);
    expect((await readable(secretary, '[data-doc-reading] p')).min).toBeGreaterThanOrEqual(14);
    expect(await fitsPhone(secretary)).toBe(true);
  }, 240_000);
});
