/**
 * Lifecycle 4 through the task UI in real Chromium: 党建办 sets a 述职评议 round up on the form (a forgotten roster
 * named next to the field, nothing typed lost; a group added and removed keeps the raters' choices in step) and
 * starts it; the branches file their 述职报告; each rater opens the sheet from the inbox on a phone, keeps a draft,
 * is refused the second 好 over the cap and an abstention without a reason, and votes; the round page shows who has
 * voted and no score until the round closes, then the ranked results with ties, the capped grade, the missing groups,
 * the count check and the chart; the party secretary signs the 通报.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import {
  artifact,
  click,
  deskPageAs as deskPage,
  DESK,
  fitsPhone,
  launchBrowser,
  PHONE,
  phonePageAs,
  setValue,
  submit,
  text,
  typeInto,
} from '../support/browser';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const PHOTO = path.resolve(__dirname, '../fixtures/site-photo.jpg');
const YEAR = new Date().getFullYear();
const TITLE = `${YEAR}年度村（社区）党组织书记抓基层党建工作述职评议考核`;
const shot = (name: string) => artifact('screenshots', `reviews-${name}.png`);

/** Visible text with what may be in Latin letters taken out: 导出 Excel, PDF, the recount command, attachments (their names and sizes). */
async function latinWords(page: Page): Promise<string[]> {
  const body = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('script, template, [data-recount-command], .file-list').forEach((el) => el.remove());
    return clone.innerText;
  });
  return (body.replace(/Excel|PDF/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter(Boolean);
}

describe('述职评议 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let committeeId: string;
  const branches: { id: string; name: string }[] = [];
  const secretaries: { id: string; username: string; name: string }[] = [];
  let staff: { username: string };
  let partySecretary: { username: string };
  /** R1 乡党委班子成员 (item scores), R2 党员代表 (grades; also the secretary of branch A), R3 群众代表 (grades). */
  const raters: { id: string; username: string; membership?: string }[] = [];

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共大滩乡委员会', organCode: `滩${Date.now() % 100000}发` });
    committeeId = committee.id;
    for (const name of [
      '中共大滩乡大滩村支部委员会',
      '中共大滩乡新风村支部委员会',
      '中共大滩乡石桥村支部委员会',
      '中共大滩乡河口村支部委员会',
      '中共大滩乡学校支部委员会',
    ]) {
      branches.push(await makeBranch(prisma, committeeId, undefined, name));
    }
    const names = ['刘大滩', '陈新风', '杨石桥', '黄河口'];
    staff = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建');
    partySecretary = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记');
    // Branch A's secretary is also a 评议人 (党员代表): never of himself.
    const both = await makePerson(
      prisma,
      [
        { orgId: branches[0].id, role: Role.BRANCH_SECRETARY, post: '党支部书记' },
        { orgId: committeeId, role: Role.EVALUATOR },
      ],
      names[0],
    );
    secretaries.push({ id: both.id, username: both.username, name: names[0] });
    for (let i = 1; i < 4; i++) {
      const p = await makePerson(prisma, [{ orgId: branches[i].id, role: Role.BRANCH_SECRETARY, post: '党支部书记' }], names[i]);
      secretaries.push({ id: p.id, username: p.username, name: names[i] });
    }
    const r1 = await makePerson(prisma, [{ orgId: committeeId, role: Role.EVALUATOR }], '周委员');
    const r3 = await makePerson(prisma, [{ orgId: committeeId, role: Role.EVALUATOR }], '吴代表');
    raters.push(
      { id: r1.id, username: r1.username },
      { id: both.id, username: both.username, membership: both.memberships[1].id },
      { id: r3.id, username: r3.username },
    );
  });

  afterAll(async () => {
    Drills.clear();
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  const deskPageAs = (username: string) => deskPage(browser, url, username, PASSWORD);
  /** A phone logged in as the rater, in the 评议人 capacity when the person has several. */
  async function raterPhone(i: number): Promise<Page> {
    const page = await phonePageAs(browser, url, raters[i].username, PASSWORD);
    if (raters[i].membership) await submit(page, `form[action="/capacity"] input[value="${raters[i].membership}"] ~ button`);
    return page;
  }
  const card = (subjectId: string) => `[data-subject="${subjectId}"]`;

  it('a round from the form to the 通报, scored on phones, with no score shown before it closes', async () => {
    // 日常考核 from the record: branch A passed both spot-check items this year (the evidence links to the round).
    const spot = await prisma.spotCheckRound.create({
      data: {
        orgId: committeeId,
        scopeOrgId: committeeId,
        title: '年中党建抽查',
        mode: 'ANNOUNCED',
        target: 'BRANCH',
        checklist: [
          { key: 'a', text: '三会一课记录完整', kind: 'PASS_FAIL', evidence: 'NONE' },
          { key: 'b', text: '党员活动室规范', kind: 'PASS_FAIL', evidence: 'NONE' },
        ],
        rule: {},
        inspectorIds: [],
        windowStart: new Date(),
        windowEnd: new Date(),
        status: 'CLOSED',
        createdById: raters[0].id,
      },
    });
    const unit = await prisma.spotCheckUnit.create({
      data: { roundId: spot.id, unitId: branches[0].id, orgId: branches[0].id, label: '大滩村', inspectorId: raters[0].id },
    });
    for (const itemKey of ['a', 'b'])
      await prisma.spotCheckFinding.create({
        data: {
          roundId: spot.id,
          unitRowId: unit.id,
          itemKey,
          passed: true,
          clientId: `${unit.id}-${itemKey}`,
          recordedAt: new Date(),
          inspectorId: raters[0].id,
        },
      });
    // Branch A's secretary was put under 诫勉 this year: whatever the score, not 好.
    await prisma.accountabilityMeasure.create({
      data: {
        orgId: branches[0].id,
        personId: secretaries[0].id,
        kind: '诫勉',
        effectiveOn: `${YEAR}-03-02`,
        basis: '滩委〔2026〕3号',
        createdById: raters[0].id,
      },
    });

    // 党建办 opens the form: the defaults, every branch with a secretary checked, the school branch without one not.
    const desk = await deskPageAs(staff.username);
    await desk.goto(`${url}/reviews`);
    await submit(desk, 'a[data-new-review]');
    expect(await desk.$eval('input[name=title]', (el) => (el as HTMLInputElement).value)).toBe(TITLE);
    const checked = await desk.$$eval('input[name=subjectOrgIds]:checked', (els) => els.map((e) => (e as HTMLInputElement).value));
    expect(checked.sort()).toEqual(
      branches
        .slice(0, 4)
        .map((b) => b.id)
        .sort(),
    );
    expect(await text(desk, '[data-subjects]')).toContain('中共大滩乡学校支部委员会 暂无在任支部书记');
    expect(await text(desk, '[data-subjects]')).toContain('支部书记：陈新风');
    expect(await desk.$$eval('[data-groups] input[name=groupName]', (els) => els.map((e) => (e as HTMLInputElement).value))).toEqual([
      '乡党委班子成员',
      '党员代表',
      '群众代表',
    ]);
    expect(await desk.$$eval('[data-items] input[name=itemName]', (els) => els.length)).toBe(5);
    expect(await latinWords(desk)).toEqual([]);

    // Saved without raters: named under 评分人, everything typed kept.
    await setValue(desk, 'input[name=reportWorkdays]', '3');
    await setValue(desk, 'input[name=scoringWorkdays]', '30');
    await submit(desk, '[data-save-review]');
    expect(await text(desk, '[data-raters] .field-error')).toContain('评分人');
    expect(await text(desk, '.alert.error')).toContain('需要修改');
    expect(await desk.$eval('input[name=reportWorkdays]', (el) => (el as HTMLInputElement).value)).toBe('3');
    expect(await latinWords(desk)).toEqual([]);
    await desk.$eval('[data-settings]', (d) => ((d as HTMLDetailsElement).open = true));
    await desk.$eval('[data-items] .rv-anchors', (d) => ((d as HTMLDetailsElement).open = true));
    await desk.screenshot({ path: shot('form-error-desk'), fullPage: true });

    // A group added in the browser is a choice for the raters at once; removed, it is gone again.
    await click(desk, '[data-groups] [data-add-row]');
    await typeInto(desk, '[data-groups] [data-row]:nth-child(4) input[name=groupName]', '两代表一委员');
    const choices = () => desk.$eval(`select[name="rater.${raters[0].id}"]`, (s) => Array.from((s as HTMLSelectElement).options).map((o) => o.text));
    expect(await choices()).toEqual(['不参加', '乡党委班子成员', '党员代表', '群众代表', '两代表一委员']);
    await click(desk, '[data-groups] [data-row]:nth-child(4) [data-del-row]');
    expect(await choices()).toEqual(['不参加', '乡党委班子成员', '党员代表', '群众代表']);

    await desk.select(`select[name="rater.${raters[0].id}"]`, 'committee');
    await desk.select(`select[name="rater.${raters[1].id}"]`, 'members');
    await desk.select(`select[name="rater.${raters[2].id}"]`, 'public');
    // One ballot per group is enough to show its mean in this small round.
    await setValue(desk, 'input[name=minBallotsToShow]', '1');
    await submit(desk, '[data-save-review]');
    expect(await text(desk, '[data-done]')).toContain('已保存');
    const roundId = new URL(desk.url()).pathname.split('/').pop() as string;
    expect(await text(desk, '[data-formula]')).toBe('计分公式：述职评议计分公式 第 1 版');
    expect(await desk.$('[data-no-scores]')).not.toBeNull();
    // Still a draft: the settings can be changed, and the list shows the round.
    await submit(desk, 'a[data-edit]');
    expect(await desk.$eval(`select[name="rater.${raters[2].id}"]`, (el) => (el as HTMLSelectElement).value)).toBe('public');
    expect(await desk.$eval('input[name=minBallotsToShow]', (el) => (el as HTMLInputElement).value)).toBe('1');
    await setValue(desk, 'input[name=title]', `${TITLE}（修改）`);
    await submit(desk, '[data-save-review]');
    expect(await text(desk, '[data-done]')).toContain('已保存修改');
    expect(await text(desk, '[data-round-title]')).toBe(`${TITLE}（修改）`);
    await desk.goto(`${url}/reviews`);
    expect(await text(desk, `[data-round="${roundId}"]`)).toContain('尚未启动');
    await desk.goto(`${url}/reviews/${roundId}`);

    // 启动: the reports are due in 3 “working days” of 5 seconds each; scoring then runs until everyone has voted.
    Drills.set(roundId, 5);
    await submit(desk, 'button[data-start]');
    expect(await text(desk, '[data-round-status]')).toBe('述职报告中');
    const subjects = await prisma.reviewSubject.findMany({ where: { roundId }, orderBy: { sortOrder: 'asc' } });
    const [sA, sB, sC, sD] = branches.slice(0, 4).map((b) => subjects.find((s) => s.orgId === b.id)!);

    // Before scoring opens, the sheet says when it will.
    const early = new ApiSession(app);
    await early.login(raters[0].username, PASSWORD);
    const notYet = await early.get(`/reviews/${roundId}/ballot`).set('accept', 'text/html').expect(200);
    expect(notYet.text).toContain('述职报告截止后开始');
    expect(notYet.text).not.toContain('data-ballot-form');

    // The branches file their reports (one with an attachment).
    for (const [i, s] of [sA, sB, sC, sD].entries()) {
      const session = new ApiSession(app);
      await session.login(secretaries[i].username, PASSWORD);
      // Branch A's secretary files as 支部书记 (his other capacity is 评议人).
      if (i === 0)
        expect(
          (await session.choose((await prisma.membership.findFirstOrThrow({ where: { personId: secretaries[0].id, orgId: branches[0].id } })).id)).status,
        ).toBe(200);
      const attachments =
        i === 1
          ? [
              (
                await session.agent
                  .post('/api/files')
                  .set('x-csrf-token', session.csrfToken)
                  .attach('file', PHOTO, { filename: '活动室照片.jpg', contentType: 'image/jpeg' })
                  .expect(201)
              ).body,
            ]
          : [];
      await session
        .post(`/api/filings/${s.filingId}/submit`, {
          values: {
            results: `全年召开支部党员大会 12 次，主题党日 12 次，发展党员 ${i + 1} 名。\n村集体经济收入增长 15%。`,
            problems: '党员活动室利用率不高，青年党员参与组织生活不够经常。',
            measures: '明年一季度前建立活动室开放制度，每季度开展一次青年党员主题活动。',
            attachments,
          },
        })
        .expect(200);
    }
    await eventually(
      async () => (await prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } })).status,
      (s) => s === 'SCORING',
      60_000,
      '评分开始',
    );

    // R3 (群众代表) on a phone, from the inbox.
    const r3 = await raterPhone(2);
    await r3.goto(`${url}/inbox`);
    expect(await text(r3, '.tasks')).toContain('评议打分');
    expect(await fitsPhone(r3)).toBe(true);
    await r3.screenshot({ path: shot('inbox-phone') });
    await submit(r3, `a[data-ballot-link][href^="/reviews/${roundId}/ballot?"]`);
    expect(await text(r3, '[data-group-name]')).toBe('群众代表');
    expect(await text(r3, '[data-ballot-kind]')).toBe('评定等次');
    expect(await text(r3, '[data-cap]')).toContain('评为“好”的最多 1 人');
    expect(await r3.$$eval('[data-subject]', (els) => els.length)).toBe(4);
    expect(await fitsPhone(r3)).toBe(true);
    // 暂存 keeps one line; it is there again on the next visit.
    await click(r3, `${card(sA.id)} input[value="GOOD"]`);
    await submit(r3, 'button[data-save-draft]');
    expect(await text(r3, '[data-saved]')).toBe('已暂存 1 项。');
    await r3.goto(`${url}/reviews/${roundId}/ballot`);
    expect(await r3.$eval(`${card(sA.id)} input[value="GOOD"]`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    // A second 好 over the cap: refused, the sheet as it was typed.
    await click(r3, `${card(sB.id)} input[value="GOOD"]`);
    await click(r3, `${card(sC.id)} input[data-abstain]`);
    await typeInto(r3, `${card(sC.id)} input[data-reason]`, '不了解该同志的工作情况');
    await click(r3, `${card(sD.id)} input[value="AVERAGE"]`);
    await submit(r3, 'button[data-cast]');
    expect(await text(r3, '[data-problems]')).toContain('评为“好”的最多 1 人');
    expect(await r3.$eval(`${card(sB.id)} input[value="GOOD"]`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await r3.$eval(`${card(sC.id)} input[data-abstain]`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await r3.$eval(`${card(sC.id)} input[data-reason]`, (el) => (el as HTMLInputElement).value)).toBe('不了解该同志的工作情况');
    // 弃权 without a reason: named on that card.
    await click(r3, `${card(sB.id)} input[value="FAIRLY_GOOD"]`);
    await setValue(r3, `${card(sC.id)} input[data-reason]`, '');
    await submit(r3, 'button[data-cast]');
    expect(await text(r3, `${card(sC.id)} [data-subject-error]`)).toContain('弃权须写明理由');
    expect(await latinWords(r3)).toEqual([]);
    await typeInto(r3, `${card(sC.id)} input[data-reason]`, '不了解该同志的工作情况');
    await r3.$eval(`${card(sA.id)} details[data-report]`, (d) => ((d as HTMLDetailsElement).open = true));
    expect(await fitsPhone(r3)).toBe(true);
    await r3.screenshot({ path: shot('ballot-grade-phone'), fullPage: true });
    await submit(r3, 'button[data-cast]');
    expect(await text(r3, '[data-voted]')).toContain('您已于');
    expect(await r3.$('form[data-ballot-form]')).toBeNull();

    // While scoring runs, the committee sees who has voted and nothing of what.
    await desk.goto(`${url}/reviews/${roundId}`);
    expect(await text(desk, '[data-roster]')).toContain('已投票 1 / 1');
    expect(await desk.$('[data-results]')).toBeNull();
    expect(await desk.$('[data-daily-score]')).toBeNull();
    expect(await text(desk, '[data-no-scores]')).toContain('评分结束前不显示任何得分');
    const progress = await text(desk, 'main');
    expect(progress).not.toMatch(/\d+\.\d{2}|平均分：|总分 \d/);
    expect(await latinWords(desk)).toEqual([]);

    // R1 (乡党委班子成员) scores item by item, the report and its attachment on the card.
    const r1 = await raterPhone(0);
    await r1.goto(`${url}/reviews/${roundId}/ballot`);
    expect(await text(r1, '[data-ballot-kind]')).toBe('逐项打分');
    expect(await text(r1, '[data-cap]')).toContain('达到 90 分（“好”）的最多 1 人');
    await r1.$eval(`${card(sB.id)} details[data-report]`, (d) => ((d as HTMLDetailsElement).open = true));
    const attachment = await r1.$eval(`${card(sB.id)} a[data-attachment]`, (a) => (a as HTMLAnchorElement).href);
    expect(attachment).toMatch(new RegExp(`/api/reviews/${roundId}/ballot/files/[0-9a-f]{64}$`));
    expect(await r1.evaluate((u) => fetch(u).then((r) => r.status), attachment)).toBe(200);
    expect(await text(r1, `${card(sA.id)} [data-scores]`)).toContain('好：亲自研究部署党建工作');
    // The same sheet on a desk (the viewport change reloads the page, so before anything is typed).
    await r1.setViewport(DESK);
    await r1.$eval(`${card(sA.id)} details[data-report]`, (d) => ((d as HTMLDetailsElement).open = true));
    await r1.screenshot({ path: shot('ballot-items-desk'), fullPage: false });
    await r1.setViewport(PHONE);
    const scores: [string, string][] = [
      [sA.id, '18.5'],
      [sB.id, '16'],
      [sC.id, '16'],
      [sD.id, '12'],
    ];
    for (const [sid, v] of scores) {
      for (const key of ['duty', 'organisation', 'development', 'team', 'conduct']) await setValue(r1, `input[name="score.${sid}.${key}"]`, v);
    }
    expect(await text(r1, `${card(sA.id)} [data-total]`)).toBe('本张合计 92.5 分（满分 100）');
    expect(await fitsPhone(r1)).toBe(true);
    await r1.screenshot({ path: shot('ballot-items-phone'), fullPage: true });
    await submit(r1, 'button[data-cast]');
    expect(await text(r1, '[data-voted]')).toContain('您已于');

    // R2 (党员代表) is the secretary of branch A: not on his own sheet, told why.
    const r2 = await raterPhone(1);
    await r2.goto(`${url}/reviews/${roundId}/ballot`);
    expect(await text(r2, '[data-excluded]')).toContain('刘大滩（中共大滩乡大滩村支部委员会）：不能为本人评分');
    expect(await r2.$(card(sA.id))).toBeNull();
    await click(r2, `${card(sB.id)} input[value="FAIRLY_GOOD"]`);
    await click(r2, `${card(sC.id)} input[value="FAIRLY_GOOD"]`);
    await click(r2, `${card(sD.id)} input[value="AVERAGE"]`);
    await submit(r2, 'button[data-cast]');
    expect(await text(r2, '[data-voted]')).toContain('您已于');

    // Everyone has voted: the round closes and the results are there.
    await eventually(
      async () => (await prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } })).status,
      (s) => s === 'CLOSED',
      60_000,
      '评分结束',
    );
    await desk.goto(`${url}/reviews/${roundId}`);
    expect(await text(desk, '[data-round-status]')).toBe('评分已结束');
    expect(await desk.$('[data-no-scores]')).toBeNull();
    const row = (sid: string) => desk.$eval(`[data-result="${sid}"]`, (el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim());
    // A: (40 × 92.5 + 30 × 100) / 70 = 95.71 from the ballots, 日常考核 100 → 97.00, 好 capped to 较好 by the 诫勉.
    expect(await row(sA.id)).toContain('97.00');
    expect(await desk.$eval(`[data-result="${sA.id}"] [data-grade]`, (el) => (el as HTMLElement).innerText)).toBe('较好');
    expect(await row(sA.id)).toContain('受到诫勉');
    expect(await row(sA.id)).toContain('党员代表无有效票');
    // B and C at 80.00, tied second; C without 群众代表 (abstained).
    for (const sid of [sB.id, sC.id]) {
      expect(await desk.$eval(`[data-result="${sid}"] [data-rank]`, (el) => (el as HTMLElement).innerText)).toBe('2 并列');
      expect(await desk.$eval(`[data-result="${sid}"] [data-total]`, (el) => (el as HTMLElement).innerText)).toBe('80.00');
    }
    expect(await row(sB.id)).toContain('与杨石桥并列第 2 名');
    expect(await row(sC.id)).toContain('群众代表无有效票');
    expect(await desk.$eval(`[data-result="${sD.id}"] [data-grade]`, (el) => (el as HTMLElement).innerText)).toBe('一般');
    expect(await text(desk, '[data-counts]')).toContain('一致');
    expect(await text(desk, '[data-counts]')).not.toContain('不一致');
    expect(await text(desk, '[data-distribution]')).toContain('较好');
    await desk.waitForSelector('[data-grade-chart] svg');
    expect(await desk.$eval('[data-recount-command]', (el) => el.textContent)).toBe('可用 npm run cli -- aggregate <文件> 复核');
    expect(await desk.$eval('[data-recount]', (el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect(await desk.evaluate((u) => fetch(u).then((r) => r.status), `${url}/api/reviews/${roundId}/results.xlsx`)).toBe(200);
    expect(await text(desk, `[data-daily-org="${branches[0].id}"]`)).toContain('督查抽查合格率');
    expect(await desk.$eval(`[data-daily-org="${branches[0].id}"] a[href="/spot-checks/${spot.id}"]`, (a) => !!a)).toBe(true);
    expect(await latinWords(desk)).toEqual([]);
    await desk.$eval('[data-results]', (el) => el.scrollIntoView());
    await desk.screenshot({ path: shot('results-desk'), fullPage: true });
    const phone = await phonePageAs(browser, url, staff.username, PASSWORD);
    await phone.goto(`${url}/reviews/${roundId}`);
    expect(await fitsPhone(phone)).toBe(true);
    await phone.screenshot({ path: shot('results-phone'), fullPage: true });

    // 党建办 cannot sign; the party secretary signs the 通报.
    expect(await desk.$('[data-publish-form]')).toBeNull();
    const secretary = await deskPageAs(partySecretary.username);
    await secretary.goto(`${url}/reviews/${roundId}`);
    await submit(secretary, 'button[data-publish]');
    expect(await text(secretary, '[data-round-status]')).toBe('已通报');
    expect(await text(secretary, '[data-doc-number]')).toMatch(/〔\d{4}〕\d+号/);
    const documentId = (await prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } })).documentId;
    expect(await secretary.$eval('a[data-notice-pdf]', (a) => a.getAttribute('href'))).toBe(`/api/documents/${documentId}/pdf`);
    // D (一般) is asked for a 整改方案.
    expect(await secretary.$(`[data-subject="${sD.id}"] a[data-remedy-link]`)).not.toBeNull();
    await secretary.screenshot({ path: shot('published-desk'), fullPage: false });
  });
});
