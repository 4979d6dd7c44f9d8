/**
 * Notices beyond the app and 一键催办, against a real local SMTP server and a local webhook receiver (nothing leaves
 * the machine), the real worker (its outbox relay) and the real workflows of an issued directive with a 填报.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuditService } from '../../apps/server/src/audit/audit.service';
import { AppConfig } from '../../apps/server/src/config/app-config';
import { ChannelSettingsService } from '../../apps/server/src/notifications/channel-settings.service';
import { DeliveryDispatcher, MAX_ATTEMPTS } from '../../apps/server/src/notifications/delivery-dispatcher.service';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { makePerson, PASSWORD } from '../support/factories';
import { FilingWorld, issueAnnualPlan, PLAN } from '../support/filing-world';
import { SmtpHarness, startSmtp, startWebhookReceiver, useLocalChannels, WebhookHarness } from '../support/notify-harness';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const DING_TOKEN = 'dt0123456789abcdef';
const DING_SECRET = 'SEC0123456789abcdef0123456789abcdef';
const WECOM_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const PHONE = '13800001111';

describe('通知渠道与一键催办', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let smtp: SmtpHarness;
  let robots: WebhookHarness;
  let restoreEnv: () => void;
  let w: FilingWorld;
  let admin: ApiSession;
  let title: string;
  /** Branch 0: both robots and its secretary's e-mail (@ by mobile); branch 1: its secretary's e-mail; branch 2: nothing. */
  const mailOf = (i: number) => `shuji${i}@datan.test`;

  beforeAll(async () => {
    smtp = await startSmtp();
    robots = await startWebhookReceiver({ [DING_TOKEN]: DING_SECRET });
    robots.failNext.dingtalk = 1_000_000; // down until the retry test brings it back
    restoreEnv = useLocalChannels(smtp);
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // Drill: the filing deadline 24 s after issue, reminders at 12 s and 18 s (receipts likewise).
    w = await issueAnnualPlan(app, prisma, { organCode: `通${Date.now() % 100000}发`, drillSeconds: 6, branchNames: ['大滩村', '新风村', '河口社区'] });
    title = (await prisma.directive.findUniqueOrThrow({ where: { id: w.directiveId }, include: { document: true } })).document.title;
    const a = await makePerson(prisma, [{ orgId: w.committeeId, role: Role.ADMIN }], '赵管理');
    admin = new ApiSession(app);
    await admin.login(a.username, PASSWORD);
    // The settings through the pages, as the administrator and the secretaries would.
    await admin
      .post(`/admin/orgs/${w.branchIds[0]}/notifications`, { kind: 'DINGTALK', target: robots.dingTalkUrl(DING_TOKEN), secret: DING_SECRET, enabled: 'on' })
      .expect(303);
    await admin.post(`/admin/orgs/${w.branchIds[0]}/notifications`, { kind: 'WECOM', target: robots.weComUrl(WECOM_KEY), enabled: 'on' }).expect(303);
    const secretaries = await prisma.membership.findMany({ where: { orgId: { in: w.branchIds }, role: Role.BRANCH_SECRETARY } });
    await prisma.person.update({ where: { id: secretaries.find((m) => m.orgId === w.branchIds[0])?.personId }, data: { phone: PHONE } });
    for (const i of [0, 1])
      await w.branch[i].post('/me/notifications', { email: mailOf(i), emailOn: 'on', ...(i === 0 ? { mentionOn: 'on' } : {}) }).expect(303);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await smtp?.close();
    await robots?.close();
    restoreEnv?.();
  });

  it('keeps robot addresses and secrets encrypted and never shows them back; refuses bad settings in plain words', async () => {
    const page = await admin.get(`/admin/orgs/${w.branchIds[0]}/notifications`).expect(200);
    expect(page.text).not.toContain(DING_TOKEN);
    expect(page.text).not.toContain(DING_SECRET);
    expect(page.text).not.toContain(WECOM_KEY);
    expect(page.text).toContain('已设置加签密钥');
    const stored = await prisma.notificationChannel.findMany({ where: { orgId: w.branchIds[0] } });
    for (const c of stored) {
      expect(c.target).toMatch(/^nc:v1:/);
      expect(c.target).not.toContain(c.kind === 'DINGTALK' ? DING_TOKEN : WECOM_KEY);
    }
    expect(stored.find((c) => c.kind === 'DINGTALK')?.secret).toMatch(/^nc:v1:/);

    const bad = await admin.post(`/admin/orgs/${w.branchIds[1]}/notifications`, {
      kind: 'DINGTALK',
      target: 'https://oapi.dingtalk.com/robot/send',
      enabled: 'on',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('钉钉机器人的地址不完整，请从群机器人设置页复制完整的地址');
    const noMail = await w.branch[2].post('/me/notifications', { email: '', emailOn: 'on' });
    expect(noMail.status).toBe(400);
    expect(noMail.text).toContain('要收邮件，请先填写邮箱地址');
    const badMail = await w.branch[2].post('/me/notifications', { email: 'shuji2 at datan', emailOn: 'on' });
    expect(badMail.status).toBe(400);
    expect(badMail.text).toContain('邮箱地址格式不对');
    const nul = await w.branch[2].post('/me/notifications', { email: 'shuji2\u0000@datan.test', emailOn: 'on' });
    expect(nul.status).toBe(400);
    expect(nul.text).toContain('不能包含空字符');
    const twice = await w.branch[2].post('/me/notifications', { email: ['a@datan.test', 'b@datan.test'], emailOn: 'on' });
    expect(twice.status).toBe(400);
  });

  it('retries a failing channel with backoff without holding up the other channels or the filing workflow', async () => {
    // DingTalk has been down since before the directive was issued (beforeAll); the mail server refuses once.
    smtp.failNext = 1;
    const started = Date.now();
    await w.drafter.post(`/api/requirements/${w.requirementId}/urges`, { orgIds: [w.branchIds[0]] }).expect(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const urge = await prisma.urge.findFirstOrThrow({ where: { subjectId: w.requirementId } });
    const deliveries = () => prisma.notificationDelivery.findMany({ where: { notificationKey: urge.notificationKey } });

    // WeCom arrives while DingTalk keeps failing; the e-mail is refused once, then sent on retry.
    const d1 = await eventually(
      deliveries,
      (d) =>
        d.find((x) => x.channel === 'WECOM')?.status === 'SENT' &&
        d.find((x) => x.channel === 'EMAIL')?.status === 'SENT' &&
        (d.find((x) => x.channel === 'DINGTALK')?.attempts ?? 0) >= 2 &&
        // Not in the middle of an attempt: a claimed delivery has its new attempt counted before its next one is set
        // (a snapshot taken then had nextAttemptAt before lastAttemptAt, once in CI).
        d.find((x) => x.channel === 'DINGTALK')?.lockedUntil === null,
      30_000,
      '企业微信与邮件送达、钉钉重试',
    );
    const ding = d1.find((x) => x.channel === 'DINGTALK');
    expect(ding?.status).toBe('PENDING');
    expect(ding?.lastError).toBe('机器人服务器返回错误（状态 500）');
    expect(ding!.nextAttemptAt.getTime()).toBeGreaterThan(ding!.lastAttemptAt!.getTime());
    expect(d1.find((x) => x.channel === 'EMAIL')?.attempts).toBe(2);
    expect(smtp.mails.some((m) => m.to[0] === mailOf(0) && m.text.includes('请尽快填报《2018年度工作计划》'))).toBe(true);

    // The workflow did not wait: the filing reminders and the deadline came and went on the drill's schedule.
    const filing = await prisma.filing.findFirstOrThrow({ where: { requirementId: w.requirementId, orgId: w.branchIds[0] } });
    await eventually(
      async () => (await prisma.filing.findUniqueOrThrow({ where: { id: filing.id } })).overdue,
      (o) => o,
      40_000,
      '填报逾期',
    );
    // Its reminders reached WeCom; their DingTalk copies are still waiting for DingTalk.
    const reminders = await prisma.notificationDelivery.findMany({ where: { notificationKey: { startsWith: `remind:filing:${filing.id}:` } } });
    expect(reminders.filter((r) => r.channel === 'WECOM').length).toBeGreaterThan(0);
    expect(reminders.filter((r) => r.channel === 'WECOM').every((r) => r.status === 'SENT')).toBe(true);
    const waiting = reminders.filter((r) => r.channel === 'DINGTALK');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((r) => r.status === 'PENDING' && r.attempts >= 1 && r.lastError === '机器人服务器返回错误（状态 500）')).toBe(true);

    // DingTalk comes back: the waiting deliveries go out, each with its attempts counted.
    robots.failNext.dingtalk = 0;
    const d2 = await eventually(deliveries, (d) => d.find((x) => x.channel === 'DINGTALK')?.status === 'SENT', 60_000, '钉钉恢复后送达');
    await eventually(
      () => prisma.notificationDelivery.findMany({ where: { id: { in: waiting.map((r) => r.id) } } }),
      (rs) => rs.every((r) => r.status === 'SENT'),
      60_000,
      '提醒的钉钉消息送达',
    );
    expect(d2.find((x) => x.channel === 'DINGTALK')?.lastError).toBeNull();
    expect(robots.calls.some((c) => c.robot === 'dingtalk' && c.signOk && JSON.stringify(c.body).includes('请尽快填报'))).toBe(true);
  }, 180_000);

  it('urges every branch that has not acknowledged: in the inbox, by e-mail and through the signed robots; a second urge within 4 hours is refused with the time', async () => {
    // DingTalk answers (the test before brings it back; this one does not depend on that test having got so far).
    robots.failNext.dingtalk = 0;
    const res = await w.drafter.post(`/api/directives/${w.directiveId}/urges`, { all: true }).expect(200);
    expect(res.body.urged.map((u: { orgId: string }) => u.orgId).sort()).toEqual([...w.branchIds].sort());

    // In-app: each branch's inbox notices.
    for (const s of w.branch) {
      const notes = (await s.get('/api/inbox/notifications').expect(200)).body as { kind: string; message: string }[];
      expect(notes.find((n) => n.kind === 'URGE')?.message).toContain(`催办：请尽快签收《${title}》`);
    }

    // E-mail: the two secretaries who chose it, through the local SMTP server.
    const mails = await eventually(
      async () => smtp.mails.filter((m) => m.subject.startsWith('【催办】') && m.text.includes('请尽快签收')),
      (m) => m.length >= 2,
      20_000,
      '催办邮件',
    );
    expect(mails.map((m) => m.to[0]).sort()).toEqual([mailOf(0), mailOf(1)]);
    expect(mails[0].text).toContain(`请尽快签收《${title}》`);
    expect(mails[0].text).toContain('http://dangjian.test/inbox');
    expect(mails[0].from).toBe('dangjian@datan.test');

    // Robots: branch 0's DingTalk (signed, markdown, @ the secretary by mobile) and WeCom (text to @ by mobile).
    const calls = await eventually(
      async () => robots.calls.filter((c) => JSON.stringify(c.body).includes('请尽快签收')),
      (c) => c.some((x) => x.robot === 'dingtalk') && c.some((x) => x.robot === 'wecom'),
      20_000,
      '催办群消息',
    );
    const ding = calls.find((c) => c.robot === 'dingtalk');
    expect(ding?.signOk).toBe(true);
    expect(ding?.body.msgtype).toBe('markdown');
    const dm = ding?.body as unknown as { markdown: { title: string; text: string }; at: { atMobiles: string[] } };
    expect(dm.markdown.text).toContain(`请尽快签收《${title}》`);
    expect(dm.markdown.text).toContain(`@${PHONE}`);
    expect(dm.at.atMobiles).toEqual([PHONE]);
    const wecom = calls.find((c) => c.robot === 'wecom');
    expect(wecom?.query.get('key')).toBe(WECOM_KEY);
    expect(wecom?.body).toMatchObject({ msgtype: 'text', text: { mentioned_mobile_list: [PHONE] } });
    expect((wecom?.body as unknown as { text: { content: string } }).text.content).toContain(`请尽快签收《${title}》`);

    // Sent and audited; the branch with no channels got the in-app notice only.
    const urgeKeys = (await prisma.urge.findMany({ where: { subjectId: w.directiveId } })).map((u) => u.notificationKey);
    await eventually(
      async () => prisma.notificationDelivery.findMany({ where: { notificationKey: { in: urgeKeys } } }),
      (d) => d.length === 4 && d.every((x) => x.status === 'SENT'),
      20_000,
      '投递记录',
    );
    expect(await prisma.notificationDelivery.count({ where: { notificationKey: { in: urgeKeys }, orgId: w.branchIds[2] } })).toBe(0);
    expect(await prisma.auditLog.count({ where: { action: 'urge.send', entityId: w.directiveId } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: 'notification.delivery.sent', entityId: { in: urgeKeys } } })).toBe(4);

    // Again within 4 hours: refused, saying when it was and when it may be.
    const again = await w.secretary.post(`/api/directives/${w.directiveId}/urges`, { orgIds: [w.branchIds[1]] });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/4 小时内只能催办一次：新风村已于今天 \d\d:\d\d催办过，(今天|\d+月\d+日) \d\d:\d\d后可再次催办/);
    // Who was urged and when, for the committee.
    const seen = (await w.reviewer.get(`/api/directives/${w.directiveId}/urges`).expect(200)).body;
    expect(seen.history).toHaveLength(3);
    expect(seen.history[0].by).toBe('张党建');
    expect(seen.candidates.every((c: { nextAt: string | null }) => !!c.nextAt)).toBe(true);
    const page = await w.reviewer.get(`/directives/${w.directiveId}/urges`).expect(200);
    expect(page.text).toContain('由张党建催办（共 1 次）');
    expect(page.text).toContain('后可再催办');
  });

  it('refuses what cannot be urged, in plain words', async () => {
    const none = await w.drafter.post(`/api/requirements/${w.requirementId}/urges`, {});
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('请勾选要催办的支部');
    const bad = await w.drafter.post(`/api/requirements/${w.requirementId}/urges`, { orgIds: ['大滩村'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('要催办的支部须是支部编号的列表');
    const branch = await w.branch[0].post(`/api/directives/${w.directiveId}/urges`, { all: true });
    expect(branch.status).toBe(403);
  });

  it('puts the urge form on the receipts card and the filing table for 党建办 and the secretary only', async () => {
    const table = await w.drafter.get(`/requirements/${w.requirementId}/filings`).expect(200);
    expect(table.text).toContain(`action="/requirements/${w.requirementId}/urges"`);
    expect(table.text).toContain(`name="orgIds" value="${w.branchIds[2]}" form="urge-form"`);
    const detail = await w.secretary.get(`/directives/${w.directiveId}`).expect(200);
    expect(detail.text).toContain(`action="/directives/${w.directiveId}/urges"`);
    expect(detail.text).toContain(`name="orgIds" value="${w.branchIds[2]}"`);
    const inspector = await makePerson(prisma, [{ orgId: w.committeeId, role: Role.INSPECTOR }], '孙督查');
    const s = new ApiSession(app);
    await s.login(inspector.username, PASSWORD);
    const seen = await s.get(`/requirements/${w.requirementId}/filings`).expect(200);
    expect(seen.text).not.toContain('data-urge-form');
    expect((await s.post(`/requirements/${w.requirementId}/urges`, { all: '1' })).status).toBe(403);
    // The form post (no script) urges and lands on the 催办 page with the outcome.
    const posted = await w.secretary.post(`/requirements/${w.requirementId}/urges`, { orgIds: w.branchIds[2], all: '0' });
    expect(posted.status).toBe(303);
    const page = await w.secretary.get(posted.headers.location).expect(200);
    expect(page.text).toContain('已催办 1 个支部');
  });

  it('gives a delivery up after its last attempt, or at once when retrying cannot cure it, and audits it as failed', async () => {
    // Rows due tomorrow, drained "the day after" by dispatchers of their own, so the worker's relay leaves them alone.
    const later = new Date(Date.now() + 2 * 86400_000);
    const row = (key: string, data: Record<string, unknown>) =>
      prisma.notificationDelivery.create({
        data: {
          key,
          notificationKey: key,
          channel: 'EMAIL',
          subject: '【提醒】测试',
          message: '测试',
          nextAttemptAt: new Date(Date.now() + 86400_000),
          ...data,
        },
      });
    const config = app.get(AppConfig);
    const audit = app.get(AuditService);
    // Drained "the day after", a dispatcher would also take the deliveries of the workflows still running in this suite
    // (reminders to branches with robots, retries in their backoff): park those beyond that day before each drain.
    const dispatcher = (over: Partial<AppConfig>) => {
      const d = new DeliveryDispatcher(prisma, audit, { ...config, ...over } as AppConfig);
      return {
        drain: async (at: Date) => {
          await prisma.notificationDelivery.updateMany({
            where: { status: 'PENDING', NOT: { key: { startsWith: 'test:' } } },
            data: { nextAttemptAt: new Date(at.getTime() + 86400_000) },
          });
          return d.drain(at);
        },
      };
    };

    const last = await row(`test:last:${Date.now()}`, { address: 'x@datan.test', attempts: MAX_ATTEMPTS - 1 });
    expect(await dispatcher({ SMTP_URL: 'smtp://127.0.0.1:1' }).drain(later)).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await prisma.notificationDelivery.findUniqueOrThrow({ where: { id: last.id } })).toMatchObject({
      status: 'FAILED',
      attempts: MAX_ATTEMPTS,
      lastError: '无法连接邮件服务器',
    });

    const noSmtp = await row(`test:nosmtp:${Date.now()}`, { address: 'x@datan.test' });
    expect(await dispatcher({ SMTP_URL: undefined, SMTP_HOST: undefined }).drain(later)).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await prisma.notificationDelivery.findUniqueOrThrow({ where: { id: noSmtp.id } })).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: '系统未配置邮件服务器（SMTP），邮件未发送',
    });

    const gone = await row(`test:gone:${Date.now()}`, { channel: 'DINGTALK', channelId: '00000000-0000-4000-8000-000000000000' });
    expect(await dispatcher({}).drain(later)).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await prisma.notificationDelivery.findUniqueOrThrow({ where: { id: gone.id } })).lastError).toBe('该机器人已被删除或停用，消息未发送');

    const audited = await prisma.auditLog.findMany({ where: { action: 'notification.delivery.failed', entityId: { in: [last.key, noSmtp.key, gone.key] } } });
    expect(audited).toHaveLength(3);
  });

  it('sends nothing outside the app to an organisation and people who chose no channel', async () => {
    const keys = (await prisma.notification.findMany({ where: { orgId: w.branchIds[2] }, select: { key: true } })).map((n) => n.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(await prisma.notificationDelivery.count({ where: { notificationKey: { in: keys } } })).toBe(0);
    // ChannelSettingsService is what the pages use; the settings page shows nothing set for that branch.
    const c = await app.get(ChannelSettingsService).channels(w.branchIds[2]);
    expect([c.email.set, c.dingtalk.set, c.wecom.set]).toEqual([false, false, false]);
  });

  /** The 消息 list of an inbox page: each notice's text and where it links (entities decoded, as a browser reads it). */
  function noticesOf(html: string): { text: string; href?: string }[] {
    const list = html.slice(html.indexOf('<ul class="notices">')).split('</ul>')[0];
    return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => ({
      text: m[1]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
      href: /data-notice-link/.test(m[1])
        ? /href="([^"]*)"/
            .exec(m[1])?.[1]
            .replace(/&#x3D;/g, '=')
            .replace(/&amp;/g, '&')
        : undefined,
    }));
  }

  it('links each notice to its subject: the branch’s 催办 to its filing, the reviewer’s 待审核 to the submitted filing', async () => {
    const filing = await prisma.filing.findFirstOrThrow({ where: { requirementId: w.requirementId, orgId: w.branchIds[0] } });
    const inbox = await w.branch[0].get('/inbox').set('accept', 'text/html').expect(200);
    const urged = noticesOf(inbox.text).find((n) => n.text.includes('催办：请尽快填报《2018年度工作计划》'));
    expect(urged?.href).toBe(`/filings/${filing.id}?from=${encodeURIComponent('/inbox?tab=todo')}`);
    // The 催办 of the directive's 签收 leads to the directive.
    const ack = noticesOf(inbox.text).find((n) => n.text.includes(`催办：请尽快签收《${title}》`));
    expect(ack?.href).toBe(`/directives/${w.directiveId}?from=${encodeURIComponent('/inbox?tab=todo')}`);
    // The link opens the filing, and the filing leads back to the inbox.
    const opened = await w.branch[0].get(urged!.href!).set('accept', 'text/html').expect(200);
    expect(opened.text).toContain('data-back-inbox');

    // The branch submits (late): each reviewer is told beside the 审核 task, and the notice opens the filing.
    await w.branch[0].post(`/api/filings/${filing.id}/submit`, { values: PLAN }).expect(200);
    const reviewerInbox = await w.reviewer.get('/inbox?tab=todo&kind=FILING').set('accept', 'text/html').expect(200);
    const submitted = noticesOf(reviewerInbox.text).find((n) => n.text.includes('大滩村已提交《2018年度工作计划》，请审核'));
    expect(submitted?.href).toBe(`/filings/${filing.id}?from=${encodeURIComponent('/inbox?tab=todo&kind=FILING')}`);
    const review = await w.reviewer.get(submitted!.href!).set('accept', 'text/html').expect(200);
    expect(review.text).toContain('2018年度工作计划');
    // A notice with nothing to open (none here) stays plain text; every notice of these lists links somewhere.
    expect(noticesOf(reviewerInbox.text).every((n) => n.href)).toBe(true);
  });
});
