/**
 * 一键催办 in real Chromium: a branch secretary chooses e-mail on a phone, the administrator sets the branch's group
 * robots at a desk, the committee clicks 一键催办 on a directive's receipts — and the local SMTP server and webhook
 * receiver (nothing leaves the machine) get the message.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser } from 'puppeteer-core';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { artifact, click, deskPageAs, launchBrowser, phonePageAs, submit, text, typeInto } from '../support/browser';
import { eventually } from '../support/eventually';
import { makePerson, PASSWORD } from '../support/factories';
import { FilingWorld, issueAnnualPlan } from '../support/filing-world';
import { SmtpHarness, startSmtp, startWebhookReceiver, useLocalChannels, WebhookHarness } from '../support/notify-harness';
import { startApp, startWorker } from '../support/test-app';

const DING_TOKEN = 'e2e0123456789abcdef';
const DING_SECRET = 'SECabcdef0123456789abcdef0123456789';
const WECOM_KEY = 'e2e-wecom-key-0001';

describe('一键催办 in Chromium', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  let smtp: SmtpHarness;
  let robots: WebhookHarness;
  let restoreEnv: () => void;
  let w: FilingWorld;
  let title: string;
  const users: Record<'staff' | 'admin' | 'branch0', string> = {} as never;

  beforeAll(async () => {
    smtp = await startSmtp();
    robots = await startWebhookReceiver({ [DING_TOKEN]: DING_SECRET });
    restoreEnv = useLocalChannels(smtp);
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    // Reminders far off (a drill of an hour per step): only the urge sends anything during the test.
    w = await issueAnnualPlan(app, prisma, {
      organCode: `催${Date.now() % 100000}发`,
      drillSeconds: 3600,
      branchNames: ['中共大滩乡大滩村支部委员会', '中共大滩乡新风村支部委员会'],
    });
    title = (await prisma.directive.findUniqueOrThrow({ where: { id: w.directiveId }, include: { document: true } })).document.title;
    users.staff = (await makePerson(prisma, [{ orgId: w.committeeId, role: Role.COMMITTEE_STAFF }], '刘党建')).username;
    users.admin = (await makePerson(prisma, [{ orgId: w.committeeId, role: Role.ADMIN }], '赵管理')).username;
    const sec = await prisma.membership.findFirstOrThrow({ where: { orgId: w.branchIds[0], role: Role.BRANCH_SECRETARY }, include: { person: true } });
    users.branch0 = sec.person.username;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
    await smtp?.close();
    await robots?.close();
    restoreEnv?.();
  });

  it('sets channels on the pages, urges from the receipts card, and the mail and robot messages arrive', async () => {
    // The branch secretary, on a phone: 通知方式 in the top bar, e-mail on.
    const phone = await phonePageAs(browser, url, users.branch0, PASSWORD);
    await submit(phone, 'a[href="/me/notifications"]');
    await typeInto(phone, 'input[name=email]', 'dtc-shuji@datan.test');
    await click(phone, 'input[name=emailOn]');
    await submit(phone, 'form[data-notify-prefs] button[type=submit]');
    expect(await text(phone, '.alert.ok')).toContain('已保存');
    expect(await phone.$eval('input[name=emailOn]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await phone.screenshot({ path: artifact('urge', 'me-notifications-phone.png'), fullPage: true });

    // The administrator, at a desk: the branch's DingTalk robot with its 加签 secret, and its WeCom robot.
    const desk = await deskPageAs(browser, url, users.admin, PASSWORD);
    await desk.goto(`${url}/admin/orgs`);
    await submit(desk, `a[href="/admin/orgs/${w.branchIds[0]}/notifications"]`);
    await typeInto(desk, '[data-channel=DINGTALK] input[name=target]', robots.dingTalkUrl(DING_TOKEN));
    await typeInto(desk, '[data-channel=DINGTALK] input[name=secret]', DING_SECRET);
    await submit(desk, '[data-channel=DINGTALK] button.primary');
    expect(await text(desk, '.alert.ok')).toContain('钉钉群机器人已保存');
    await typeInto(desk, '[data-channel=WECOM] input[name=target]', robots.weComUrl(WECOM_KEY));
    await submit(desk, '[data-channel=WECOM] button.primary');
    expect(await text(desk, '[data-channel=WECOM] .muted')).toContain('已开启');
    await desk.screenshot({ path: artifact('urge', 'org-channels.png'), fullPage: true });
    const settings = await desk.content();
    expect(settings).not.toContain(DING_TOKEN);
    expect(settings).not.toContain(DING_SECRET);
    expect(settings).not.toContain(WECOM_KEY);

    // 党建办 at a desk: the directive's receipts, 一键催办.
    const staff = await deskPageAs(browser, url, users.staff, PASSWORD);
    await staff.goto(`${url}/directives/${w.directiveId}`);
    expect(await text(staff, '[data-receipts]')).toContain('尚未签收的支部');
    await (await staff.$('[data-receipts]'))?.screenshot({ path: artifact('urge', 'receipts-card.png') });
    await submit(staff, '[data-receipts] [data-urge-all]');
    expect(new URL(staff.url()).pathname).toBe(`/directives/${w.directiveId}/urges`);
    expect(await text(staff, '[data-urge-done]')).toContain('已催办 2 个支部');
    expect(await text(staff, '[data-urge-history]')).toContain('刘党建');
    expect(await text(staff, '[data-urge-list]')).toMatch(/由刘党建催办（共 1 次）.*后可再催办/);
    await staff.screenshot({ path: artifact('urge', 'urged.png'), fullPage: true });

    // The local SMTP server and webhook receiver get the urge.
    const mail = await eventually(async () => smtp.mails.find((m) => m.to.includes('dtc-shuji@datan.test')), undefined, 20_000, '催办邮件');
    expect(mail?.subject).toContain('【催办】');
    expect(mail?.text).toContain(`请尽快签收《${title}》`);
    const calls = await eventually(
      async () => robots.calls,
      (c) => c.some((x) => x.robot === 'dingtalk') && c.some((x) => x.robot === 'wecom'),
      20_000,
      '催办群消息',
    );
    const ding = calls.find((c) => c.robot === 'dingtalk');
    expect(ding?.signOk).toBe(true);
    expect(JSON.stringify(ding?.body)).toContain(`请尽快签收《${title}》`);
    expect(JSON.stringify(calls.find((c) => c.robot === 'wecom')?.body)).toContain(`请尽快签收《${title}》`);

    // Urging again at once is refused with the times, on the page.
    await staff.goto(`${url}/directives/${w.directiveId}`);
    await submit(staff, '[data-receipts] [data-urge-all]');
    expect(await text(staff, '[data-urge-error]')).toMatch(/4 小时内只能催办一次：中共大滩乡大滩村支部委员会已于今天 \d\d:\d\d催办过/);

    // The branch sees the urge in its inbox.
    await phone.goto(`${url}/inbox`);
    expect(await text(phone, 'main')).toContain(`催办：请尽快签收《${title}》`);
  }, 180_000);
});
