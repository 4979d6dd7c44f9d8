/**
 * Live status (UX issue 17, point 5), in real Chromium with the real workflows: three people have the same directive
 * open side by side. The reviewer does 核稿 and the signer's open page offers 签发 without the signer reloading it; the
 * signer signs and the drafter's open page shows 已印发 with its number, again without anyone reloading. No page ever
 * shows a status that contradicts what else it shows (审批中 beside a number, 签发 offered on an issued directive).
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, Page } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { deskPageAs, launchBrowser, reloadUntil, submit, text, typeInto } from '../support/browser';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const TITLE = '关于开展党员冬训的通知';
const DOC_NUMBER = /〔\d{4}〕\d+号$/;

/** What a directive page showed when it was loaded (recorded in the page itself, on every load). */
interface Seen {
  status: string;
  docno: string;
  sign: boolean;
  agreed: boolean;
}

describe('live status of a directive in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  const people = {} as Record<'drafter' | 'reviewer' | 'secretary', { id: string; username: string }>;
  let directiveId: string;

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `活${Date.now() % 100000}发` });
    people.drafter = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    people.reviewer = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李审核');
    people.secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    await makeBranch(prisma, committee.id, undefined, '中共大滩乡大滩村支部委员会');
    const drafter = new ApiSession(app);
    await drafter.login(people.drafter.username, PASSWORD);
    const created = await drafter
      .post('/api/directives', {
        model: { ...SEED_MODEL, title: TITLE },
        chain: { reviewers: [people.reviewer.id], signerId: people.secretary.id },
        distribution: { mode: 'ALL' },
      })
      .expect(201);
    directiveId = created.body.id;
    await drafter.post(`/api/directives/${directiveId}/submit`).expect(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  /**
   * A desk page of `who`, which records what every directive page it loads shows (status, number, 签发 offered, the
   * 已同意签发 notice) in its sessionStorage, so that every state a page passed through can be checked afterwards.
   */
  async function watchedPage(who: keyof typeof people): Promise<Page> {
    const page = await deskPageAs(browser, url, people[who].username, PASSWORD);
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('DOMContentLoaded', () => {
        if (!document.querySelector('[data-live]')) return;
        const q = (s: string) => document.querySelector(s);
        const seen = JSON.parse(sessionStorage.getItem('e2e-seen') ?? '[]');
        seen.push({
          status: q('[data-status]')?.textContent?.trim() ?? '',
          docno: q('[data-docno]')?.textContent?.trim() ?? '',
          sign: !!q('button[data-approve]'),
          agreed: !!q('[data-sign-agreed]'),
        });
        sessionStorage.setItem('e2e-seen', JSON.stringify(seen));
      });
    });
    return page;
  }
  const seen = (page: Page): Promise<Seen[]> => page.evaluate(() => JSON.parse(sessionStorage.getItem('e2e-seen') ?? '[]'));
  /** The states that contradict themselves: a number before signing, issued without one, 签发 offered outside 审批中. */
  const contradictions = (states: Seen[]) =>
    states.filter(
      (s) =>
        (s.docno !== '' && !['已签发', '已印发', '已废止'].includes(s.status)) ||
        (s.status === '已印发' && !DOC_NUMBER.test(s.docno)) ||
        (s.sign && s.status !== '审批中') ||
        (s.agreed && s.status !== '审批中'),
    );
  const issued = (page: Page) =>
    page.waitForFunction(
      (pattern) =>
        document.querySelector('[data-status]')?.textContent?.trim() === '已印发' &&
        new RegExp(pattern).test(document.querySelector('[data-docno]')?.textContent?.trim() ?? ''),
      { timeout: 90_000 },
      DOC_NUMBER.source,
    );

  it('核稿 in one page offers 签发 in the signer’s open page; 签发 shows 已印发 and the number in the drafter’s open page', async () => {
    const directiveUrl = `${url}/directives/${directiveId}`;
    const [drafter, signer, reviewer] = [await watchedPage('drafter'), await watchedPage('secretary'), await watchedPage('reviewer')];

    // The reviewer's 核稿 task is there (the workflow has started its first round).
    await reloadUntil(reviewer, directiveUrl, 'button[data-approve]', '核稿待办');
    // The drafter and the signer open the directive now and leave it open: in review, nothing for the signer to do yet.
    await drafter.goto(directiveUrl);
    await signer.goto(directiveUrl);
    expect(await text(drafter, '[data-status]')).toBe('审批中');
    expect(await text(signer, '[data-status]')).toBe('审批中');
    expect(await signer.$('button[data-approve]')).toBeNull();
    // The open pages follow the lifecycle by reloading themselves (live.js, by design: it replaces the page when the
    // status moves, unless something typed would be lost), so a marker on window would not survive; the test never
    // reloads or navigates these two pages from here on — only what they show is checked.

    // 核稿 in the reviewer's page.
    await typeInto(reviewer, 'textarea[name=comment]', '同意。');
    await submit(reviewer, 'button[data-approve]');

    // The signer's open page offers 签发 by itself.
    await signer.waitForFunction(() => document.querySelector('button[data-approve]')?.textContent?.trim() === '同意签发', { timeout: 30_000 });
    expect(await text(signer, '[data-status]')).toBe('审批中');
    expect(await text(signer, 'form[data-decide] h2')).toContain('签发');

    // The signer signs; the drafter's page, open all along, shows 已印发 with the number.
    await typeInto(signer, 'textarea[name=comment]', '同意印发。');
    await submit(signer, 'button[data-approve]');
    await issued(drafter);
    const docNumber = await text(drafter, '[data-docno]');
    const { document: doc } = await prisma.directive.findUniqueOrThrow({ where: { id: directiveId }, include: { document: true } });
    expect(docNumber).toBe(doc.docNumber);
    // The signer's page (after 签发) and the reviewer's (after 核稿) arrive there too, by themselves.
    await issued(signer);
    await issued(reviewer);
    for (const page of [drafter, signer, reviewer]) {
      expect(await text(page, '[data-docno]')).toBe(docNumber);
      expect(await page.$('button[data-approve]')).toBeNull();
    }

    // No page showed a contradictory status on the way, and each was watched up to 已印发.
    for (const page of [drafter, signer, reviewer]) {
      const states = await seen(page);
      expect(states.at(-1)).toEqual({ status: '已印发', docno: docNumber, sign: false, agreed: false });
      expect(contradictions(states)).toEqual([]);
    }
    // The signer's page offered 签发 (and it was recorded: the watch is not blind).
    expect((await seen(signer)).some((s) => s.sign && s.status === '审批中')).toBe(true);
  });
});
