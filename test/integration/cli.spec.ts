import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, cliAsync } from '../support/cli';
import { startWorker } from '../support/test-app';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../apps/server/src/prisma/client';

describe('command line', () => {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL as string }) });
  afterAll(() => prisma.$disconnect());

  it('calendar add-workdays and is-workday answer from the official calendar', () => {
    expect(cli('calendar', 'add-workdays', '2017-05-26', '1')).toMatchObject({ code: 0, out: '2017-05-27\n' });
    expect(cli('calendar', 'is-workday', '2020-01-31')).toMatchObject({ code: 0, out: 'false\n' });
    expect(cli('calendar', 'is-workday', '2017-09-30', '--verbose')).toMatchObject({ code: 0, out: 'true\t国庆节调休上班\n' });
  });

  it('calendar respects an administrator override stored in the database', async () => {
    await prisma.calendarOverride.create({ data: { day: new Date('2017-05-27T00:00:00Z'), kind: 'HOLIDAY', note: '本地休息' } });
    try {
      expect(cli('calendar', 'add-workdays', '2017-05-26', '1').out).toBe('2017-05-31\n');
    } finally {
      await prisma.calendarOverride.delete({ where: { day: new Date('2017-05-27T00:00:00Z') } });
    }
  });

  it('an invalid date is a clear error with exit code 2', () => {
    const r = cli('calendar', 'is-workday', '2017-02-30');
    expect(r.code).toBe(2);
    expect(r.err).toContain('日期“2017-02-30”无效');
    expect(cli('calendar', 'add-workdays', '2017-05-26', 'two').code).toBe(2);
  });

  it('seed-demo creates the township and its committee’s signing identity once and prints the logins once', async () => {
    const first = cli('seed-demo');
    expect(first.code).toBe(0);
    expect(first.out).toContain('dt.admin');
    expect(first.out).toContain('v01.shuji');
    const committee = await prisma.organization.findUniqueOrThrow({ where: { code: 'DT' }, include: { children: true } });
    expect(committee.name).toBe('中共达州市达川区大滩乡委员会');
    expect(committee.organCode).toBe('大滩委发');
    expect(committee.children.length).toBeGreaterThanOrEqual(20);
    expect(new Set(committee.children.map((c) => c.kind))).toEqual(new Set(['VILLAGE', 'COMMUNITY', 'OFFICE', 'SCHOOL']));
    const roles = await prisma.membership.findMany({ where: { org: { OR: [{ id: committee.id }, { parentId: committee.id }] } }, select: { role: true } });
    expect(new Set(roles.map((r) => r.role)).size).toBe(7);
    // the committee signs its 公文 as `npm start` sets it up: a self-signed demo certificate and seal
    expect(first.out).toContain('已为中共达州市达川区大滩乡委员会生成演示签名证书和电子印章（自签名，仅供演示）。');
    const identity = await prisma.organSigningIdentity.findUniqueOrThrow({ where: { orgId: committee.id } });
    expect(identity.subject).toContain('大滩乡委员会');
    expect(identity.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(identity.p12.length).toBeGreaterThan(500);
    expect(identity.seal.length).toBeGreaterThan(100); // the demo seal
    const counts = [await prisma.organization.count(), await prisma.person.count(), await prisma.membership.count()];

    const second = cli('seed-demo');
    expect(second.code).toBe(0);
    expect(second.out).toContain('演示数据已存在');
    expect(second.out).not.toContain('Datan@2017');
    expect([await prisma.organization.count(), await prisma.person.count(), await prisma.membership.count()]).toEqual(counts);
  });

  it('demo-directive runs 大滩委发〔2017〕58号 through the workflows to every demo branch, with its annual plan, signed, once', async () => {
    expect(cli('seed-demo').code).toBe(0); // the township (already there when the test above ran)
    const worker = await startWorker();
    try {
      const first = await cliAsync('demo-directive');
      expect(first.err).toBe('');
      expect(first.out).toContain('王书记签发');
      const year = new Date().getFullYear();
      expect(first.out).toContain(`演示发文已印发：大滩委发〔${year}〕1号《“党建扶贫攻坚年”七大行动实施方案》`);
      const committee = await prisma.organization.findUniqueOrThrow({ where: { code: 'DT' }, include: { children: true } });
      const directive = await prisma.directive.findFirstOrThrow({ where: { orgId: committee.id }, include: { document: true } });
      expect([directive.status, directive.document.docNumber]).toEqual(['ISSUED', `大滩委发〔${year}〕1号`]);
      const tasks = await prisma.task.findMany({
        where: { originType: 'directive', originId: directive.id, kind: { in: ['RECEIPT', 'FILING'] }, status: 'OPEN' },
      });
      for (const kind of ['RECEIPT', 'FILING'])
        expect(new Set(tasks.filter((t) => t.kind === kind).map((t) => t.orgId))).toEqual(new Set(committee.children.map((c) => c.id)));

      // issued signed: `verify` on the archived PDF names the committee and finds it intact
      const stored = await prisma.storedFile.findUniqueOrThrow({ where: { sha256: directive.document.pdfSha256! } });
      const pdfFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-demo-')), 'demo.pdf');
      fs.writeFileSync(pdfFile, stored.bytes!);
      const verified = cli('verify', pdfFile);
      expect([verified.code, verified.err]).toEqual([0, '']);
      expect(verified.out).toMatch(/签名机关：中共大滩乡委员会\n/);
      expect(verified.out).toMatch(/签名证书：.*大滩乡委员会.*（自签名证书，未经第三方认证机构签发）\n/);
      expect(verified.out).toMatch(/签名时间：.*（北京时间）\n/);
      expect(verified.out).toMatch(/结果：签名有效，文件自签名后未被改动\n$/);

      const second = await cliAsync('demo-directive');
      expect([second.code, second.out]).toEqual([0, '演示乡镇已有发文，未作改动。\n']);
      expect(await prisma.directive.count({ where: { orgId: committee.id } })).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('import-text recovers seed 000 and render turns it into a PDF; bad input exits with 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cli-'));
    const model = path.join(dir, 'model.json');
    const seed = path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt');
    const imported = cli('import-text', seed, '--out', model);
    expect(imported.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(model, 'utf8'));
    expect(json.docNumber).toEqual({ organCode: '大滩委发', year: 2017, serial: 58 });
    expect(json.signingOrgans).toEqual(['中共达州市达川区大滩乡委员会']);
    expect(json.date).toBe('2017-04-21');
    expect(json.body.filter((b: { type: string; level?: number }) => b.type === 'heading' && b.level === 1)).toHaveLength(7);

    const pdf = path.join(dir, '000.pdf');
    expect(cli('render', model, '--out', pdf)).toMatchObject({ code: 0 });
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(cli('render', model, '--out', path.join(dir, '000.html'), '--html').code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '000.html'), 'utf8')).toContain('大滩委发〔2017〕58号');

    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...json, title: '', date: '2017-02-30' }));
    const bad = cli('render', path.join(dir, 'bad.json'), '--out', path.join(dir, 'bad.pdf'));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('title');
    expect(bad.err).toContain('date');
    fs.writeFileSync(path.join(dir, 'empty.txt'), '  \n');
    const empty = cli('import-text', path.join(dir, 'empty.txt'), '--out', model);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('是空的');
    expect(cli('import-text', path.join(dir, 'missing.txt'), '--out', model).err).toContain('文件不存在');
  });

  it('audit verify reports an intact chain', () => {
    const r = cli('audit', 'verify');
    expect(r.out).toMatch(/^审计链完整：已校验 \d+ 条记录、\d+ 个签名检查点。\n$/);
    expect(r.code).toBe(0);
  });
});
