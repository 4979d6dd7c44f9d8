/**
 * Pasting a directive with its red header (发文机关标志, an unnumbered 发文字号, 签发人, the red rule): the header lines
 * do not reach the body, and the person is told which lines were taken out — by the API and on the 新建发文 form.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

const PASTED = [
  '中共大滩乡委员会文件',
  '大滩委发〔2026〕 号',
  '签发人：张明',
  '──────────────★──────────────',
  '关于开展2026年党员冬训工作的通知',
  '各村（社区）党支部：',
  '根据区委组织部统一部署，现就做好今冬明春党员冬训工作通知如下。',
  '一、总体要求',
  '坚持学用结合，确保每名党员参训不少于32学时。',
  '中共大滩乡委员会',
  '2026年11月20日',
].join('\n');

const textareaOf = (html: string, name: string) => new RegExp(`<textarea name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '';

describe('paste import drops the red header with a notice', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let staff: ApiSession;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma);
    const person = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    staff = new ApiSession(app);
    await staff.login(person.username, PASSWORD);
  });

  afterAll(async () => app.close());

  it('POST /api/documents/import-text: the body starts with the text, and the notice names the dropped lines', async () => {
    const res = await staff.post('/api/documents/import-text', { text: PASTED }).expect(200);
    expect(res.body.model.title).toBe('关于开展2026年党员冬训工作的通知');
    expect(res.body.model.body[0].text).toBe('根据区委组织部统一部署，现就做好今冬明春党员冬训工作通知如下。');
    expect(JSON.stringify(res.body.model)).not.toMatch(/文件|签发人|〔2026〕|─/u);
    expect(res.body.notices).toEqual(['已去掉红头中的 4 行：“中共大滩乡委员会文件”“大滩委发〔2026〕 号”“签发人：张明”“──────────────★──────────────”']);
  });

  it('the 新建发文 form shows the notice and an imported body without the header', async () => {
    const res = await staff.post('/directives/new', { action: 'import', text: PASTED, title: '' }).expect(200);
    expect(res.text).toContain('已去掉红头中的 4 行：“中共大滩乡委员会文件”“大滩委发〔2026〕 号”“签发人：张明”');
    const bodyText = textareaOf(res.text, 'bodyText');
    expect(bodyText.split('\n')[0]).toBe('根据区委组织部统一部署，现就做好今冬明春党员冬训工作通知如下。');
    expect(bodyText).not.toMatch(/文件|签发人|〔2026〕|─/u);
    expect(res.text).toContain('value="关于开展2026年党员冬训工作的通知"');
  });
});
