/**
 * Lifecycle 6 through the task UI in real Chromium: a branch misses the annual plan's deadline (a real directive on a
 * drill schedule), the overdue filing's 问责建议 is on the committee's 问责 page with its evidence; 党建办 opens the case
 * from it, forms the investigation team (one member refused, the choice kept), records the facts and asks for the
 * defence; the branch secretary, on a phone from the inbox, states the branch's case; the party secretary decides
 * (a missing meeting refused with everything typed kept), the numbered 问责决定书 opens as a PDF; the branch signs for
 * it on the phone and appeals; the party secretary answers 变更 with a 复查决定; the branch reports its 书面检查.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { artifact, click, deskPageAs as deskPage, fitsPhone, launchBrowser, phonePageAs, submit, text, typeInto } from '../support/browser';
import { eventually } from '../support/eventually';
import { makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan } from '../support/filing-world';
import { startApp, startWorker } from '../support/test-app';

const YEAR = new Date().getFullYear();
const shot = (name: string) => artifact('screenshots', `accountability-${name}.png`);

/** Visible text with what may be in Latin letters taken out (PDF in a link's words, document numbers have none). */
async function latinWords(page: Page): Promise<string[]> {
  const body = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('script, template').forEach((el) => el.remove());
    return clone.innerText;
  });
  return (body.replace(/PDF/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter(Boolean);
}

describe('问责 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    Drills.clear();
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  const deskPageAs = (username: string) => deskPage(browser, url, username, PASSWORD);
  const usernameOf = async (name: string, orgId: string) =>
    (await prisma.person.findFirstOrThrow({ where: { name, memberships: { some: { orgId } } } })).username;

  it('from an overdue filing to the decision, served and appealed on a phone', async () => {
    // The annual plan is due 4 drill steps (of 2 s) after issue; neither branch files it.
    const world = await issueAnnualPlan(app, prisma, {
      organCode: `滩${Date.now() % 100000}发`,
      drillSeconds: 2,
      branchNames: ['中共大滩乡大滩村支部委员会', '中共大滩乡新风村支部委员会'],
    });
    const [branchA] = world.branchIds;
    const inspector = await makePerson(prisma, [{ orgId: world.committeeId, role: Role.INSPECTOR }], '郑督查');
    const staffName = await usernameOf('张党建', world.committeeId);
    const secretaryName = await usernameOf('王书记', world.committeeId);
    const branchSecretary = await usernameOf('书记0', branchA);
    const proposal = await eventually(
      () => prisma.accountabilityProposal.findFirst({ where: { orgId: branchA, status: 'PROPOSED', trigger: 'OVERDUE_FILING' } }),
      (p) => !!p,
      60_000,
      '逾期未填报的问责建议',
    );

    // 党建办: the proposals grouped by target, each with its evidence in words and a link to the filing.
    const desk = await deskPageAs(staffName);
    await desk.goto(`${url}/inbox`);
    expect(await desk.$$eval('nav.nav a', (as) => as.map((a) => (a as HTMLElement).innerText.trim()))).toContain('问责');
    await submit(desk, 'nav.nav a[href="/accountability"]');
    const group = `form[data-group="org:${branchA}"]`;
    expect(await text(desk, `${group} [data-group-target]`)).toBe('中共大滩乡大滩村支部委员会（党组织）');
    const evidence = await text(desk, `${group} [data-proposal="${proposal!.id}"]`);
    expect(evidence).toContain('逾期未填报');
    expect(evidence).toContain('填报事项：2018年度工作计划');
    expect(evidence).toContain('发文：《关于报送2018年度工作计划的通知》');
    expect(evidence).toMatch(/截止时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(await desk.$eval(`${group} a[data-evidence-link]`, (a) => a.getAttribute('href'))).toMatch(/^\/filings\/[0-9a-f-]{36}$/);
    expect(await desk.$$eval('form[data-group]', (els) => els.length)).toBe(2);
    expect(await latinWords(desk)).toEqual([]);
    await desk.screenshot({ path: shot('proposals-desk'), fullPage: true });

    // 立案 from the group: the case page, the proposal's evidence with it.
    await submit(desk, `${group} button[data-open-case]`);
    expect(await text(desk, '[data-done]')).toBe('已立案。');
    const caseId = new URL(desk.url()).pathname.split('/').pop() as string;
    // Every working day of this case is 20 s: the defence period, service and the appeal window run in minutes.
    Drills.set(caseId, 20);
    expect(await text(desk, '[data-case-title]')).toBe('中共大滩乡大滩村支部委员会：逾期未填报');
    expect(await text(desk, '[data-case-status]')).toBe('已立案');
    expect(await text(desk, '[data-evidence-card]')).toContain('填报事项：2018年度工作计划');

    // A team of one is refused; the choice is kept and the reason is next to it.
    const staffId = (await prisma.person.findFirstOrThrow({ where: { username: staffName } })).id;
    await click(desk, `[data-team-form] input[value="${staffId}"]`);
    await submit(desk, 'button[data-save-team]');
    expect(await text(desk, '[data-team-form] .field-error')).toContain('调查组至少需要两名成员');
    expect(await desk.$eval(`[data-team-form] input[value="${staffId}"]`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await latinWords(desk)).toEqual([]);
    await click(desk, `[data-team-form] input[value="${inspector.id}"]`);
    await submit(desk, 'button[data-save-team]');
    expect(await text(desk, '[data-done]')).toBe('调查组已组成。');
    expect(await text(desk, '[data-team]')).toBe('张党建、郑督查');
    await typeInto(desk, '[data-finding-form] textarea[name=text]', '经查，该支部逾期未报送2018年度工作计划，期间两次提醒均未回复。');
    await submit(desk, 'button[data-add-finding]');
    expect(await text(desk, '[data-findings]')).toContain('两次提醒均未回复');
    await submit(desk, 'button[data-ask-defence]');
    expect(await text(desk, '[data-case-status]')).toBe('陈述申辩期');

    // The branch secretary on a phone: the inbox names the step and opens the case at it.
    const phone = await phonePageAs(browser, url, branchSecretary, PASSWORD);
    await phone.goto(`${url}/inbox?kind=ACCOUNTABILITY`);
    expect(await text(phone, '.segmented a.active')).toBe('问责');
    expect(await text(phone, '.tasks')).toContain('陈述申辩');
    expect(await fitsPhone(phone)).toBe(true);
    await phone.screenshot({ path: shot('inbox-phone') });
    await submit(phone, 'a[data-case-link]');
    expect(new URL(phone.url()).pathname).toBe(`/accountability/cases/${caseId}`);
    // The branch does not see the investigators' working notes.
    expect(await phone.$('[data-findings]')).toBeNull();
    await submit(phone, 'button[data-submit-defence]');
    expect(await text(phone, '[data-defence-form] .field-error')).toBe('陈述申辩不能为空');
    expect(await latinWords(phone)).toEqual([]);
    await typeInto(phone, '[data-defence-form] textarea[name=statement]', '因村“两委”换届，计划延误，支部负有责任，已于次日补报，恳请从轻。');
    expect(await fitsPhone(phone)).toBe(true);
    await phone.screenshot({ path: shot('defence-phone'), fullPage: true });
    await submit(phone, 'button[data-submit-defence]');
    expect(await text(phone, '[data-done]')).toContain('陈述申辩已提交');
    expect(await text(phone, '[data-defence-text]')).toContain('已于次日补报');

    // The party secretary decides: without a meeting the decision is refused, and nothing typed is lost.
    const secretary = await deskPageAs(secretaryName);
    await secretary.goto(`${url}/accountability/cases/${caseId}`);
    expect(await text(secretary, '[data-case-status]')).toBe('待集体决定');
    await click(secretary, '[data-decision-form] input[name=measures][value="通报"]');
    await typeInto(secretary, '[data-decision-form] input[name=basis]', '《中国共产党问责条例》第七条第（一）项');
    await submit(secretary, 'button[data-decide]');
    expect(await text(secretary, '[data-decision-form] .field-error')).toContain('会议名称不能为空');
    expect(await text(secretary, '[data-action-error]')).toContain('请按提示修改');
    expect(await secretary.$eval('[data-decision-form] input[name=measures][value="通报"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await secretary.$eval('[data-decision-form] input[name=basis]', (el) => (el as HTMLInputElement).value)).toBe(
      '《中国共产党问责条例》第七条第（一）项',
    );
    expect(await latinWords(secretary)).toEqual([]);
    await typeInto(secretary, '[data-decision-form] input[name=meetingName]', `乡党委${YEAR}年第12次委员会会议`);
    await typeInto(secretary, '[data-decision-form] textarea[name=attendees]', '王书记、张党建、郑督查');
    await secretary.screenshot({ path: shot('decision-form-desk'), fullPage: true });
    await submit(secretary, 'button[data-decide]');
    expect(await text(secretary, '[data-done]')).toBe('已作出决定。');
    expect(await text(secretary, '[data-case-status]')).toBe('执行中');
    expect(await text(secretary, '[data-doc-number]')).toMatch(/^滩\d+发〔\d{4}〕\d+号$/);
    expect(await text(secretary, '[data-measures]')).toContain('通报');
    const decisionPdf = await secretary.$eval('a[data-decision-pdf]', (a) => (a as HTMLAnchorElement).href);
    expect(await latinWords(secretary)).toEqual([]);
    await secretary.screenshot({ path: shot('decided-desk'), fullPage: true });

    // Served: the branch signs for it on the phone, reading the 问责决定书 first.
    await phone.goto(`${url}/inbox?kind=ACCOUNTABILITY`);
    expect(await text(phone, '.tasks')).toContain('签收问责决定');
    await submit(phone, 'a[data-case-link]');
    const pdf = await phone.evaluate(async (u) => {
      const r = await fetch(u);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, decisionPdf);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
    // The PDF opens in the browser's viewer.
    const viewer = await phone.browserContext().newPage();
    const opened = await viewer.goto(decisionPdf);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-type']).toBe('application/pdf');
    await viewer.close();
    expect(await fitsPhone(phone)).toBe(true);
    await phone.screenshot({ path: shot('service-phone'), fullPage: true });
    await submit(phone, '[data-service] button[data-ack]');
    expect(await text(phone, '[data-done]')).toBe('已签收。');
    expect(await text(phone, '[data-service] [data-receipt-state]')).toContain('已签收');

    // 申诉 within the month; the decision stays in force meanwhile.
    await typeInto(phone, '[data-appeal-form] textarea[name=reason]', '换届期间客观原因，已及时补报，恳请改为检查。');
    await submit(phone, 'button[data-file-appeal]');
    expect(await text(phone, '[data-done]')).toContain('申诉已提出');
    expect(await text(phone, '[data-appeal-pending]')).toBe('等待党委答复。');
    expect(await fitsPhone(phone)).toBe(true);
    expect(await latinWords(phone)).toEqual([]);
    await phone.screenshot({ path: shot('appeal-phone'), fullPage: true });

    // The party secretary answers 变更: the measure replaced, a 复查决定 issued.
    await secretary.goto(`${url}/accountability/cases/${caseId}`);
    expect(await text(secretary, '[data-appeal-reason]')).toContain('恳请改为检查');
    await click(secretary, '[data-answer-form] input[name=outcome][value="变更"]');
    await typeInto(secretary, '[data-answer-form] textarea[name=answer]', '申诉理由部分成立，改为责令作出书面检查。');
    await click(secretary, '[data-answer-form] input[name=measures][value="检查"]');
    await submit(secretary, 'button[data-answer]');
    expect(await text(secretary, '[data-done]')).toBe('申诉已答复。');
    expect(await text(secretary, '[data-appeal-outcome]')).toContain('变更');
    expect(await text(secretary, '[data-measures]')).toContain('已因申诉变更');
    const reviewPdf = await secretary.$eval('a[data-appeal-pdf]', (a) => (a as HTMLAnchorElement).href);
    expect(await secretary.evaluate((u) => fetch(u).then((r) => r.status), reviewPdf)).toBe(200);

    // The branch sees the answer and reports its 书面检查.
    await phone.goto(`${url}/accountability/cases/${caseId}`);
    expect(await text(phone, '[data-appeal-outcome]')).toContain('变更');
    expect(await phone.$('a[data-appeal-pdf]')).not.toBeNull();
    const exec = await eventually(
      () => prisma.task.findFirst({ where: { originId: caseId, status: 'OPEN', title: { contains: '提交书面检查' } } }),
      (t) => !!t,
      10_000,
      '书面检查待办',
    );
    await phone.goto(`${url}/accountability/cases/${caseId}#task-${exec!.id}`);
    await typeInto(phone, `#task-${exec!.id} textarea[name=note]`, '书面检查已经支部委员会讨论，于今日报送乡党委。');
    await submit(phone, `#task-${exec!.id} button[data-task-done]`);
    expect(await text(phone, '[data-done]')).toBe('已报送办理情况。');
    expect(await text(phone, `#task-${exec!.id}`)).toContain('已办结');
    expect(await fitsPhone(phone)).toBe(true);
    expect(await latinWords(phone)).toEqual([]);
    await phone.screenshot({ path: shot('case-phone'), fullPage: true });

    // The committee's list shows the case in execution.
    await desk.goto(`${url}/accountability`);
    expect(await text(desk, `[data-case="${caseId}"] [data-case-status]`)).toBe('执行中');
    await desk.goto(`${url}/accountability/cases/${caseId}`);
    await desk.screenshot({ path: shot('case-desk'), fullPage: true });
  }, 240_000);
});
