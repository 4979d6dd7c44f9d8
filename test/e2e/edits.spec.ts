/**
 * No lost edits (UX issue 17), in real Chromium with the real workflows:
 * - the branch journey on a phone: the 签收 task → the directive → its filing → fill → leave within the autosave delay →
 *   come back (the values are there) → submit → the 待办 badge clears;
 * - two pages of one branch editing one filing: the second sees the other's values beside its own and chooses;
 * - leaving with a value that cannot be saved (a number typed in words) asks first (the beforeunload prompt), and what
 *   was valid is kept;
 * - a phone that goes offline: typed and the tab closed at once, the change is kept on the phone, put back and saved when the
 *   filing is opened again; offline on the page, it is saved as soon as the network returns;
 * - the same with every kind of field but text: table rows added and filled, boxes ticked, a choice made, a file removed.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { EVERY_TYPE } from '../../apps/server/src/filings/forms/form.fixture';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import {
  artifact,
  click,
  deskPageAs,
  fitsPhone,
  launchBrowser,
  PHONE,
  phonePageAs,
  reloadUntil,
  setValue,
  submit,
  text,
  typeInto,
  valueOf,
} from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { minimalPdf } from '../support/files';
import { phoneNetwork } from '../support/phone-network';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker, submitUntilIssued } from '../support/test-app';

const FORM = {
  title: '学习情况报告',
  fields: [
    { key: 'note', label: '学习情况', type: 'longText', required: true, maxLength: 500 },
    { key: 'members', label: '参学党员', type: 'number', required: true, integer: true, min: 0, max: 500, unit: '人' },
  ],
};
const TITLE = '关于报送冬训学习情况的通知';
/** Every kind of field a phone keeps besides text, from the forms' shared fixture: a choice, ticks (2–3), a table (2–3 rows), files. */
const RICH_FORM = { title: '冬训经费与行动', fields: EVERY_TYPE.fields.filter((f) => ['status', 'actions', 'rows', 'files'].includes(f.key)) };

describe('no lost edits in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let directiveId: string;
  const filings = {} as Record<'journey' | 'shared' | 'offline' | 'rich', string>;
  const people = {} as Record<'journey' | 'shared' | 'offline' | 'offlineStaff' | 'rich', { username: string }>;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `改${Date.now() % 100000}发` });
    const staff = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李审核');
    const secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    const journey = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会');
    const shared = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡柏林村支部委员会');
    const offline = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡石梯村支部委员会');
    people.journey = await makePerson(prisma, [{ orgId: journey.id, role: Role.BRANCH_SECRETARY }], '刘大滩');
    people.shared = await makePerson(prisma, [{ orgId: shared.id, role: Role.BRANCH_SECRETARY }], '陈柏林');
    people.offline = await makePerson(prisma, [{ orgId: offline.id, role: Role.BRANCH_SECRETARY }], '罗石梯');
    people.offlineStaff = await makePerson(prisma, [{ orgId: offline.id, role: Role.BRANCH_STAFF }], '杨组织');
    const rich = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡金竹村支部委员会');
    people.rich = await makePerson(prisma, [{ orgId: rich.id, role: Role.BRANCH_SECRETARY }], '周金竹');

    const [drafter, rev, sec] = [new ApiSession(app), new ApiSession(app), new ApiSession(app)];
    await drafter.login(staff.username, PASSWORD);
    await rev.login(reviewer.username, PASSWORD);
    await sec.login(secretary.username, PASSWORD);
    const created = await drafter
      .post('/api/directives', {
        model: { ...SEED_MODEL, title: TITLE },
        chain: { reviewers: [reviewer.id], signerId: secretary.id },
        distribution: { mode: 'ALL' },
        requirements: [{ title: '冬训学习情况', form: FORM, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
      })
      .expect(201);
    directiveId = created.body.id;
    // The richer form goes to its own branch only (the others' badges count one filing each).
    const richDirective = await drafter
      .post('/api/directives', {
        model: { ...SEED_MODEL, title: '关于报送冬训经费与行动的通知' },
        chain: { reviewers: [reviewer.id], signerId: secretary.id },
        distribution: { mode: 'LIST', orgIds: [rich.id] },
        requirements: [{ title: '冬训经费与行动', form: RICH_FORM, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
      })
      .expect(201);
    await submitUntilIssued(drafter, directiveId, [rev, sec]);
    await submitUntilIssued(drafter, richDirective.body.id, [rev, sec]);
    for (const [k, org] of [
      ['journey', journey],
      ['shared', shared],
      ['offline', offline],
    ] as const)
      filings[k] = (await prisma.filing.findFirstOrThrow({ where: { requirement: { directiveId }, orgId: org.id } })).id;
    filings.rich = (await prisma.filing.findFirstOrThrow({ where: { requirement: { directiveId: richDirective.body.id }, orgId: rich.id } })).id;
  }, 180_000);

  /** Torn down after each test, whatever its outcome (the phone networks' proxies). */
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const done of cleanups.splice(0)) await done();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  const badge = (page: Page) => page.$eval('nav [data-nav-count="todo"]', (el) => ((el as HTMLElement).hidden ? '' : (el as HTMLElement).innerText.trim()));
  const field = (key: string) => `[data-field="${key}"] [data-v]`;
  /** 填报 changes this phone keeps until the server confirms them (whoever they belong to). */
  const keptOnPhone = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dj-filing-unsaved:')).length);
  const autosaved = (page: Page, pattern = '^已自动保存 \\d{2}:\\d{2}$') =>
    page.waitForFunction((p) => new RegExp(p).test(document.querySelector('[data-autosave]')?.textContent ?? ''), { timeout: 15_000 }, pattern);
  /** Every dialog the page raised, by type (the pages accept them: see phonePageAs). */
  const dialogs = (page: Page) => {
    const seen: string[] = [];
    page.on('dialog', (d) => seen.push(d.type()));
    return seen;
  };

  it('the branch on a phone: 签收 → the directive → fill → leave within the autosave delay → back, all there → submit → the badge clears', async () => {
    const page = await phonePageAs(browser, url, people.journey.username, PASSWORD);
    const asked = dialogs(page);
    await reloadUntil(page, `${url}/inbox`, 'button[data-ack]', '签收待办');
    expect(await badge(page)).toBe('2');
    await submit(page, 'button[data-ack]');
    expect(await text(page, '[role=status]')).toContain('已签收');
    expect(await badge(page)).toBe('1');
    // The 签收 task (now in 已办) leads to the directive, read there.
    await page.goto(`${url}/inbox?tab=done`);
    await submit(page, 'a[data-directive-link]');
    expect(new URL(page.url()).pathname).toBe(`/directives/${directiveId}`);
    expect(await text(page, '[data-doc-title]')).toBe(TITLE);
    expect(await text(page, '[data-my-receipt]')).toContain('已签收');

    // The directive leads to its filing; the person types and leaves at once, long before the autosave would run.
    await submit(page, 'a[data-my-filing]');
    expect(new URL(page.url()).pathname).toBe(`/filings/${filings.journey}`);
    await typeInto(page, field('note'), '集中学习 3 次，专题党课 1 次。');
    await typeInto(page, field('members'), '23');
    expect(await text(page, '[data-autosave]')).not.toMatch(/已自动保存/);
    await submit(page, 'a[data-back-inbox]');
    expect(new URL(page.url()).pathname).toBe('/inbox');
    // Nothing would have been lost: leaving did not ask.
    expect(asked).toEqual([]);

    // Back on the filing: what was typed is there.
    await submit(page, 'a[data-filing-link]');
    expect(await valueOf(page, field('note'))).toBe('集中学习 3 次，专题党课 1 次。');
    expect(await valueOf(page, field('members'))).toBe('23');
    expect(await text(page, '[data-autosave]')).toMatch(/^已自动保存 \d{2}:\d{2}$/);
    expect(await fitsPhone(page)).toBe(true);

    await submit(page, '[data-filing-submit]');
    expect(await text(page, '[data-status]')).toBe('待审核');
    await page.waitForFunction(() => (document.querySelector('nav [data-nav-count="todo"]') as HTMLElement | null)?.hidden === true, { timeout: 30_000 });
    await page.goto(`${url}/inbox`);
    expect(await badge(page)).toBe('');
    expect(asked).toEqual([]);
  }, 120_000);

  it('two pages of one branch on one filing: the second sees both versions and chooses — keep mine, then take theirs', async () => {
    const filingUrl = `${url}/filings/${filings.shared}`;
    const a = await deskPageAs(browser, url, people.shared.username, PASSWORD);
    const b = await deskPageAs(browser, url, people.shared.username, PASSWORD);
    await a.goto(filingUrl);
    await b.goto(filingUrl);

    await typeInto(a, field('note'), '甲页：集中学习 2 次。');
    await autosaved(a);
    // B opened before A saved: its save is refused, and it is shown A's value beside its own.
    await typeInto(b, field('note'), '乙页：专题党课 1 次。');
    await b.waitForSelector('[data-conflict]', { timeout: 15_000 });
    expect(await text(b, '[data-conflict] p')).toMatch(/^这份草稿已由陈柏林在另一处于 .+ 保存过/);
    expect(await text(b, '[data-conflict-field="note"] [data-mine]')).toBe('乙页：专题党课 1 次。');
    expect(await text(b, '[data-conflict-field="note"] [data-theirs]')).toBe('甲页：集中学习 2 次。');
    expect(await text(b, '[data-autosave]')).toContain('暂未保存');
    await b.screenshot({ path: artifact('e2e', 'edits-conflict-desk.png'), fullPage: false });
    // Nothing was overwritten.
    expect((await prisma.filing.findUniqueOrThrow({ where: { id: filings.shared } })).draft).toEqual({ note: '甲页：集中学习 2 次。' });

    // B keeps its own: saved over A's.
    await b.$eval('[data-keep-mine]', (el) => (el as HTMLElement).click());
    await autosaved(b);
    expect(await b.$('[data-conflict]')).toBeNull();
    expect((await prisma.filing.findUniqueOrThrow({ where: { id: filings.shared } })).draft).toEqual({ note: '乙页：专题党课 1 次。' });

    // Now A is behind: it is asked in turn, and takes B's version (the page reloads with it).
    await typeInto(a, field('members'), '12');
    await a.waitForSelector('[data-conflict]', { timeout: 15_000 });
    expect(await text(a, '[data-conflict-field="note"] [data-theirs]')).toBe('乙页：专题党课 1 次。');
    expect(await text(a, '[data-conflict-field="members"] [data-mine]')).toBe('12 人');
    expect(await text(a, '[data-conflict-field="members"] [data-theirs]')).toBe('（未填写）');
    await submit(a, '[data-take-theirs]');
    expect(await a.$('[data-conflict]')).toBeNull();
    expect(await valueOf(a, field('note'))).toBe('乙页：专题党课 1 次。');
    expect(await valueOf(a, field('members'))).toBe('');
    await a.close();
    await b.close();
  }, 120_000);

  it('leaving with a number typed in words asks first; the valid field typed with it is kept', async () => {
    const filingUrl = `${url}/filings/${filings.shared}`;
    const page = await phonePageAs(browser, url, people.shared.username, PASSWORD);
    const asked = dialogs(page);
    await page.goto(filingUrl);
    await page.$eval(field('note'), (el) => ((el as HTMLTextAreaElement).value = ''));
    await typeInto(page, field('note'), '冬训已完成。');
    await typeInto(page, field('members'), '二十三');
    // Leaving at once: the browser asks (the prompt is accepted here), and the valid field still goes with the page.
    await submit(page, 'a[data-back-inbox]');
    expect(asked).toEqual(['beforeunload']);

    // Back: the number the server refused was kept on the phone and is put back; the page says which field was not kept
    // and why, in words, under the field and beside the save.
    await page.goto(filingUrl);
    expect(await valueOf(page, field('note'))).toBe('冬训已完成。');
    expect(await valueOf(page, field('members'))).toBe('二十三');
    await autosaved(page, '^已自动保存 \\d{2}:\\d{2}（');
    expect(await text(page, '[data-restored]')).toMatch(/^已恢复您上次离开时尚未保存的内容（.+），已保存；标有“未保存”的几项请修改。$/);
    expect(await text(page, '[data-autosave]')).toContain('“参学党员”应为数字');
    expect(await text(page, '[data-field="members"] [data-autosave-note]')).toContain('未保存：“参学党员”应为数字');
    expect(await valueOf(page, field('members'))).toBe('二十三');
    await page.screenshot({ path: artifact('e2e', 'edits-not-kept-phone.png'), fullPage: false });
    // Still not kept: leaving asks again.
    await submit(page, 'a[data-back-inbox]');
    expect(asked).toEqual(['beforeunload', 'beforeunload']);
  }, 120_000);

  it('a phone that goes offline: typed, the tab closed at once — opened again online, the change is back, said so, and saved; offline on the page, saved when the network returns', async () => {
    const filingUrl = `${url}/filings/${filings.offline}`;
    const draft = async () => (await prisma.filing.findUniqueOrThrow({ where: { id: filings.offline } })).draft;
    const NOTE = '冬训因雨推迟，改在村活动室集中学习 2 次。';
    const net = await phoneNetwork();
    cleanups.push(() => net.close());
    let page = await phonePageAs(browser, url, people.offline.username, PASSWORD, net.contextOptions);
    const phone = page.browserContext();
    /** The same phone (its session, its storage), a new tab. */
    const newTab = async () => {
      const tab = await phone.newPage();
      await tab.setViewport(PHONE);
      tab.on('dialog', (d) => void d.accept());
      return tab;
    };
    await page.goto(filingUrl);
    await typeInto(page, field('members'), '31');
    await autosaved(page);
    expect(await keptOnPhone(page)).toBe(0);

    // The network drops: the page says so. The person types and closes the tab at once — nothing asks, nothing is sent.
    await net.setOffline(page, true);
    await page.waitForSelector('[data-offline]:not([hidden])');
    expect(await text(page, '[data-offline]')).toBe('网络已断开，修改先保存在本机，联网后自动保存。');
    await typeInto(page, field('note'), NOTE);
    await page.close();
    expect(await draft()).toEqual({ members: 31 });
    await net.restoreAfterClose();

    // Online again, in a new tab: 退出 would clear the phone, so it asks first; cancelled, nothing is lost.
    page = await newTab();
    await page.goto(`${url}/inbox`);
    page.removeAllListeners('dialog');
    const logoutAsked = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await click(page, 'form[action="/logout"] button');
    expect(await logoutAsked).toContain('本机还有 1 份填报的修改没有保存到服务器');
    page.on('dialog', (d) => void d.accept());
    expect(new URL(page.url()).pathname).toBe('/inbox');
    expect(await keptOnPhone(page)).toBe(1);

    // The filing opened: the note is back, the page says what it restored and from when, and saves it.
    await page.goto(filingUrl);
    expect(await valueOf(page, field('note'))).toBe(NOTE);
    expect(await valueOf(page, field('members'))).toBe('31');
    expect(await text(page, '[data-restored]')).toMatch(/^已恢复您上次离开时尚未保存的内容（\d+月\d+日 \d{2}:\d{2}），(正在保存…|已保存。)$/);
    await autosaved(page);
    expect(await text(page, '[data-restored]')).toMatch(/，已保存。$/);
    expect(await page.$eval('[data-offline]', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(await fitsPhone(page)).toBe(true);
    await page.screenshot({ path: artifact('e2e', 'edits-restored-phone.png'), fullPage: false });
    expect(await draft()).toEqual({ note: NOTE, members: 31 });
    expect(await keptOnPhone(page)).toBe(0);
    // What the server holds, with nothing on the phone: the same.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    expect(await valueOf(page, field('note'))).toBe(NOTE);
    expect(await page.$eval('[data-restored]', (el) => (el as HTMLElement).hidden)).toBe(true);

    // Offline while staying on the page: the change waits on the phone and is saved as soon as the network returns.
    await net.setOffline(page, true);
    await setValue(page, field('members'), '32');
    await autosaved(page, '^网络已断开，修改先保存在本机，联网后自动保存。$');
    expect(await keptOnPhone(page)).toBe(1);
    // The bar that stays on the screen keeps to one button's height with the long message beside 提交 (before: 124 px,
    // the message wrapped under the button).
    const bar = await page.$eval('.filing-form .buttons.sticky', (el) => ({
      height: el.getBoundingClientRect().height,
      button: (el.querySelector('button') as HTMLElement).getBoundingClientRect().height,
    }));
    expect(bar.height).toBeLessThanOrEqual(bar.button + 24);
    expect(await draft()).toEqual({ note: NOTE, members: 31 });
    await net.setOffline(page, false);
    await autosaved(page);
    expect(await draft()).toEqual({ note: NOTE, members: 32 });
    expect(await keptOnPhone(page)).toBe(0);
    expect(await page.$eval('[data-offline]', (el) => (el as HTMLElement).hidden)).toBe(true);

    // Offline once more, typed, the tab closed; meanwhile the draft is saved elsewhere (the branch's other phone). Opened
    // again, the change kept here is shown beside the other one, and the person chooses.
    await net.setOffline(page, true);
    await setValue(page, field('members'), '33');
    await page.close();
    await net.restoreAfterClose();
    const other = new ApiSession(app);
    await other.login(people.offline.username, PASSWORD);
    await other.put(`/api/filings/${filings.offline}/draft`, { values: { note: NOTE, members: 40 } }).expect(200);
    page = await newTab();
    await page.goto(filingUrl);
    await page.waitForSelector('[data-conflict]', { timeout: 15_000 });
    expect(await text(page, '[data-restored]')).toMatch(/^已恢复您上次离开时尚未保存的内容（.+）。这份草稿此后在别处保存过，请选择保留哪一份。$/);
    expect(await text(page, '[data-conflict-field="members"] [data-mine]')).toBe('33 人');
    expect(await text(page, '[data-conflict-field="members"] [data-theirs]')).toBe('40 人');
    expect(await draft()).toEqual({ note: NOTE, members: 40 });
    await page.$eval('[data-keep-mine]', (el) => (el as HTMLElement).click());
    await autosaved(page);
    expect(await draft()).toEqual({ note: NOTE, members: 33 });
    expect(await keptOnPhone(page)).toBe(0);
    await page.close();
  }, 120_000);

  it('a phone shared in the branch: what one person left unsaved on it is not put into the filing when another logs in, and is back for its owner', async () => {
    const filingUrl = `${url}/filings/${filings.offline}`;
    const draft = async () => (await prisma.filing.findUniqueOrThrow({ where: { id: filings.offline } })).draft as Record<string, unknown>;
    const MINE = '罗石梯离线补记：冬训第三次学习改在周五。';
    const net = await phoneNetwork();
    cleanups.push(() => net.close());
    let page = await phonePageAs(browser, url, people.offline.username, PASSWORD, net.contextOptions);
    const phone = page.browserContext();
    const saved = await draft();
    await page.goto(filingUrl);
    await net.setOffline(page, true);
    await page.waitForSelector('[data-offline]:not([hidden])');
    await setValue(page, field('note'), MINE);
    await page.close();
    await net.restoreAfterClose();

    /** The session runs out (no 退出, which would clear the phone) and someone logs in on the same phone. */
    const logInOnSamePhone = async (username: string) => {
      const tab = await phone.newPage();
      await tab.setViewport(PHONE);
      tab.on('dialog', (d) => void d.accept());
      await tab.goto(`${url}/login`);
      await tab.deleteCookie(...(await tab.cookies()));
      await tab.goto(`${url}/login`);
      await tab.type('input[name=username]', username);
      await tab.type('input[name=password]', PASSWORD);
      await Promise.all([tab.waitForNavigation(), tab.click('button[type=submit]')]);
      return tab;
    };

    // 杨组织 of the same branch: the filing as saved, nothing restored, nothing saved in his name.
    page = await logInOnSamePhone(people.offlineStaff.username);
    await page.goto(filingUrl);
    expect(await valueOf(page, field('note'))).toBe(String(saved?.note ?? ''));
    expect(await page.$eval('[data-restored]', (el) => (el as HTMLElement).hidden)).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // past the autosave's delay
    expect(await draft()).toEqual(saved);
    expect(await keptOnPhone(page)).toBe(1);
    await page.close();

    // 罗石梯 back on the phone: his change is restored and saved.
    page = await logInOnSamePhone(people.offline.username);
    await page.goto(filingUrl);
    expect(await valueOf(page, field('note'))).toBe(MINE);
    await autosaved(page);
    expect((await draft()).note).toBe(MINE);
    expect(await keptOnPhone(page)).toBe(0);
    await page.close();
  }, 120_000);

  it('offline with a table, ticks, a choice and a file: rows added and filled, boxes ticked, the file removed, the tab closed — opened again online, all of it is back and saved', async () => {
    const filingUrl = `${url}/filings/${filings.rich}`;
    const draft = async () => (await prisma.filing.findUniqueOrThrow({ where: { id: filings.rich } })).draft as Record<string, unknown> | null;
    const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-edits-')), '学习签到表.pdf');
    fs.writeFileSync(pdf, minimalPdf('金竹村冬训签到'));
    const net = await phoneNetwork();
    cleanups.push(() => net.close());
    let page = await phonePageAs(browser, url, people.rich.username, PASSWORD, net.contextOptions);
    const phone = page.browserContext();
    await page.goto(filingUrl);

    // Online: the sign-in sheet uploaded and saved with the draft (the table's first row is there, empty).
    await ((await page.$('[data-field="files"] input[type=file]')) as ElementHandle<HTMLInputElement>).uploadFile(pdf);
    await page.waitForFunction(() => document.querySelector('[data-field="files"] [data-file-status]')?.textContent === '已上传 1 个文件');
    await autosaved(page);
    const before = await draft();
    expect((before?.files as unknown[]).length).toBe(1);

    // Offline: the two rows there filled and a third added and filled, two boxes ticked, a choice made, the file removed;
    // the tab closed at once. Nothing reaches the server.
    await net.setOffline(page, true);
    await page.waitForSelector('[data-offline]:not([hidden])');
    const rows = '[data-field="rows"] [data-rows] > [data-row]';
    expect(await page.$$(rows)).toHaveLength(2);
    for (const [n, item, amount] of [
      [1, '资料印制', '0.3'],
      [2, '场地租用', '1.2'],
      [3, '慰问品', '2.5'],
    ] as const) {
      if (n > 2) await click(page, '[data-field="rows"] [data-add-row]');
      await typeInto(page, `${rows}:nth-child(${n}) [data-col="item"] [data-v]`, item);
      await typeInto(page, `${rows}:nth-child(${n}) [data-col="amount"] [data-v]`, amount);
    }
    await click(page, '[data-field="actions"] input[value="a"]');
    await click(page, '[data-field="actions"] input[value="c"]');
    await click(page, '[data-field="status"] input[value="done"]');
    await click(page, '[data-field="files"] [data-file-remove]');
    await page.close();
    expect(await draft()).toEqual(before);
    await net.restoreAfterClose();

    // Online again, a new tab: everything is back as it was left, said so, and saved.
    page = await phone.newPage();
    await page.setViewport(PHONE);
    page.on('dialog', (d) => void d.accept());
    await page.goto(filingUrl);
    await page.waitForSelector('[data-restored]:not([hidden])');
    const cells = await page.$$eval(rows, (rs) =>
      rs.map((r) => Array.from(r.querySelectorAll('[data-col] [data-v]')).map((i) => (i as HTMLInputElement).value)),
    );
    expect(cells).toEqual([
      ['资料印制', '0.3', ''],
      ['场地租用', '1.2', ''],
      ['慰问品', '2.5', ''],
    ]);
    expect(await page.$$eval('[data-field="actions"] input:checked', (is) => is.map((i) => (i as HTMLInputElement).value))).toEqual(['a', 'c']);
    expect(await page.$$eval('[data-field="status"] input:checked', (is) => is.map((i) => (i as HTMLInputElement).value))).toEqual(['done']);
    expect(await page.$$('[data-field="files"] [data-file-list] li')).toHaveLength(0);
    await autosaved(page);
    expect(await text(page, '[data-restored]')).toMatch(/，已保存。$/);
    expect(await draft()).toEqual({
      status: 'done',
      actions: ['a', 'c'],
      rows: [
        { item: '资料印制', amount: 0.3 },
        { item: '场地租用', amount: 1.2 },
        { item: '慰问品', amount: 2.5 },
      ],
    });
    await page.screenshot({ path: artifact('e2e', 'edits-restored-rich-phone.png'), fullPage: true });

    // And what the server now holds is what the page shows with nothing kept on the phone.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    expect(await page.$$(rows)).toHaveLength(3);
    expect(await page.$$eval('[data-field="actions"] input:checked', (is) => is.length)).toBe(2);
    await page.close();
  }, 120_000);
});
