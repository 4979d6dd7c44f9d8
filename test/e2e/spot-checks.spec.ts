/**
 * Lifecycle 3 through the task UI in real Chromium on a phone screen: 党建办 defines a round on the form and draws it;
 * the inspector records in the field — a failed item with a photo from the camera, another while offline (queued on
 * the phone, sent once when the connection returns) — and opens a rectification; the branch files the 整改报告, is
 * returned once, resubmits; the inspector accepts; the round shows the rectification closed.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import path from 'node:path';
import type { Browser, BrowserContextOptions, CDPSession, ElementHandle, Page } from 'puppeteer-core';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, click, fitsPhone, launchBrowser, phonePageAs, setValue, submit, text, typeInto } from '../support/browser';
import { PhoneNetwork, phoneNetwork } from '../support/phone-network';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const PHOTO = path.resolve(__dirname, '../fixtures/site-photo.jpg');
const TITLE = '2026年第四季度党支部规范化建设抽查';
const ITEM_WALL = '党员活动室制度上墙';
const ITEM_BOOK = '三会一课记录完整';
const RETURN_REASON = '请补充整改后的照片，并写明制度牌的张贴位置';

describe('督查抽查 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  const people: Record<'staff' | 'inspector' | 'otherInspector' | 'branch', { id: string; username: string }> = {} as never;
  let villageId: string;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `查${Date.now() % 100000}发` });
    const village = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会');
    await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡新风村支部委员会');
    villageId = village.id;
    Object.assign(people, {
      staff: await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建'),
      inspector: await makePerson(prisma, [{ orgId: committee.id, role: Role.INSPECTOR }], '赵督查'),
      otherInspector: await makePerson(prisma, [{ orgId: committee.id, role: Role.INSPECTOR }], '钱督查'),
      branch: await makePerson(prisma, [{ orgId: village.id, role: Role.BRANCH_SECRETARY }], '刘大滩'),
    });
  });

  /** Torn down after each test, whatever its outcome (the phone network's proxy). */
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const done of cleanups.splice(0)) await done();
  });

  afterAll(async () => {
    await browser.close();
    await worker.close();
    await app.close();
  });

  const pageAs = (who: keyof typeof people, context?: BrowserContextOptions) => phonePageAs(browser, url, people[who].username, PASSWORD, context);
  const upload = async (page: Page, selector: string) => ((await page.$(selector)) as ElementHandle<HTMLInputElement>).uploadFile(PHOTO);
  /**
   * No connection, for the phone (its network, behind the proxy of `net`: nothing gets through, whatever a reload does
   * to the tab's emulation), for the page and for its service worker: DevTools' offline mode of a page does not reach
   * the worker, so the worker gets the same network conditions through its own session (kept open: closing it ends them),
   * and both hear 'offline' / 'online'.
   */
  async function connection(page: Page, net: PhoneNetwork): Promise<(online: boolean) => Promise<void>> {
    const target = await page.browserContext().waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/spot-checks/sw.js'));
    const worker: CDPSession = await target.createCDPSession();
    await worker.send('Network.enable');
    return async (online) => {
      await net.setOffline(page, !online);
      await worker.send('Network.emulateNetworkConditions', { offline: !online, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    };
  }
  const stateOf = (page: Page, item: string) => text(page, `${item} [data-state]`);
  const waitText = (page: Page, selector: string, expected: string, timeout = 20_000) =>
    page.waitForFunction((s, t) => (document.querySelector(s) as HTMLElement | null)?.innerText.includes(t), { timeout }, selector, expected);

  it('a round is defined and drawn, inspected on a phone (offline too), rectified by the branch, verified and closed', async () => {
    // 党建办 fills the form; a forgotten inspector is named next to the field and nothing typed is lost.
    const staff = await pageAs('staff');
    await staff.goto(`${url}/spot-checks`);
    await submit(staff, 'a[data-new-round]');
    await typeInto(staff, 'input[name=title]', TITLE);
    await typeInto(staff, '[data-items] [data-row]:nth-child(1) textarea[name=itemText]', ITEM_WALL);
    await click(staff, '[data-items] [data-add-row]');
    await typeInto(staff, '[data-items] [data-row]:nth-child(2) textarea[name=itemText]', ITEM_BOOK);
    await staff.select('[data-items] [data-row]:nth-child(2) select[name=itemEvidence]', 'NOTE');
    // Every village branch: “每个直属下级组织 的全部对象”.
    await staff.select('[data-levels] [data-row]:nth-child(1) select[name=ruleType]', 'all');
    expect(await staff.$eval('[data-levels] [data-row]:nth-child(1) [data-when-rule="all"]', (el) => (el as HTMLElement).hidden)).toBe(false);
    expect(await fitsPhone(staff)).toBe(true);
    await submit(staff, '[data-save-round]');
    expect(await text(staff, '[data-inspectors] .field-error')).toContain('督查员');
    expect(await text(staff, '.alert.error')).toContain('需要修改');
    expect(await staff.$eval('input[name=title]', (el) => (el as HTMLInputElement).value)).toBe(TITLE);
    expect(await staff.$eval('[data-items] [data-row]:nth-child(2) textarea[name=itemText]', (el) => (el as HTMLTextAreaElement).value)).toBe(ITEM_BOOK);
    expect(await staff.$eval('[data-levels] [data-row]:nth-child(1) select[name=ruleType]', (el) => (el as HTMLSelectElement).value)).toBe('all');
    await staff.screenshot({ path: artifact('e2e', 'spot-check-form-error-phone.png'), fullPage: true });
    await click(staff, `input[name=inspectorIds][value="${people.inspector.id}"]`);
    await submit(staff, '[data-save-round]');
    expect(await text(staff, '[data-done]')).toContain('已保存');
    const roundId = staff.url().split('/').pop()?.split('?')[0] as string;

    // 抽取 with a seed: the strata, the sample and how to reproduce it.
    // The seed is for those who check the sample: under the folded 复核抽样.
    await click(staff, '[data-sampling-review] summary');
    await typeInto(staff, 'input[name=seed]', 'dt-2026-q4');
    await submit(staff, 'button[data-draw]');
    expect(await text(staff, '[data-done]')).toContain('已抽取');
    // The seed and the files to check the draw with are under the folded 复核抽样.
    await click(staff, '[data-reproduce] summary');
    expect(await text(staff, '[data-seed]')).toBe('dt-2026-q4');
    expect(await text(staff, '[data-selected-count]')).toBe('2');
    // One stratum per village (level 1), each wanting all of its one eligible unit.
    const strata = await staff.$$eval('[data-strata] tbody tr', (rows) => rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(strata.sort()).toEqual(['第 1 层 中共大滩乡大滩村支部委员会 1 1 1', '第 1 层 中共大滩乡新风村支部委员会 1 1 1']);
    expect(await staff.$eval('[data-command]', (el) => el.textContent)).toBe('npm run cli -- sample --rule rule.json --orgs orgs.json --seed dt-2026-q4');
    expect(await staff.$eval('[data-expected]', (el) => el.textContent)).toContain(villageId);
    const orgsFile = await staff.evaluate((u) => fetch(u).then((r) => r.json()), `${url}/spot-checks/${roundId}/orgs.json`);
    expect(orgsFile.units.map((u: { id: string }) => u.id)).toContain(villageId);
    expect(await text(staff, '[data-units]')).toContain('督查员：赵督查');
    expect(await fitsPhone(staff)).toBe(true);
    await staff.screenshot({ path: artifact('e2e', 'spot-check-drawn-phone.png'), fullPage: true });
    const unitRowId = (await prisma.spotCheckUnit.findFirstOrThrow({ where: { roundId, orgId: villageId } })).id;

    // The inspector opens the task from the inbox, at the unit.
    const net = await phoneNetwork();
    cleanups.push(() => net.close());
    const inspector = await pageAs('inspector', net.contextOptions);
    await inspector.goto(`${url}/inbox`);
    expect(await text(inspector, '.tasks')).toContain('抽查：中共大滩乡大滩村支部委员会');
    await submit(inspector, `a[data-inspect-link][href$="#unit-${unitRowId}"]`);
    // At the unit, with the way back to the inbox (?from=).
    const opened = new URL(inspector.url());
    expect(`${opened.origin}${opened.pathname}${opened.hash}`).toBe(`${url}/spot-checks/${roundId}/inspect#unit-${unitRowId}`);
    expect(opened.searchParams.get('from')).toMatch(/^\/inbox/);
    const wall = `#unit-${unitRowId} [data-item="i1"]`;
    const book = `#unit-${unitRowId} [data-item="i2"]`;
    await waitText(inspector, '[data-queue-count]', '待发送 0 条');
    // The service worker that keeps the page for use offline is in charge before the connection goes.
    await inspector.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await inspector.reload();
    expect(await inspector.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    // A failed item: 不合格, 较重, a note, a photo from the camera; sent at once, the photo's EXIF time shown next to it.
    await click(inspector, `${wall} input[data-verdict][value="fail"]`);
    await inspector.select(`${wall} select[data-severity]`, '较重');
    await typeInto(inspector, `${wall} textarea[data-notes]`, '活动室未张贴“三会一课”制度');
    await upload(inspector, `${wall} input[data-photo-input]`);
    await inspector.waitForSelector(`${wall} [data-new-photos] img`);
    await click(inspector, `${wall} button[data-record]`);
    await waitText(inspector, `${wall} [data-state]`, '已保存');
    await waitText(inspector, `${wall} [data-saved-photo-list]`, '拍摄于 2026年11月20日 10:30');
    await inspector.waitForFunction((s) => (document.querySelector(s) as HTMLImageElement | null)?.naturalWidth, {}, `${wall} [data-saved-photo-list] img`);
    // 党建办's round page, open since the draw, shows the finding by itself (live status).
    await staff.waitForFunction(() => document.querySelector('[data-units]')?.textContent?.includes('活动室未张贴'), { timeout: 30_000 });

    // Offline: the next item waits on the phone (待发送), survives a reload without connection, and is sent once when back online.
    const online = await connection(inspector, net);
    await online(false);
    await inspector.waitForFunction(() => !navigator.onLine);
    await click(inspector, `${book} input[data-verdict][value="pass"]`);
    await click(inspector, `${book} button[data-record]`);
    await waitText(inspector, `${book} [data-state]`, '待发送');
    await waitText(inspector, '[data-queue-count]', '待发送 1 条');
    expect(await text(inspector, '[data-net]')).toContain('离线');
    await inspector.screenshot({ path: artifact('e2e', 'spot-check-offline-phone.png'), fullPage: false });
    const reloaded = await inspector.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await waitText(inspector, '[data-queue-count]', '待发送 1 条');
    // Opened from the copy the service worker kept before the first record: what was saved since is known on the phone.
    expect(await text(inspector, '[data-offline-copy]')).toContain('上次联网时保存在本机');
    expect(await stateOf(inspector, wall)).toBe('已保存');
    expect(await text(inspector, `${wall} [data-saved-photo-list]`)).toContain('拍摄于 2026年11月20日 10:30');
    await inspector.waitForFunction((s) => (document.querySelector(s) as HTMLImageElement | null)?.naturalWidth, {}, `${wall} [data-saved-photo-list] img`);
    expect(await stateOf(inspector, book)).toBe('待发送');
    expect(await inspector.$eval(`${book} input[data-verdict][value="pass"]`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await prisma.spotCheckFinding.count({ where: { unitRowId, itemKey: 'i2' } })).toBe(0);
    // 退出 with a record still waiting: the phone asks first; cancelling keeps the record and the session.
    inspector.removeAllListeners('dialog');
    const asked = new Promise<string>((resolve) =>
      inspector.once('dialog', (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await click(inspector, 'form[action="/logout"] button');
    expect(await asked).toContain('本机还有 1 条检查记录没有发送到服务器');
    inspector.on('dialog', (d) => void d.accept());
    expect(new URL(inspector.url()).pathname).toBe(`/spot-checks/${roundId}/inspect`);
    await waitText(inspector, '[data-queue-count]', '待发送 1 条');
    await online(true);
    await waitText(inspector, `${book} [data-state]`, '已保存', 30_000);
    await waitText(inspector, '[data-queue-count]', '待发送 0 条');
    const stored = await prisma.spotCheckFinding.findMany({ where: { unitRowId, itemKey: 'i2' } });
    expect(stored).toHaveLength(1);
    expect(stored[0].passed).toBe(true);
    // Recorded once: one record in the audit log, never an update from a second send.
    expect(await prisma.auditLog.count({ where: { entityId: stored[0].id, action: { startsWith: 'spotcheck.finding' } } })).toBe(1);
    const api = new ApiSession(app);
    await api.login(people.inspector.username, PASSWORD);
    const detail = (await api.get(`/api/spot-checks/${roundId}`).expect(200)).body;
    const unit = detail.units.find((u: { id: string }) => u.id === unitRowId);
    expect(unit.findings.map((f: { itemKey: string; passed: boolean }) => `${f.itemKey}:${f.passed}`)).toEqual(['i1:false', 'i2:true']);

    // 开具整改 on the failed item, with the round's 10 working days.
    expect(await inspector.$eval(`${wall} [data-rectify-days]`, (el) => (el as HTMLInputElement).value)).toBe('10');
    await click(inspector, `${wall} button[data-rectify]`);
    await waitText(inspector, `${wall} [data-rect-box]`, '已开具整改');
    expect(await fitsPhone(inspector)).toBe(true);
    await inspector.screenshot({ path: artifact('e2e', 'spot-check-inspect-phone.png'), fullPage: true });
    const filingId = (await inspector.$eval(`${wall} a[data-rect-link]`, (a) => (a as HTMLAnchorElement).getAttribute('href')))?.split('/').pop() as string;

    // The branch files the 整改报告 from its inbox on the phone.
    const branch = await pageAs('branch');
    await branch.goto(`${url}/inbox`);
    expect(await text(branch, '.tasks')).toContain(`整改：${ITEM_WALL}`);
    await submit(branch, `a[data-filing-link][href^="/filings/${filingId}?"]`);
    expect(await branch.$eval('[data-field="problem"] textarea', (el) => (el as HTMLTextAreaElement).value)).toContain('活动室未张贴');
    await typeInto(branch, '[data-field="measures"] textarea', '制作“三会一课”制度牌并张贴上墙');
    await click(branch, '[data-field="status"] input[value="done"]');
    await setValue(branch, '[data-field="completedOn"] input', DateTime.now().setZone('Asia/Shanghai').toISODate() as string);
    await upload(branch, '[data-field="evidence"] [data-file-input]');
    await branch.waitForFunction(() => document.querySelector('[data-field="evidence"] [data-file-status]')?.textContent === '已上传 1 个文件', {
      timeout: 15_000,
    });
    await submit(branch, '[data-filing-submit]');
    expect(await text(branch, '[data-status]')).toBe('待审核');
    // The round, as the branch sees it: its own unit only.
    await branch.goto(`${url}/spot-checks/${roundId}`);
    expect(await text(branch, '[data-units]')).toContain('大滩村');
    expect(await text(branch, '[data-units]')).not.toContain('新风村');
    expect(await branch.$('[data-report]')).toBeNull();
    expect(await branch.$('[data-draw-result]')).toBeNull();

    // Only the inspector who recorded it verifies it: another inspector sees the report without the review controls.
    const other = await pageAs('otherInspector');
    await other.goto(`${url}/filings/${filingId}`);
    expect(await text(other, '[data-submitted-values]')).toContain('制度牌');
    expect(await other.$('[data-review-form]')).toBeNull();
    await inspector.goto(`${url}/filings/${filingId}`);
    await inspector.waitForSelector('[data-review-form]');
    await typeInto(inspector, 'textarea[name=comment]', RETURN_REASON);
    await setValue(inspector, 'input[name=newDate]', DateTime.now().setZone('Asia/Shanghai').plus({ days: 7 }).toISODate() as string);
    await submit(inspector, 'button[data-return]');
    expect(await text(inspector, '[data-status]')).toBe('退回修改');

    await branch.goto(`${url}/filings/${filingId}`);
    expect(await text(branch, '[data-return-reason]')).toContain(RETURN_REASON);
    await typeInto(branch, '[data-field="measures"] textarea', '；制度牌张贴在活动室东墙');
    await submit(branch, '[data-filing-submit]');
    expect(await text(branch, '[data-status]')).toBe('待审核');

    await inspector.goto(`${url}/filings/${filingId}`);
    expect(await text(inspector, '[data-submitted-values]')).toContain('东墙');
    await submit(inspector, 'button[data-accept]');
    expect(await text(inspector, '[data-status]')).toBe('已通过');
    // 退出 on the inspector's phone (nothing waiting, so no question) leaves nothing of the round on it: no kept page or
    // photo, no records, no service worker (Clear-Site-Data), for whoever uses the phone next.
    expect((await inspector.evaluate(() => caches.keys())).length).toBeGreaterThan(0);
    await submit(inspector, 'form[action="/logout"] button');
    expect(new URL(inspector.url()).pathname).toBe('/login');
    const left = await inspector.evaluate(async () => ({
      caches: await caches.keys(),
      workers: (await navigator.serviceWorker.getRegistrations()).length,
      databases: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(left).toEqual({ caches: [], workers: 0, databases: [] });

    // The round: the rectification closed, the report with its chart, the 通报.
    await staff.goto(`${url}/spot-checks/${roundId}`);
    const row = `[data-unit="${unitRowId}"]`;
    expect(await text(staff, `${row} [data-rect-status]`)).toBe('已验收销号');
    expect(await text(staff, `${row} [data-taken-at]`)).toBe('拍摄于 2026年11月20日 10:30');
    expect(await text(staff, '[data-rect-closed]')).toBe('1');
    expect(await text(staff, '[data-failed]')).toBe('1');
    expect(await text(staff, '[data-by-item]')).toContain(ITEM_WALL);
    await staff.waitForSelector('[data-rate-chart] svg');
    const pdf = await staff.evaluate(
      (u) => fetch(u).then((r) => r.headers.get('content-type')),
      `${url}${await staff.$eval('a[data-report-pdf]', (a) => a.getAttribute('href'))}`,
    );
    expect(pdf).toBe('application/pdf');
    expect(await fitsPhone(staff)).toBe(true);
    await staff.screenshot({ path: artifact('e2e', 'spot-check-report-phone.png'), fullPage: true });
    await submit(staff, 'button[data-close-round]');
    expect(await text(staff, '[data-round-status]')).toBe('已结束');
    // The other unit was never checked: its inspection task is cancelled with the round.
    const otherUnit = await prisma.spotCheckUnit.findFirstOrThrow({ where: { roundId, orgId: { not: villageId } } });
    expect((await prisma.task.findUniqueOrThrow({ where: { key: `inspect:${otherUnit.id}` } })).status).toBe('CANCELLED');
  });
});
