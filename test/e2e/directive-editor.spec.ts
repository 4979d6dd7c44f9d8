/**
 * The directive editor (a form saved by posting it) asks before the drafter leaves with changes not yet saved (UX issue
 * 17, point 4), in real Chromium: the beforeunload prompt on a changed title or body, 留下 keeps what was typed, saving
 * then leaving asks nothing; and a page that holds values only it has (a version conflict, a refused save) asks too.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { deskPageAs, dialogsOf, launchBrowser, submit, text, tryToLeave, typeInto, valueOf } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp } from '../support/test-app';

const TITLE = '关于开展冬训工作的通知';
const MENU = 'nav a[href="/directives"]';

describe('the directive editor asks before unsaved changes are left behind', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let drafter: { username: string };
  let api: ApiSession;
  let chain: { reviewers: string[]; signerId: string };

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `编${Date.now() % 100000}发` });
    drafter = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李审核');
    const secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    await makeBranch(prisma, committee.id, undefined, '中共大滩乡大滩村支部委员会');
    chain = { reviewers: [reviewer.id], signerId: secretary.id };
    api = new ApiSession(app);
    await api.login(drafter.username, PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh draft (through the API, as the editor's first save would make it). */
  async function draft(): Promise<string> {
    const created = await api.post('/api/directives', { model: { ...SEED_MODEL, title: TITLE }, chain, distribution: { mode: 'ALL' } }).expect(201);
    return created.body.id;
  }
  const saved = async (id: string) => (await prisma.directive.findUniqueOrThrow({ where: { id }, include: { document: true } })).document;
  /** Types at the end of a field, as a person who clicked after the last character would. */
  async function append(page: Page, selector: string, v: string) {
    await page.$eval(selector, (el) => {
      const f = el as HTMLTextAreaElement;
      f.setSelectionRange(f.value.length, f.value.length);
    });
    await typeInto(page, selector, v);
  }

  it('a changed title or body asks; 留下 keeps the text; saved, or unchanged, leaves without asking', async () => {
    const id = await draft();
    const editUrl = `${url}/directives/${id}/edit`;
    const page = await deskPageAs(browser, url, drafter.username, PASSWORD);
    const dialogs = dialogsOf(page);

    // Opened and left untouched: nothing to lose, nothing asked.
    await page.goto(editUrl);
    expect(await tryToLeave(page, MENU)).toBe('left');
    expect(new URL(page.url()).pathname).toBe('/directives');
    expect(dialogs.seen).toEqual([]);

    // The title changed: leaving asks; 留下 keeps the page and the text typed.
    await page.goto(editUrl);
    await append(page, 'input[name=title]', '（修订）');
    dialogs.accept = false;
    expect(await tryToLeave(page, MENU)).toBe('asked');
    expect(dialogs.seen).toEqual(['beforeunload']);
    expect(page.url()).toBe(editUrl);
    expect(await valueOf(page, 'input[name=title]')).toBe(`${TITLE}（修订）`);
    // 离开 this time: the page goes, and the change with it (nothing was saved).
    dialogs.accept = true;
    await Promise.all([page.waitForNavigation(), page.click(MENU)]);
    expect(dialogs.seen).toEqual(['beforeunload', 'beforeunload']);
    expect(new URL(page.url()).pathname).toBe('/directives');
    expect((await saved(id)).title).toBe(TITLE);

    // The body changed (the title as it was): asks too, and 留下 keeps the body typed.
    await page.goto(editUrl);
    expect(await valueOf(page, 'input[name=title]')).toBe(TITLE);
    await append(page, 'textarea[name=bodyText]', '各支部要把冬训情况记入党员教育台账。');
    dialogs.accept = false;
    expect(await tryToLeave(page, MENU)).toBe('asked');
    expect(dialogs.seen).toHaveLength(3);
    expect(page.url()).toBe(editUrl);
    expect(await valueOf(page, 'textarea[name=bodyText]')).toMatch(/各支部要把冬训情况记入党员教育台账。$/);

    // Saved: the save itself and leaving afterwards ask nothing.
    await submit(page, 'button[data-save]');
    expect(new URL(page.url()).pathname).toBe(`/directives/${id}`);
    expect(await tryToLeave(page, MENU)).toBe('left');
    expect(dialogs.seen).toHaveLength(3);
    expect(JSON.stringify((await saved(id)).model)).toContain('各支部要把冬训情况记入党员教育台账。');
    // Opened again, as saved: leaving asks nothing.
    await page.goto(editUrl);
    expect(await valueOf(page, 'textarea[name=bodyText]')).toMatch(/各支部要把冬训情况记入党员教育台账。$/);
    expect(await tryToLeave(page, MENU)).toBe('left');
    expect(dialogs.seen).toHaveLength(3);
    await page.close();
  });

  it('after a version conflict (two pages on one draft) the page still asks; 保留我的 saves and leaves without asking', async () => {
    const id = await draft();
    const editUrl = `${url}/directives/${id}/edit`;
    const first = await deskPageAs(browser, url, drafter.username, PASSWORD);
    const second = await deskPageAs(browser, url, drafter.username, PASSWORD);
    const dialogs = dialogsOf(second);
    await first.goto(editUrl);
    await second.goto(editUrl);

    await append(first, 'input[name=title]', '（甲）');
    await submit(first, 'button[data-save]');
    // The second page was opened on the version before: its save is refused, both versions shown side by side.
    await append(second, 'input[name=title]', '（乙）');
    await submit(second, 'button[data-save]');
    expect(await text(second, '[data-conflict] p')).toMatch(/在另一处保存为第 2 版/);
    const rows = await second.$$eval('[data-conflict-field]', (trs) =>
      trs.map((tr) => Array.from(tr.children).map((td) => (td as HTMLElement).innerText.trim())),
    );
    expect(rows).toEqual([['标题', `${TITLE}（乙）`, `${TITLE}（甲）`]]);
    expect((await saved(id)).title).toBe(`${TITLE}（甲）`);
    const conflictUrl = second.url();

    // Its own version is only on this page now: leaving asks, and 留下 keeps it.
    dialogs.accept = false;
    expect(await tryToLeave(second, MENU)).toBe('asked');
    expect(dialogs.seen).toEqual(['beforeunload']);
    expect(second.url()).toBe(conflictUrl);
    expect(await second.$('[data-conflict]')).not.toBeNull();
    expect(await valueOf(second, 'input[name=title]')).toBe(`${TITLE}（乙）`);

    // 保留我的: saved over the other version, without a prompt; leaving afterwards asks nothing.
    await submit(second, 'button[data-keep-mine]');
    expect(new URL(second.url()).pathname).toBe(`/directives/${id}`);
    expect((await saved(id)).title).toBe(`${TITLE}（乙）`);
    expect(await tryToLeave(second, MENU)).toBe('left');
    expect(dialogs.seen).toEqual(['beforeunload']);
    await first.close();
    await second.close();
  });

  it('a save refused for a missing field keeps the typed values on the page only: leaving it asks', async () => {
    const id = await draft();
    const page = await deskPageAs(browser, url, drafter.username, PASSWORD);
    const dialogs = dialogsOf(page);
    await page.goto(`${url}/directives/${id}/edit`);
    await append(page, 'textarea[name=bodyText]', '请各支部认真组织学习。');
    await page.$eval('input[name=title]', (el) => ((el as HTMLInputElement).value = ''));
    await submit(page, 'button[data-save]');
    expect(await text(page, '.alert.error')).toContain('标题');
    expect(await valueOf(page, 'textarea[name=bodyText]')).toMatch(/请各支部认真组织学习。$/);
    expect(dialogs.seen).toEqual([]);

    dialogs.accept = false;
    expect(await tryToLeave(page, MENU)).toBe('asked');
    expect(dialogs.seen).toEqual(['beforeunload']);
    expect(await valueOf(page, 'textarea[name=bodyText]')).toMatch(/请各支部认真组织学习。$/);
    await page.close();
  });
});
