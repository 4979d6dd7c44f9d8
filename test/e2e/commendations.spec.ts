/**
 * Lifecycle 5 through the pages in real Chromium: 党建办 sets a 评选表扬 round up at a desk (a bad quota and a missing
 * contact named beside their fields, nothing typed lost) and starts it; a branch nominates its own first secretary
 * and itself (a nominee under a 警告 refused with the rule and the record, the reason kept); 党建办 ranks, the party
 * secretary records the committee's approval, 党建办 publishes the 公示 (numbered, its end on the working-day
 * calendar); another branch's secretary files a real-name objection on a phone from the 公示 page; 党建办 upholds it
 * and the next-ranked is published in a fresh notice of their own; once the periods are over the party secretary
 * signs the 通报表扬, whose number and PDF the page shows.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'puppeteer-core';
import { CalendarService } from '../../apps/server/src/calendar/calendar.service';
import { noticePeriod } from '../../apps/server/src/commendations/notice-period';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { TemporalClientService } from '../../apps/server/src/temporal/temporal-client.service';
import { commendationRoundWorkflowId } from '../../workflows/commendation/commendation.definitions';
import {
  artifact,
  click,
  deskPageAs as deskPage,
  fitsPhone,
  launchBrowser,
  phonePageAs,
  reloadUntil,
  setValue,
  submit,
  text,
  typeInto,
} from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { startApp, startWorker } from '../support/test-app';

const TODAY = DateTime.now().setZone('Asia/Shanghai').toISODate() as string;
const YEAR = Number(TODAY.slice(0, 4));
const cn = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
const shot = (name: string) => artifact('screenshots', `commendations-${name}.png`);

/** Visible text in Latin letters (PDF aside): the pages speak Chinese. */
async function latinWords(page: Page): Promise<string[]> {
  const body = await page.evaluate(() => document.body.innerText);
  return (body.replace(/PDF/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter(Boolean);
}

describe('评选表扬 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let committeeId: string;
  let organCode: string;
  const users: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    organCode = `誉${Date.now() % 100000}发`;
    committeeId = (await makeCommittee(prisma, { name: '中共清泉乡委员会', organCode })).id;
    const a = await makeBranch(prisma, committeeId, undefined, '中共清泉乡东坡村支部委员会');
    const b = await makeBranch(prisma, committeeId, undefined, '中共清泉乡西岭村支部委员会');
    ids.a = a.id;
    ids.b = b.id;
    users.staff = (await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建')).username;
    users.secretary = (await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记')).username;
    users.branchA = (await makePerson(prisma, [{ orgId: a.id, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], '刘东坡')).username;
    users.branchB = (await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], '陈西岭')).username;
    const zhao = await makePerson(prisma, [{ orgId: a.id, role: Role.BRANCH_STAFF, post: '第一书记' }], '赵第一');
    const sun = await makePerson(prisma, [{ orgId: a.id, role: Role.BRANCH_STAFF, post: '第一书记' }], '孙第一');
    const qian = await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_STAFF, post: '第一书记' }], '钱第一');
    ids.zhao = zhao.id;
    ids.sun = sun.id;
    ids.qian = qian.id;
    // 孙第一 received a 警告 this spring: within its year, no 评优.
    await prisma.accountabilityMeasure.create({
      data: { personId: sun.id, orgId: a.id, kind: '警告', effectiveOn: `${YEAR}-03-02`, basis: '清纪〔2026〕2号', createdById: zhao.id },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  const deskPageAs = (username: string) => deskPage(browser, url, username, PASSWORD);
  const moved = async (roundId: string) =>
    (await app.get(TemporalClientService).client()).workflow.getHandle(commendationRoundWorkflowId(roundId)).signal('commendationMoved');
  const nomineeId = async (roundId: string, who: { personId?: string; orgId?: string }) =>
    (
      await prisma.commendationNominee.findFirstOrThrow({
        where: { roundId, ...(who.personId ? { personId: who.personId } : { orgId: who.orgId, personId: null }) },
      })
    ).id;

  it('runs a round from the form to the 通报表扬, with an objection filed on a phone and upheld', async () => {
    const cal = await app.get(CalendarService).calendar();

    // 党建办 at a desk: the form starts from seed 000's three categories.
    const desk = await deskPageAs(users.staff);
    await desk.goto(`${url}/commendations`);
    expect(await text(desk, '.nav')).toContain('评选表扬');
    await submit(desk, 'a[data-new-round]');
    const names = await desk.$$eval('input[name=catName]', (els) => els.map((e) => (e as HTMLInputElement).value));
    expect(names.slice(0, 3)).toEqual(['优秀第一书记', '优秀扶贫村组干部', '优秀扶贫乡镇干部']);
    const title = `${YEAR}年度“优秀第一书记”“十强支部”评选表扬`;
    await desk.$eval('input[name=title]', (el) => ((el as HTMLInputElement).value = ''));
    await typeInto(desk, 'input[name=title]', title);
    const row = (i: number, field: string) => `[data-category-row]:nth-of-type(${i + 1}) [name=${field}]`;
    // Row 1: 优秀第一书记 × 1 (first secretaries); row 2 becomes 十强支部 with a bad quota; row 3 cleared.
    await setValue(desk, row(0, 'catQuota'), '1');
    await setValue(desk, row(1, 'catName'), '十强支部');
    await setValue(desk, row(1, 'catQuota'), '0');
    await setValue(desk, row(1, 'catTarget'), 'ORG');
    await setValue(desk, row(2, 'catName'), '');
    await setValue(desk, row(2, 'catQuota'), '');
    await setValue(desk, 'input[name=nominationWorkdays]', '3');
    await setValue(desk, 'input[name=noticeWorkdays]', '1');
    await submit(desk, 'button[data-save-round]');
    // Refused: the quota and the contact named beside their fields; everything typed still there.
    expect(await text(desk, '[data-categories] [data-row-error]')).toBe('第 2 行：名额须在 1 至 100 名之间');
    expect(await desk.$$eval('[data-categories] .field-error', (els) => els.length)).toBe(1);
    expect(await text(desk, 'label:has(input[name=contact]) .field-error')).toContain('请填写公示联系人');
    expect(await text(desk, '.alert.error')).toContain('评选设置需要修改');
    expect(await desk.$eval('input[name=title]', (el) => (el as HTMLInputElement).value)).toBe(title);
    expect(await desk.$eval('input[name=noticeWorkdays]', (el) => (el as HTMLInputElement).value)).toBe('1');
    expect(await desk.$eval(row(1, 'catTarget'), (el) => (el as HTMLSelectElement).value)).toBe('ORG');
    expect(await desk.$$eval('input[name=catName]', (els) => els.map((e) => (e as HTMLInputElement).value).filter(Boolean))).toEqual([
      '优秀第一书记',
      '十强支部',
    ]);
    expect(await latinWords(desk)).toEqual([]);
    await desk.screenshot({ path: shot('form-error-desk'), fullPage: true });
    await setValue(desk, row(1, 'catQuota'), '1');
    await typeInto(desk, 'input[name=contact]', '乡党建办 张党建 0931-7654321');
    await submit(desk, 'button[data-save-round]');
    expect(await text(desk, '[data-done]')).toContain('已保存');
    const roundId = /\/commendations\/([0-9a-f-]{36})/.exec(desk.url())![1];
    expect(await text(desk, '[data-categories]')).toBe('优秀第一书记 × 1 名（限第一书记）；十强支部 × 1 个支部');
    await submit(desk, 'button[data-start]');
    expect(await text(desk, '[data-round-status]')).toBe('推荐中');
    const due = cal.deadlineAfter(new Date(), 3, '17:30');
    expect(await text(desk, '[data-nomination-due]')).toBe(DateTime.fromJSDate(due, { zone: 'Asia/Shanghai' }).toFormat('yyyy年M月d日 HH:mm'));

    // The branch nominates on its round page, on a phone: a missing reason named, a nominee under a 警告 refused with the record.
    const branch = await phonePageAs(browser, url, users.branchA, PASSWORD);
    await branch.goto(`${url}/commendations`);
    await submit(branch, `[data-round="${roundId}"] a`);
    const people = await branch.$$eval('[data-nomination-form] select[name=target] option', (els) => els.map((e) => e.textContent ?? ''));
    expect(people).toEqual(expect.arrayContaining(['赵第一（中共清泉乡东坡村支部委员会 · 第一书记）', '中共清泉乡东坡村支部委员会']));
    expect(people.join()).not.toContain('钱第一');
    await setValue(branch, '[data-nomination-form] select[name=categoryKey]', 'c1');
    await setValue(branch, '[data-nomination-form] select[name=target]', `p:${ids.sun}:${ids.a}`);
    await submit(branch, 'button[data-nominate-submit]');
    expect(await text(branch, '[data-nomination-form] .field-error')).toBe('请填写推荐理由（主要事迹）');
    expect(await branch.$eval('[data-nomination-form] select[name=target]', (el) => (el as HTMLSelectElement).value)).toBe(`p:${ids.sun}:${ids.a}`);
    await typeInto(branch, '[data-nomination-form] textarea[name=reason]', '驻村两年，带领群众发展花椒产业。');
    await submit(branch, 'button[data-nominate-submit]');
    const refused = await text(branch, '[data-nomination-form] [data-form-error]');
    expect(refused).toContain('“孙第一”不符合评选条件：党纪处分影响期内不得评优');
    expect(refused).toContain(`${cn(`${YEAR}-03-02`)}受到警告处分`);
    expect(await branch.$eval('[data-nomination-form] textarea[name=reason]', (el) => (el as HTMLTextAreaElement).value)).toBe(
      '驻村两年，带领群众发展花椒产业。',
    );
    await setValue(branch, '[data-nomination-form] select[name=target]', `p:${ids.zhao}:${ids.a}`);
    await submit(branch, 'button[data-nominate-submit]');
    expect(await text(branch, '[data-done]')).toBe('推荐已提交。');
    await setValue(branch, '[data-nomination-form] select[name=categoryKey]', 'c2');
    await setValue(branch, '[data-nomination-form] select[name=target]', `o:${ids.a}`);
    await typeInto(branch, '[data-nomination-form] textarea[name=reason]', '“三会一课”规范，集体经济收入全乡第一。');
    await submit(branch, 'button[data-nominate-submit]');
    expect(await text(branch, '[data-done]')).toBe('推荐已提交。');
    // Beside the nominee: the reason, eligibility and the record.
    const zhaoId = await nomineeId(roundId, { personId: ids.zhao });
    expect(await text(branch, `[data-nominee="${zhaoId}"] [data-reason]`)).toContain('带领群众发展花椒产业');
    expect(await text(branch, `[data-nominee="${zhaoId}"] [data-eligible]`)).toContain('符合评选条件');
    expect(await text(branch, `[data-nominee="${zhaoId}"] [data-evidence] summary`)).toContain('记录摘要');
    expect(await latinWords(branch)).toEqual([]);
    expect(await fitsPhone(branch)).toBe(true);
    await branch.screenshot({ path: shot('nominated-phone'), fullPage: true });

    // The committee nominates anyone: 钱第一 of the other branch.
    await desk.goto(`${url}/commendations/${roundId}`);
    await setValue(desk, '[data-nomination-form] select[name=categoryKey]', 'c1');
    await setValue(desk, '[data-nomination-form] select[name=target]', `p:${ids.qian}:${ids.b}`);
    await typeInto(desk, '[data-nomination-form] textarea[name=reason]', '推动西岭村道路硬化，群众满意度高。');
    await submit(desk, 'button[data-nominate-submit]');
    expect(await text(desk, '[data-done]')).toBe('推荐已提交。');
    const qianId = await nomineeId(roundId, { personId: ids.qian });
    const branchId = await nomineeId(roundId, { orgId: ids.a });
    // A branch sees the nominations it made or that concern it, not another branch's.
    await branch.reload();
    expect(await branch.$(`[data-nominee="${zhaoId}"]`)).not.toBeNull();
    expect(await branch.$(`[data-nominee="${qianId}"]`)).toBeNull();

    // The deadline is three working days off: moved to now for the test; the workflow closes nominations.
    await prisma.commendationRound.update({ where: { id: roundId }, data: { nominationDueAt: new Date(Date.now() - 1000) } });
    await moved(roundId);
    await reloadUntil(desk, `${url}/commendations/${roundId}`, '[data-ranking-form="c1"]', '推荐截止后出现排序');
    expect(await text(desk, '[data-round-status]')).toBe('推荐已截止，待审定');

    // Ranking: the same place twice is refused beside the field, then 赵第一 first, 钱第一 second.
    await setValue(desk, `[data-rank-input="${zhaoId}"]`, '1');
    await setValue(desk, `[data-rank-input="${qianId}"]`, '1');
    await submit(desk, '[data-ranking-form="c1"] button[data-rank-submit]');
    expect(await text(desk, '[data-ranking-form="c1"]')).toContain('名次 1 已给了“赵第一”，每个名次只能用一次');
    expect(await desk.$eval(`[data-rank-input="${qianId}"]`, (el) => (el as HTMLInputElement).value)).toBe('1');
    await setValue(desk, `[data-rank-input="${qianId}"]`, '2');
    await submit(desk, '[data-ranking-form="c1"] button[data-rank-submit]');
    expect(await text(desk, '[data-done]')).toBe('排序已保存。');
    await setValue(desk, `[data-rank-input="${branchId}"]`, '1');
    await submit(desk, '[data-ranking-form="c2"] button[data-rank-submit]');
    expect(await text(desk, `[data-nominee="${qianId}"] [data-rank]`)).toBe('第 2 名');

    // The party secretary records the committee's approval: the first within each quota, ticked by rank.
    const sec = await deskPageAs(users.secretary);
    await sec.goto(`${url}/commendations/${roundId}`);
    expect(await sec.$eval(`[data-approve-input="${zhaoId}"]`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await sec.$eval(`[data-approve-input="${qianId}"]`, (el) => (el as HTMLInputElement).checked)).toBe(false);
    await submit(sec, 'button[data-approve-submit]');
    expect(await text(sec, '[data-approval-form] label:has(input[name=meeting]) .field-error')).toContain('请填写审定会议');
    await typeInto(sec, '[data-approval-form] input[name=meeting]', `乡党委会议（${YEAR}年第20次）`);
    await submit(sec, 'button[data-approve-submit]');
    expect(await text(sec, '[data-done]')).toBe('党委审定结果已记录。');
    expect(await text(sec, '[data-category="c1"] [data-approved]')).toBe('党委审定：赵第一');
    expect(await text(sec, `[data-nominee="${qianId}"] [data-nominee-status]`)).toBe('未进入名额');

    // 党建办 publishes the 公示: a numbered document, its end on the working-day calendar.
    await desk.goto(`${url}/commendations/${roundId}`);
    await submit(desk, 'button[data-notice-submit]');
    expect(await text(desk, '[data-done]')).toBe('公示已发布。');
    const period = noticePeriod(cal, TODAY, 1);
    const number = new RegExp(`^${organCode}〔${YEAR}〕\\d+号$`);
    const firstNumber = await text(desk, '[data-notices] li:first-child [data-notice-number]');
    expect(firstNumber).toMatch(number);
    expect(await text(desk, '[data-notices] li:first-child [data-notice-ends]')).toBe(cn(period.endsOn));
    expect(await text(desk, '[data-round-status]')).toBe('公示中');

    // Another branch's secretary, on a phone, objects by name from the 公示 page.
    const phone = await phonePageAs(browser, url, users.branchB, PASSWORD);
    await phone.goto(`${url}/commendations/notices`);
    expect(await fitsPhone(phone)).toBe(true);
    // One menu entry lit: 表扬公示, not also 评选表扬 whose address it starts with.
    expect(await phone.$$eval('.nav a[aria-current], .nav a.active', (as) => as.map((a) => a.textContent?.trim()))).toEqual(['表扬公示']);
    expect(await text(phone, `[data-notice] [data-doc-number]`)).toBe(firstNumber);
    expect(await text(phone, `[data-notice] [data-period]`)).toBe(`${cn(period.startsOn)}至${cn(period.endsOn)}`);
    await click(phone, '[data-notice] details summary');
    await setValue(phone, '[data-objection-form] select[name=nomineeId]', zhaoId);
    await submit(phone, '[data-objection-form] button[type=submit]');
    expect(await text(phone, '[data-objection-form] .field-error')).toBe('请填写异议内容');
    expect(await phone.$eval('[data-objection-form] select[name=nomineeId]', (el) => (el as HTMLSelectElement).value)).toBe(zhaoId);
    await typeInto(phone, '[data-objection-form] textarea[name=text]', '赵第一今年多次不在岗，驻村考勤与实际不符，可向村民核实。');
    expect(await fitsPhone(phone)).toBe(true);
    await phone.screenshot({ path: shot('objection-phone'), fullPage: true });
    await submit(phone, '[data-objection-form] button[type=submit]');
    expect(await text(phone, '[data-done]')).toContain('异议已提交');
    expect(await latinWords(phone)).toEqual([]);

    // 党建办 investigates and upholds it: 赵第一 removed, 钱第一 published in a fresh notice of their own.
    await desk.goto(`${url}/commendations/${roundId}`);
    expect(await text(desk, '[data-objections]')).toContain('陈西岭');
    expect(await text(desk, '[data-objection-text]')).toContain('驻村考勤与实际不符');
    await submit(desk, 'button[data-resolve-submit]');
    expect(await text(desk, '[data-resolve-form]')).toContain('请选择核查结论');
    expect(await text(desk, '[data-resolve-form]')).toContain('请填写核查情况');
    await click(desk, '[data-resolve-form] input[data-upheld-yes]');
    await typeInto(desk, '[data-resolve-form] textarea[name=finding]', '经核查考勤记录和走访村民，异议属实。');
    await submit(desk, 'button[data-resolve-submit]');
    expect(await text(desk, '[data-done]')).toContain('异议已处理');
    expect(await text(desk, `[data-nominee="${zhaoId}"] [data-nominee-status]`)).toBe('异议成立，已取消');
    expect(await text(desk, '[data-objections] [data-objection-status]')).toBe('异议成立');
    expect(await text(desk, '[data-objections] [data-finding]')).toBe('核查情况：经核查考勤记录和走访村民，异议属实。');
    expect(await text(desk, `[data-nominee="${qianId}"] [data-nominee-status]`)).toBe('公示中');
    const secondNumber = await text(desk, '[data-notices] li:nth-child(2) [data-notice-number]');
    expect(secondNumber).toMatch(number);
    expect(secondNumber).not.toBe(firstNumber);
    expect(await text(desk, '[data-notices] li:nth-child(2)')).toContain('递补公示');
    expect(await text(desk, '[data-notices] li:nth-child(2)')).toContain('公示对象：钱第一');
    // The committee's list as it now stands, not as first approved.
    expect(await text(desk, '[data-category="c1"] [data-approved]')).toBe('党委审定：赵第一（已取消）、钱第一（递补）');
    await desk.screenshot({ path: shot('round-desk'), fullPage: true });
    // What the objector sees on the phone: 赵第一 cancelled, the replacement's notice with its own number.
    await phone.goto(`${url}/commendations/notices`);
    const phoneText = await text(phone, 'main');
    expect(phoneText).toContain('赵第一（已取消）');
    expect(phoneText).toContain(secondNumber);
    expect(phoneText).toContain('钱第一');
    expect(await fitsPhone(phone)).toBe(true);

    // A letter about 钱第一, recorded by 党建办 with the writer's real name, then dismissed with the reason.
    await desk.goto(`${url}/commendations/${roundId}`);
    await click(desk, '[data-record] summary');
    await setValue(desk, '[data-record-form] select[name=nomineeId]', qianId);
    await setValue(desk, '[data-record-form] select[name=channel]', 'LETTER');
    await typeInto(desk, '[data-record-form] textarea[name=text]', '来信反映钱第一修路期间占用村民耕地。');
    await submit(desk, 'button[data-record-submit]');
    expect(await text(desk, '[data-record-form] label:has(input[name=objectorName]) .field-error')).toBe('异议须实名：请填写异议人的真实姓名');
    expect(await desk.$eval('[data-record-form] textarea[name=text]', (el) => (el as HTMLTextAreaElement).value)).toBe('来信反映钱第一修路期间占用村民耕地。');
    expect(await desk.$eval('[data-record-form] select[name=channel]', (el) => (el as HTMLSelectElement).value)).toBe('LETTER');
    await typeInto(desk, '[data-record-form] input[name=objectorName]', '李来信');
    await submit(desk, 'button[data-record-submit]');
    expect(await text(desk, '[data-done]')).toContain('异议已登记');
    const letter = await prisma.commendationObjection.findFirstOrThrow({ where: { roundId, channel: 'LETTER' } });
    expect(await text(desk, `[data-objection="${letter.id}"]`)).toContain(`李来信 · 信件 · ${cn(TODAY)}收到`);
    await click(desk, `[data-resolve-form="${letter.id}"] input[data-upheld-no]`);
    await typeInto(desk, `[data-resolve-form="${letter.id}"] textarea[name=finding]`, '经核查，占地已按协议补偿，不影响表扬。');
    await submit(desk, `[data-resolve-form="${letter.id}"] button[data-resolve-submit]`);
    expect(await text(desk, `[data-objection="${letter.id}"] [data-objection-status]`)).toBe('异议不成立');
    expect(await text(desk, `[data-objection="${letter.id}"] [data-finding]`)).toBe('核查情况：经核查，占地已按协议补偿，不影响表扬。');
    expect(await text(desk, `[data-nominee="${qianId}"] [data-nominee-status]`)).toBe('公示中');

    // The signing waits for the periods; the clock moved past their end for the test.
    await sec.goto(`${url}/commendations/${roundId}`);
    expect(await text(sec, '[data-decide-blocked]')).toContain(`公示期至${cn(period.endsOn)}结束`);
    await prisma.commendationNotice.updateMany({ where: { roundId }, data: { endsAt: new Date(Date.now() - 1000) } });
    await moved(roundId);
    await reloadUntil(sec, `${url}/commendations/${roundId}`, '[data-decision-form]', '公示期满后可以签发');
    // A 决定 without its approval reference is refused beside the field.
    await click(sec, '[data-decision-form] input[value="决定"]');
    await submit(sec, 'button[data-decide-submit]');
    expect(await text(sec, '[data-decision-form] label:has(input[name=approvalRef]) .field-error')).toContain('须填写批准依据');
    await click(sec, '[data-decision-form] input[value="通报"]');
    await submit(sec, 'button[data-decide-submit]');
    expect(await text(sec, '[data-done]')).toBe('表扬文件已签发。');
    expect(await text(sec, '[data-round-status]')).toBe('已发文表扬');
    const decisionNumber = await text(sec, '[data-decision-number]');
    expect(decisionNumber).toMatch(number);
    expect(decisionNumber).not.toBe(secondNumber);
    const href = await sec.$eval('a[data-decision-pdf]', (el) => (el as HTMLAnchorElement).getAttribute('href'));
    const pdf = await sec.evaluate(async (h) => {
      const r = await fetch(h as string);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href);
    expect(pdf).toEqual({ status: 200, type: expect.stringContaining('application/pdf'), head: '%PDF-' });
    expect(await text(sec, `[data-nominee="${qianId}"] [data-nominee-status]`)).toBe('已表扬');
    expect(await text(sec, `[data-nominee="${branchId}"] [data-nominee-status]`)).toBe('已表扬');
    expect(await latinWords(sec)).toEqual([]);
    await sec.screenshot({ path: shot('decided-desk'), fullPage: true });
    const record = await prisma.commendation.findMany({ where: { roundId } });
    expect(record.map((r) => r.personId ?? r.orgId).sort()).toEqual([ids.qian, ids.a].sort());
  });
});
