import * as fs from 'node:fs';
import * as path from 'node:path';
import { importText } from '../../../apps/server/src/documents/import';
import { DocumentModel, validateDocumentModel } from '../../../apps/server/src/documents/model';
import { DocumentRenderer } from '../../../apps/server/src/documents/render';
import { linesOf, pdffonts, rasterize, readPdfText } from './support/pdf-probe';
import { png, renderToFile, startRenderer } from './support/render-fixture';

const SEED_000 = path.resolve(__dirname, '../../fixtures/seeds/000_7e15f116e830c2af.txt');

// jest.config.js sets testTimeout inside the project, where Jest ignores it; rasterising needs more than 5 s on a slow machine.
jest.setTimeout(60_000);

describe('seed 000 (大滩委发〔2017〕58号): imported from plain text and rendered end to end', () => {
  let renderer: DocumentRenderer;
  let file: string;
  let text: string[];
  let pageCount: number;

  beforeAll(async () => {
    renderer = await startRenderer(1);
    const { model } = importText(fs.readFileSync(SEED_000, 'utf8'));
    // what a clerk adds before issuing: the 标志 short name and the 版记
    const issued = {
      ...model,
      issuers: [{ ...model.issuers[0], markName: '中共大滩乡委员会' }],
      cc: ['区委组织部'],
      printing: { organ: '中共大滩乡委员会党建办公室', date: '2017-04-21' },
    };
    const v = validateDocumentModel(JSON.parse(JSON.stringify(issued)));
    expect(v).toMatchObject({ ok: true });
    file = await renderToFile(renderer, (v as { model: DocumentModel }).model, 'seed-000');
    const pages = readPdfText(file);
    pageCount = pages.length;
    text = pages.flatMap((p) => linesOf(p).map((l) => l.text));
    for (let p = 1; p <= pageCount; p++) rasterize(file, p, 100, png('seed-000', p));
  });
  afterAll(() => renderer?.close());

  it('prints the 标志, the 发文字号 and the derived title', () => {
    expect(text).toContain('中共大滩乡委员会文件');
    expect(text).toContain('大滩委发〔2017〕58号');
    expect(text.join('')).toContain('“党建扶贫攻坚年”七大行动实施方案');
    expect(text).toContain('各村（社区）党支部，机关、学校党支部：');
  });

  it('prints all seven sections and eighteen numbered items', () => {
    const sections = text.filter((t) => /^[一二三四五六七]、开展/.test(t));
    expect(sections.map((t) => t[0])).toEqual(['一', '二', '三', '四', '五', '六', '七']);
    const items = text.map((t) => /^(\d{1,2})\.\S/.exec(t)?.[1]).filter(Boolean);
    expect(items).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1)));
  });

  it('signs with the organ and 2017年4月21日, then the 版记, with page numbers on every page but a 版记-only one', () => {
    expect(text).toContain('中共达州市达川区大滩乡委员会');
    expect(text).toContain('2017年4月21日');
    expect(text).toContain('抄送：区委组织部。');
    const numbers = text.filter((t) => /^— \d+ —$/.test(t));
    // the 版记 is on the even last page; alone there (and after an unnumbered blank page) it carries no number
    expect(pageCount % 2).toBe(0);
    expect(pageCount - numbers.length).toBeLessThanOrEqual(2);
    numbers.forEach((n, i) => expect(n).toBe(`— ${i + 1} —`));
    expect(pageCount).toBeGreaterThanOrEqual(4);
  });

  it('embeds only named TrueType fonts', () => {
    for (const f of pdffonts(file)) expect(f.type).toBe('CID TrueType');
  });
});
