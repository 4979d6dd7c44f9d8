import { DocumentModel } from '../../../apps/server/src/documents/model';
import { DocumentRenderer } from '../../../apps/server/src/documents/render';
import { inkRows, linesOf, rasterize, readPdfText, rulesOf } from './support/pdf-probe';
import { png, renderToFile, startRenderer } from './support/render-fixture';
import { letter, minutes, order, standardNotice, twoPageDirective } from './sample-documents';

const LINE = 225 / 22;
const mm = (px: number, dpi: number) => (px / dpi) * 25.4;

// jest.config.js sets testTimeout inside the project, where Jest ignores it; rasterising needs more than 5 s on a slow machine.
jest.setTimeout(60_000);

describe('other layouts and edge cases, measured from the PDF', () => {
  let renderer: DocumentRenderer;
  beforeAll(async () => {
    renderer = await startRenderer(2);
  });
  afterAll(() => renderer?.close());

  it('shrinks a long organ name to fit one line of the text width, never wrapping 文件', async () => {
    const model = { ...twoPageDirective(), issuers: [{ name: '中国共产党四川省达州市达川区大滩乡纪律检查委员会暨监察委员会联合办公室' }] } as DocumentModel;
    const file = await renderToFile(renderer, model, 'long-organ');
    const r = rasterize(file, 1, 300, png('long-organ', 1));
    const red = inkRows(r, 'red', 60, 110);
    const markRows = red.filter((row) => mm(row.y, 300) < mm(red[0].y, 300) + 25 && row.count < r.width * 0.5);
    const top = mm(markRows[0].y, 300);
    const bottom = mm(markRows[markRows.length - 1].y + 1, 300);
    expect(Math.abs(top - 72)).toBeLessThanOrEqual(1);
    expect(bottom - top).toBeLessThan(16); // one line of glyphs, not two
    const left = mm(Math.min(...markRows.map((x) => x.left)), 300);
    const right = mm(Math.max(...markRows.map((x) => x.right + 1)), 300);
    expect(left).toBeGreaterThanOrEqual(28 - 0.5);
    expect(right).toBeLessThanOrEqual(184 + 0.5);
    expect(right - left).toBeGreaterThan(140); // still fills the line
    const line = linesOf(readPdfText(file)[0]).find((l) => l.text.endsWith('文件'))!;
    expect(line.text).toBe('中国共产党四川省达州市达川区大滩乡纪律检查委员会暨监察委员会联合办公室文件');
  });

  it('puts the 版记 on a page of its own, unnumbered, when the body fills the last page', async () => {
    // 28 paragraphs end the body at the foot of page 5 (found by rendering 20..40; see the assertion below); the 版记 takes page 6
    const model = { ...twoPageDirective(), body: standardNotice(28).body } as DocumentModel;
    const file = await renderToFile(renderer, model, 'banji-alone');
    const pages = readPdfText(file);
    const last = pages[pages.length - 1];
    const lastLines = linesOf(last).map((l) => l.text);
    expect(lastLines[0]).toBe('抄送：区委组织部，区扶贫移民局。');
    expect(lastLines.some((t) => /^— \d+ —$/.test(t))).toBe(false);
    const prev = linesOf(pages[pages.length - 2]).map((l) => l.text);
    expect(prev).toContain(`— ${pages.length - 1} —`);
    expect(prev).toContain('2017年4月21日');
    const r = rasterize(file, pages.length, 600, png('banji-alone', pages.length), [200, 270]);
    const rules = rulesOf(r, 'dark', 150, 200, 270);
    expect(rules).toHaveLength(3);
    expect(Math.abs(rules[2].bottom - 262)).toBeLessThanOrEqual(0.5);
  });

  it('keeps the 版记 on the last text page when it fits, with its last rule on the text-area bottom', async () => {
    const file = await renderToFile(renderer, twoPageDirective(), 'two-page');
    const pages = readPdfText(file);
    expect(pages).toHaveLength(2);
    const lines = linesOf(pages[1]).map((l) => l.text);
    expect(lines).toEqual(expect.arrayContaining(['中共达州市达川区大滩乡委员会', '抄送：区委组织部，区扶贫移民局。', '— 2 —']));
    const r = rasterize(file, 2, 600, png('two-page', 2), [200, 270]);
    const rules = rulesOf(r, 'dark', 150, 200, 270);
    expect(Math.abs(rules[rules.length - 1].bottom - 262)).toBeLessThanOrEqual(0.5);
    rasterize(file, 1, 100, png('two-page', 1));
  });

  it('信函格式: red name 30 mm from the top, double lines 170 mm wide 4 mm below it and 20 mm above the bottom, no page number on page 1', async () => {
    const file = await renderToFile(renderer, letter(), 'letter');
    const r = rasterize(file, 1, 300, png('letter', 1));
    const red = inkRows(r, 'red', 0, 297);
    expect(Math.abs(mm(red[0].y, 300) - 30)).toBeLessThanOrEqual(1);
    const rules = rulesOf(r, 'red', 165);
    expect(rules).toHaveLength(4);
    for (const x of rules) expect(Math.abs(x.width - 170)).toBeLessThanOrEqual(0.5);
    for (const x of rules) expect((x.left + x.left + x.width) / 2).toBeCloseTo(105, 0);
    const [thick1, thin1, thin2, thick2] = rules;
    expect(thick1.thickness).toBeGreaterThan(thin1.thickness); // thick over thin at the top
    expect(thick2.thickness).toBeGreaterThan(thin2.thickness); // thin over thick at the bottom
    const nameInkBottom = mm(red.filter((x) => mm(x.y, 300) < thick1.top - 0.5).pop()!.y + 1, 300);
    expect(Math.abs(thick1.top - nameInkBottom - 4)).toBeLessThanOrEqual(0.7);
    expect(Math.abs(297 - thick2.bottom - 20)).toBeLessThanOrEqual(0.5);
    const pages = readPdfText(file);
    const p1 = linesOf(pages[0]);
    expect(p1.some((l) => /^— \d+ —$/.test(l.text))).toBe(false);
    const docNo = p1.find((l) => l.text === '大滩委函〔2017〕7号')!;
    expect(docNo.right).toBeCloseTo(184, 0); // 顶格 at the right edge
    expect(docNo.baseline).toBeGreaterThan(thin1.bottom);
    expect(docNo.baseline - thin1.bottom).toBeLessThan(LINE + 2);
    expect(linesOf(pages[1]).map((l) => l.text)).toContain('— 2 —');
  });

  it('纪要格式: "…纪要" 35 mm below the text-area top, 出席 in 黑体 then 请假 / 列席', async () => {
    const file = await renderToFile(renderer, minutes(), 'minutes');
    const r = rasterize(file, 1, 300, png('minutes', 1));
    const red = inkRows(r, 'red', 0, 150);
    expect(Math.abs(mm(red[0].y, 300) - 72)).toBeLessThanOrEqual(1);
    const text = readPdfText(file).flatMap((p) => linesOf(p).map((l) => l.text));
    expect(text).toContain('中共大滩乡委员会会议纪要');
    const i = text.indexOf('出席：张三，李四，王五');
    expect(i).toBeGreaterThan(0);
    expect(text.slice(i, i + 3)).toEqual(['出席：张三，李四，王五', '请假：赵六（出差）', '列席：孙七']);
  });

  it('命令格式: "…命令" 20 mm below the text-area top, 令号 two lines below it', async () => {
    const file = await renderToFile(renderer, order(), 'order');
    const r = rasterize(file, 1, 300, png('order', 1));
    const red = inkRows(r, 'red', 0, 150);
    const top = mm(red[0].y, 300);
    expect(Math.abs(top - (37 + 20))).toBeLessThanOrEqual(1);
    const lines = linesOf(readPdfText(file)[0]);
    const no = lines.find((l) => l.text === '第3号')!;
    expect((no.x + no.right) / 2).toBeCloseTo(106, 0);
    const markBottom = mm(red[red.length - 1].y, 300);
    expect((no.baseline - markBottom) / LINE).toBeGreaterThan(2);
    expect((no.baseline - markBottom) / LINE).toBeLessThan(3.5);
  });

  it('联合行文: names stacked with 文件 to their right, vertically centred', async () => {
    const model = { ...twoPageDirective(), issuers: [{ name: '中共大滩乡委员会' }, { name: '大滩乡人民政府' }] } as DocumentModel;
    const file = await renderToFile(renderer, model, 'joint');
    rasterize(file, 1, 100, png('joint', 1));
    const lines = linesOf(readPdfText(file)[0]).map((l) => ({ ...l, text: l.text.replace(/\s/g, '') }));
    const a = lines.find((l) => l.text === '中共大滩乡委员会')!;
    const b = lines.find((l) => l.text === '大滩乡人民政府')!;
    const suffix = lines.find((l) => l.text === '文件')!;
    expect(b.baseline).toBeGreaterThan(a.baseline);
    expect(suffix.x).toBeGreaterThan(Math.max(a.right, b.right) - 1);
    expect(suffix.baseline).toBeGreaterThan(a.baseline);
    expect(suffix.baseline).toBeLessThan(b.baseline);
  });

  it('请示 with 签发人: 发文字号 居左空一字, "签发人：" + name 居右空一字 on the same line', async () => {
    const model = { ...twoPageDirective(), kind: '请示', signers: ['王五'], title: '关于申请党建扶贫专项经费的请示', addressee: '区委组织部' } as DocumentModel;
    const file = await renderToFile(renderer, model, 'request-with-signer');
    rasterize(file, 1, 100, png('request-with-signer', 1));
    const items = readPdfText(file)[0].items;
    const docNo = items.find((i) => i.str.startsWith('大滩委发'))!;
    const signer = linesOf(readPdfText(file)[0]).find((l) => l.text.includes('签发人：'))!;
    expect(docNo.x).toBeCloseTo(28 + 16 * 0.3528, 0);
    expect(signer.text.replace(/^.*签发人/, '签发人')).toBe('签发人：王五');
    expect(signer.right).toBeCloseTo(184 - 16 * 0.3528, 0);
    expect(Math.abs(signer.baseline - docNo.baseline)).toBeLessThan(0.5);
  });

  it('with a seal: organ centred over a date 右空四字, the red seal overlapping both', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="48.5" fill="none" stroke="#e60012" stroke-width="3"/><text x="50" y="60" font-size="30" text-anchor="middle" fill="#e60012">★</text></svg>`;
    const seal = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const file = await renderToFile(renderer, { ...twoPageDirective(), seal } as DocumentModel, 'sealed');
    const pages = readPdfText(file);
    const n = pages.findIndex((p) => linesOf(p).some((l) => l.text === '2017年4月21日')) + 1;
    const lines = linesOf(pages[n - 1]);
    const organ = lines.find((l) => l.text === '中共达州市达川区大滩乡委员会')!;
    const date = lines.find((l) => l.text === '2017年4月21日')!;
    expect(date.right).toBeCloseTo(184 - 4 * 16 * 0.3528, 0);
    expect((organ.x + organ.right) / 2).toBeCloseTo((date.x + date.right) / 2, 0);
    const r = rasterize(file, n, 150, png('sealed', n));
    const red = inkRows(r, 'red', organ.baseline - 40, date.baseline + 25);
    const sealTop = mm(red[0].y, 150);
    const sealBottom = mm(red[red.length - 1].y + 1, 150);
    expect(sealBottom - sealTop).toBeCloseTo(42, 0);
    expect(sealTop).toBeLessThan(organ.baseline - 5);
    expect(sealBottom).toBeGreaterThan(date.baseline);
  });
});
