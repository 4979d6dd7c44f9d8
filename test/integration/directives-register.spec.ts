/**
 * 收发文台账 (issue 17, point 8): the directives list is a table searched by 文号, 年度 and 关键词 (and status), sorted
 * from its column headers; all in the query, so it works without script, and its links keep the filters.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DirectiveStatus, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
/** The titles in the register, in the order shown. */
const titles = (html: string) => [...html.matchAll(/class="doc-title">([^<]+)</g)].map((m) => m[1]);

describe('收发文台账: the directives register', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let staff: ApiSession;
  const code = `台${Date.now() % 100000}发`;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma, { organCode: code });
    const other = await makeCommittee(prisma, { organCode: `他${Date.now() % 100000}发` });
    const person = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const make = async (orgId: string, title: string, number: { year: number; serial: number } | null, createdAt: string, status: DirectiveStatus) => {
      const document = await prisma.document.create({
        data: {
          orgId,
          kind: '通知',
          title,
          organCode: code,
          ...(number
            ? { year: number.year, serial: number.serial, docNumber: `${orgId === other.id ? '他' : ''}${code}〔${number.year}〕${number.serial}号` }
            : {}),
          model: { title },
          status: number ? 'ISSUED' : 'DRAFT',
        },
      });
      await prisma.directive.create({
        data: {
          orgId,
          documentId: document.id,
          status,
          drafterId: person.id,
          chain: {},
          distribution: { mode: 'ALL' },
          createdAt: new Date(createdAt),
          ...(number ? { issuedAt: new Date(createdAt) } : {}),
        },
      });
    };
    await make(committee.id, '关于开展党员冬训工作的通知', { year: 2025, serial: 9 }, '2025-11-20T02:00:00Z', 'ISSUED');
    await make(committee.id, '关于报送党员发展计划的通知', { year: 2026, serial: 10 }, '2026-01-05T02:00:00Z', 'ISSUED');
    await make(committee.id, '关于开展主题党日活动的通知', { year: 2026, serial: 58 }, '2026-03-01T02:00:00Z', 'ISSUED');
    await make(committee.id, '关于做好党费收缴工作的通知', null, '2026-01-01T00:30:00+08:00', 'DRAFT'); // 2026 in Shanghai, 2025 in UTC
    await make(other.id, '另一乡关于开展党员冬训工作的通知', { year: 2026, serial: 1 }, '2026-02-01T02:00:00Z', 'ISSUED');
    staff = new ApiSession(app);
    await staff.login(person.username, PASSWORD);
  });

  afterAll(async () => app.close());

  const page = async (query: string, status = 200) => (await staff.get(`/directives${query ? `?${query}` : ''}`).expect(status)).text;

  it('is a table of the committee’s own directives with 文号, latest change first', async () => {
    const html = await page('');
    expect(html).toContain('<table class="table register-table" data-register>');
    expect(titles(html)).toEqual(['关于做好党费收缴工作的通知', '关于开展主题党日活动的通知', '关于报送党员发展计划的通知', '关于开展党员冬训工作的通知']);
    expect(html).toContain(`${code}〔2026〕58号`);
    expect(html).toContain('未编号');
  });

  it('finds by 文号 (whole, with look-alike brackets, or the 序号 alone), by 年度 and by 关键词', async () => {
    expect(titles(await page(`no=${encodeURIComponent(`${code}[2026]58号`)}`))).toEqual(['关于开展主题党日活动的通知']);
    expect(titles(await page('no=10'))).toEqual(['关于报送党员发展计划的通知']); // not 〔2025〕9号, not 58号
    expect(titles(await page(`no=${encodeURIComponent('〔2025〕')}`))).toEqual(['关于开展党员冬训工作的通知']);
    // 年度 is the 文号's year; a directive without a number counts in the year (Shanghai) it was drafted
    expect(titles(await page('year=2026&sort=docNumber'))).toEqual(['关于报送党员发展计划的通知', '关于开展主题党日活动的通知', '关于做好党费收缴工作的通知']);
    expect(titles(await page('year=2025'))).toEqual(['关于开展党员冬训工作的通知']);
    expect(titles(await page(`q=${encodeURIComponent('党员')}`))).toEqual(['关于报送党员发展计划的通知', '关于开展党员冬训工作的通知']);
    expect(titles(await page(`q=${encodeURIComponent('党员')}&year=2026`))).toEqual(['关于报送党员发展计划的通知']);
    expect(titles(await page('status=DRAFT'))).toEqual(['关于做好党费收缴工作的通知']);
    expect(await page(`q=${encodeURIComponent('没有这样的发文')}`)).toContain('没有符合条件的发文。');
  });

  it('sorts from a header link that keeps the filters and turns round; bad filters are a Chinese 400', async () => {
    const html = await page('year=2026&sort=docNumber');
    expect(decode(html)).toContain('<th aria-sort="ascending"><a href="/directives?year=2026&sort=docNumber&dir=desc" data-sort="docNumber">文号▲</a></th>');
    expect(html).toContain('<input type="hidden" name="sort" value="docNumber">');
    const desc = decode(/<a href="([^"]+)" data-sort="docNumber">/.exec(html)![1]);
    expect(titles(await page(desc.split('?')[1]))).toEqual(['关于开展主题党日活动的通知', '关于报送党员发展计划的通知', '关于做好党费收缴工作的通知']);
    expect(titles(await page('sort=title'))).toHaveLength(4);
    const bad = await page('year=1899&status=NOPE', 400);
    expect(bad).toContain('年度须在 2000 至 2100 之间');
    expect(bad).toContain('状态选择有误，请从列表中选择');
  });
});
