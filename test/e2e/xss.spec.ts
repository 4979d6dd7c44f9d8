/**
 * Script in what people type comes back as text, in real Chromium: payloads put through the API the pages use into
 * every text field that is shown again — a directive's title, body and attachment names, a requirement's name, its
 * form's title and field label, a branch's filing, people's and a branch's names, a spot-check round and finding,
 * an accountability case — then the pages that show them are opened (directive page with its preview, register,
 * inbox, filing page, spot check, case, admin lists, overview chart) and the issued PDF is read as text.
 * On each page: no dialog opened, no payload ran (window.__xss unset), no element the payload would have made exists,
 * and the payload's text is there as people typed it.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { deskPageAs, launchBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker, submitUntilIssued } from '../support/test-app';

/** Each marks itself (标记n) so the text can be found; each would set window.__xss or open a dialog if it ran. */
const P = {
  script: '<script>window.__xss="script";alert(1)</script>标记一',
  img: '"><img src=x onerror="window.__xss=\'img\';alert(2)">标记二',
  svg: '</title><svg onload="window.__xss=\'svg\';alert(3)">标记三',
  hbs: '{{constructor.constructor "alert(4)"}}{{{body}}}标记四',
  attr: "' onmouseover='window.__xss=5' x='标记五",
  js: 'javascript:alert(6)//标记六',
};

describe('script in what people type is shown as text (Chromium)', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let url: string;
  let browser: Browser;
  const users: Record<'staff' | 'secretary' | 'branch' | 'admin' | 'inspector', { id: string; username: string }> = {} as never;
  let directiveId: string;
  let documentId: string;
  let filingId: string;
  let roundId: string;
  let caseId: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    ({ app, prisma, url } = await startApp());
    worker = await startWorker();
    browser = await launchBrowser();
    const committee = await makeCommittee(prisma, { name: '中共大滩乡委员会', organCode: `防${Date.now() % 100000}发` });
    // A branch and people whose names are payloads (an administrator could type them).
    const branch = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, `中共${P.svg}支部`);
    users.staff = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], P.img);
    users.secretary = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    users.branch = await makePerson(prisma, [{ orgId: branch.id, role: Role.BRANCH_SECRETARY }], P.script);
    users.admin = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '管理员');
    users.inspector = await makePerson(prisma, [{ orgId: committee.id, role: Role.INSPECTOR }], P.hbs);
    const as = async (who: keyof typeof users) => {
      const s = new ApiSession(app);
      await s.login(users[who].username, PASSWORD);
      return s;
    };
    const [staff, secretary, branchSession, inspector] = [await as('staff'), await as('secretary'), await as('branch'), await as('inspector')];

    // A directive whose title, body, attachment and requirement carry payloads; the form's title and label too.
    const model = {
      ...SEED_MODEL,
      title: `关于${P.script}的通知`,
      body: [{ type: 'paragraph', text: `正文${P.img}${P.hbs}` }, ...(SEED_MODEL.body as unknown[]).slice(0, 2)],
      attachments: [{ title: `附件${P.svg}` }],
    };
    const form = { title: `表单${P.attr}`, fields: [{ key: 'note', label: `情况${P.js}`, type: 'longText', required: true, maxLength: 2000 }] };
    const created = await staff.post('/api/directives', {
      model,
      chain: { reviewers: [users.staff.id], signerId: users.secretary.id },
      distribution: { mode: 'ALL' },
      requirements: [{ title: `填报${P.hbs}`, form, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
    });
    expect(created.status).toBe(201);
    directiveId = created.body.id;
    await submitUntilIssued(staff, directiveId, [staff, secretary]);
    const directive = await prisma.directive.findUniqueOrThrow({ where: { id: directiveId } });
    documentId = directive.documentId as string;

    // The branch's filing, in its own words.
    filingId = (await eventually(
      () => prisma.filing.findFirst({ where: { orgId: branch.id } }),
      (f) => !!f,
      30_000,
      '填报任务',
    ))!.id;
    await branchSession.put(`/api/filings/${filingId}/draft`, { values: { note: `支部填写${P.img}${P.js}` } }).expect(200);

    // A spot-check round and a finding with a note.
    const round = await staff.post('/api/spot-checks', {
      title: `抽查${P.attr}`,
      scopeOrgId: committee.id,
      mode: 'ANNOUNCED',
      target: 'BRANCH',
      checklist: [{ text: `检查项${P.svg}`, kind: 'PASS_FAIL', evidence: 'NOTE' }],
      rule: { levels: [{ level: 0, min: 1 }] },
      inspectorIds: [users.inspector.id],
      windowStart: new Date(Date.now() - 60_000).toISOString(),
      windowEnd: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(round.status).toBe(201);
    roundId = round.body.id;
    await staff.post(`/api/spot-checks/${roundId}/draw`, { seed: 'xss' }).expect((r) => expect(r.status).toBeLessThan(300));
    const unit = await prisma.spotCheckUnit.findFirstOrThrow({ where: { roundId } });
    const checklist = (await prisma.spotCheckRound.findUniqueOrThrow({ where: { id: roundId } })).checklist as { key: string }[];
    const finding = await inspector.post(`/api/spot-checks/${roundId}/findings`, {
      unitId: unit.id,
      itemKey: checklist[0].key,
      passed: false,
      notes: `发现${P.script}`,
      clientId: '2b1e8a4e-0c57-4d0e-9a43-5d2b8f0f6a11',
      recordedAt: new Date().toISOString(),
    });
    expect(finding.status).toBeLessThan(300);

    // An accountability case about the branch.
    const c = await staff.post('/api/accountability/cases', { orgId: branch.id, title: `问责${P.hbs}`, evidence: [{ title: `证据${P.img}` }] });
    expect(c.status).toBe(201);
    caseId = c.body.id;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  async function open(who: keyof typeof users, pathname: string): Promise<Page> {
    const page = await deskPageAs(browser, url, users[who].username, PASSWORD);
    page.on('dialog', (d) => dialogs.push(`${pathname}: ${d.message()}`));
    const res = await page.goto(`${url}${pathname}`, { waitUntil: 'networkidle0' });
    // 304: the page the login led to (the inbox), opened again.
    expect([200, 304]).toContain(res?.status());
    return page;
  }

  /** Nothing ran, nothing was injected, and the given payloads are shown literally (in the page or in its preview frame). */
  async function expectInert(page: Page, shown: string[]): Promise<void> {
    const state = await page.evaluate(() => {
      const docs = [
        document,
        ...Array.from(document.querySelectorAll('iframe'))
          .map((f) => f.contentDocument)
          .filter((d): d is Document => !!d),
      ];
      return {
        xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
        injected: docs.flatMap((d) =>
          Array.from(d.querySelectorAll('img[src="x"], svg[onload], [onerror], [onmouseover], a[href^="javascript:"]')).map((e) => e.outerHTML.slice(0, 120)),
        ),
        scripts: docs.flatMap((d) =>
          Array.from(d.querySelectorAll('script'))
            .filter((s) => /__xss/.test(s.textContent ?? ''))
            .map((s) => s.outerHTML.slice(0, 120)),
        ),
        text: docs.map((d) => d.body?.innerText ?? '').join('\n'),
      };
    });
    expect({ xss: state.xss, injected: state.injected, scripts: state.scripts, dialogs }).toEqual({ xss: null, injected: [], scripts: [], dialogs: [] });
    const flat = state.text.replace(/\s+/g, '');
    for (const p of shown) expect(flat).toContain(p.replace(/\s+/g, ''));
  }

  it('the directive page (with its preview), the register and the inbox', async () => {
    const drafter = await open('staff', `/directives/${directiveId}`);
    await expectInert(drafter, [P.script]);
    await drafter.goto(`${url}/directives`, { waitUntil: 'networkidle0' });
    await expectInert(drafter, [P.script]);
    const branch = await open('branch', '/inbox');
    await expectInert(branch, [P.script]);
    await branch.goto(`${url}/directives/${directiveId}`, { waitUntil: 'networkidle0' });
    await expectInert(branch, [P.script]);
  });

  it('the document preview holds the body and the attachment names as text', async () => {
    const staff = new ApiSession(app);
    await staff.login(users.staff.username, PASSWORD);
    const doc = (await staff.get(`/api/documents/${documentId}`).expect(200)).body;
    const res = await staff.post('/api/documents/preview', { model: doc.model ?? doc });
    expect(res.status).toBe(200);
    const html = typeof res.body === 'object' && res.body.html ? res.body.html : res.text;
    const page = await browser.newPage();
    page.on('dialog', (d) => dialogs.push(`preview: ${d.message()}`));
    await page.setContent(html, { waitUntil: 'load' });
    await expectInert(page, [P.script, P.img, P.hbs, P.svg]);
  });

  it('the filing page shows the form and the branch’s words as text', async () => {
    const branch = await open('branch', `/filings/${filingId}`);
    // The branch's own value is in a textarea (a value, not markup); the labels and titles are text.
    const value = await branch.$eval('textarea[name="note"], [name="values[note]"], textarea', (el) => (el as HTMLTextAreaElement).value);
    expect(value).toBe(`支部填写${P.img}${P.js}`);
    await expectInert(branch, [P.js, P.attr]);
  });

  it('the spot check, the case and the administrator’s lists, and the overview chart', async () => {
    const staff = await open('staff', `/spot-checks/${roundId}`);
    await expectInert(staff, [P.attr, P.script]);
    await staff.goto(`${url}/accountability/cases/${caseId}`, { waitUntil: 'networkidle0' });
    await expectInert(staff, [P.hbs, P.svg]);
    await staff.goto(`${url}/overview`, { waitUntil: 'networkidle0' });
    await expectInert(staff, []);
    const admin = await open('admin', '/admin/people');
    await expectInert(admin, [P.img, P.script, P.hbs]);
    await admin.goto(`${url}/admin/orgs`, { waitUntil: 'networkidle0' });
    await expectInert(admin, [P.svg]);
  });

  it('a javascript: address as the page to return to after login leads to the site, not to the script', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.on('dialog', (d) => dialogs.push(`login next: ${d.message()}`));
    await page.goto(`${url}/login?next=${encodeURIComponent(P.js)}`);
    await page.type('input[name=username]', users.staff.username);
    await page.type('input[name=password]', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(new URL(page.url()).origin).toBe(url);
    await expectInert(page, []);
    await context.close();
  });

  it('the issued PDF has the payloads as text and nothing was run while rendering it', async () => {
    const staff = new ApiSession(app);
    await staff.login(users.staff.username, PASSWORD);
    const pdf = await staff
      .get(`/api/documents/${documentId}/pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xss-pdf-')), 'doc.pdf');
    fs.writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    // Word by word: a justified line may come out of pdftotext in another order ("<img onerror=… src=x").
    const words = (p: string) => p.split(/\s+|(?<=[\x21-\x7e])(?=[\u4e00-\u9fff])/).filter(Boolean);
    for (const p of [P.script, P.img, P.hbs, P.svg]) for (const w of words(p)) expect(text.replace(/\s+/g, '')).toContain(w);
    // The title whole, its tags as printed characters.
    expect(text.replace(/\s+/g, '')).toContain(`关于${P.script}的通知`);
    expect(dialogs).toEqual([]);
  });
});
