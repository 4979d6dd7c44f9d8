import { DocumentRenderer } from '../../../apps/server/src/documents/render';
import { inkRows, linesOf, pdffonts, PdfPage, rasterize, readPdfText, rulesOf, Raster } from './support/pdf-probe';
import { png, renderToFile, startRenderer } from './support/render-fixture';
import { standardNotice } from './sample-documents';

const LINE = 225 / 22;

// jest.config.js sets testTimeout inside the project, where Jest ignores it; rasterising needs more than 5 s on a slow machine.
jest.setTimeout(60_000);

describe('GB/T 9704 standard format, measured from the PDF', () => {
  let renderer: DocumentRenderer;
  let file: string;
  let pages: PdfPage[];
  let page1: Raster;

  beforeAll(async () => {
    renderer = await startRenderer(1);
    file = await renderToFile(renderer, standardNotice(30), 'standard-notice');
    pages = readPdfText(file);
    page1 = rasterize(file, 1, 300, png('standard-notice', 1));
    for (let p = 2; p <= pages.length; p++) rasterize(file, p, 100, png('standard-notice', p));
  });
  afterAll(() => renderer?.close());

  const body = (p: PdfPage) => linesOf(p, (i) => i.size === 16);

  it('is A4', () => {
    for (const p of pages) {
      expect(p.widthMm).toBeCloseTo(210, 0);
      expect(p.heightMm).toBeCloseTo(297, 0);
    }
  });

  it('holds 22 lines × 28 characters on a full page (mean pitch)', () => {
    const lines = body(pages[1]);
    expect(lines).toHaveLength(22);
    const pitch = (lines[21].baseline - lines[0].baseline) / 21;
    expect(pitch).toBeGreaterThan(LINE - 0.08);
    expect(pitch).toBeLessThan(LINE + 0.08);
    // continuation lines made of hanzi and full-width marks only: exactly 28 per line across 156 mm
    const full = lines.filter((l) => l.x < 28.6 && /^[\p{Script=Han}，。、“”《》]+$/u.test(l.text) && l.right > 183);
    expect(full.length).toBeGreaterThan(5);
    for (const l of full) {
      expect([...l.text]).toHaveLength(28);
      expect((l.right - l.x) / 28).toBeCloseTo(156 / 28, 1);
    }
  });

  it('keeps the margins 37 / 35 / 28 / 26 mm (±1)', () => {
    const lines = body(pages[1]);
    expect(Math.min(...lines.map((l) => l.x))).toBeCloseTo(28, 0);
    expect(Math.max(...lines.map((l) => l.right))).toBeGreaterThan(184 - 1);
    expect(Math.max(...lines.map((l) => l.right))).toBeLessThan(184 + 1);
    // 22 line boxes fill 37..262 mm: the first baseline sits in the first box, the last in the last
    const r = rasterize(file, 2, 150);
    const ink = inkRows(r, 'dark', 30, 266);
    const inkTop = (ink[0].y / 150) * 25.4;
    const inkBottom = ((ink[ink.length - 1].y + 1) / 150) * 25.4;
    expect(inkTop).toBeGreaterThan(37 - 1);
    expect(inkTop).toBeLessThan(37 + 4);
    expect(inkBottom).toBeLessThan(262 + 1);
    expect(inkBottom).toBeGreaterThan(262 - 4);
    expect(lines[0].baseline - 37 + (262 - lines[21].baseline)).toBeCloseTo(LINE, 0);
  });

  it('puts the red 发文机关标志 ink top at 72 ± 1 mm, centred on one line', () => {
    const red = inkRows(page1, 'red', 0, 110);
    const top = (red[0].y / 300) * 25.4;
    expect(Math.abs(top - 72)).toBeLessThanOrEqual(1);
    const markRows = red.filter((r) => (r.y / 300) * 25.4 < top + 20);
    const left = (Math.min(...markRows.map((r) => r.left)) / 300) * 25.4;
    const right = (Math.max(...markRows.map((r) => r.right)) / 300) * 25.4;
    expect(Math.abs((left + right) / 2 - 106)).toBeLessThan(1);
    const mark = linesOf(pages[0]).find((l) => l.text === '中共大滩乡委员会文件');
    expect(mark).toBeDefined();
  });

  it('draws the red separator 156 ± 0.5 mm wide, 4 mm below the 发文字号', () => {
    const [rule] = rulesOf(page1, 'red', 120);
    expect(Math.abs(rule.width - 156)).toBeLessThanOrEqual(0.5);
    expect(rule.left).toBeCloseTo(28, 0);
    const docNo = linesOf(pages[0]).find((l) => l.text === '大滩委发〔2017〕58号')!;
    expect(docNo).toBeDefined();
    expect((docNo.x + docNo.right) / 2).toBeCloseTo(106, 0);
    const ink = inkRows(page1, 'dark', docNo.baseline - 8, rule.top);
    const docNoInkBottom = ((ink[ink.length - 1].y + 1) / 300) * 25.4;
    expect(Math.abs(rule.top - docNoInkBottom - 4)).toBeLessThanOrEqual(0.5);
  });

  it('sets the title in 22 pt two lines below the red line, centred', () => {
    const title = linesOf(pages[0], (i) => i.size === 22);
    expect(title.length).toBeGreaterThanOrEqual(2);
    expect(title.map((l) => l.text).join('')).toBe('中共大滩乡委员会关于印发《“党建扶贫攻坚年”七大行动实施方案》的通知');
    for (const l of title) expect((l.x + l.right) / 2).toBeCloseTo(106, 0);
    const [rule] = rulesOf(page1, 'red', 120);
    const gapLines = (title[0].baseline - 22 * 0.3528 * 0.88 - rule.bottom) / LINE;
    expect(gapLines).toBeGreaterThan(1.6);
    expect(gapLines).toBeLessThan(2.4);
  });

  it('prints 份号, 密级★期限 and 紧急程度 顶格 on lines 1–3', () => {
    const l = linesOf(pages[0]).slice(0, 3);
    expect(l.map((x) => x.text)).toEqual(['000123', '机密★1年', '特急']);
    for (const x of l) expect(x.x).toBeCloseTo(28, 0);
  });

  it('numbers pages "— N —" 7 mm below the text area, odd right and even left (空一字); the 版记-only page has none', () => {
    // the text ends on page 7 (the attachment), so the 版记 stands alone on page 8, the even last side
    const last = pages.length - 1;
    expect(pages.length % 2).toBe(0);
    expect(linesOf(pages[last]).some((l) => /^— \d+ —$/.test(l.text))).toBe(false);
    for (let n = 1; n <= last; n++) {
      const num = linesOf(pages[n - 1]).find((l) => /^— \d+ —$/.test(l.text));
      expect(num?.text).toBe(`— ${n} —`);
      if (n % 2) expect(num!.right).toBeCloseTo(184 - 14 * 0.3528, 0);
      else expect(num!.x).toBeCloseTo(28 + 14 * 0.3528, 0);
    }
    const pn = inkRows(page1, 'dark', 262, 297);
    const dash = pn.reduce((a, b) => (b.count > a.count ? b : a));
    expect(Math.abs((dash.y / 300) * 25.4 - (262 + 7))).toBeLessThanOrEqual(1);
  });

  it('draws the 版记 rules 0.35 / 0.25 / 0.35 mm with the last on the text-area bottom', () => {
    const r = rasterize(file, pages.length, 600, undefined, [200, 270]);
    const rules = rulesOf(r, 'dark', 150, 150, 280);
    expect(rules).toHaveLength(3);
    expect(Math.abs(rules[0].thickness - 0.35)).toBeLessThanOrEqual(0.06);
    expect(Math.abs(rules[1].thickness - 0.25)).toBeLessThanOrEqual(0.06);
    expect(Math.abs(rules[2].thickness - 0.35)).toBeLessThanOrEqual(0.06);
    for (const x of rules) expect(Math.abs(x.width - 156)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(rules[2].bottom - 262)).toBeLessThanOrEqual(0.5);
    const text = linesOf(pages[pages.length - 1]).map((l) => l.text);
    expect(text).toEqual(expect.arrayContaining(['抄送：区委组织部，区扶贫移民局。']));
    expect(text.some((t) => /^中共大滩乡委员会党建办公室.*2017年4月21日印发$/.test(t))).toBe(true);
  });

  it('starts the attachment on a new page: 附件 in 黑体 on line 1, title on line 3', () => {
    const p = pages[pages.length - 2];
    const lines = linesOf(p);
    expect(lines[0].text).toBe('附件');
    expect(lines[0].x).toBeCloseTo(28, 0);
    const title = lines.find((l) => l.size === 22)!;
    expect(title.text).toBe('“党建扶贫攻坚年”七大行动任务分解表');
    expect(Math.round((title.baseline - lines[0].baseline) / LINE)).toBe(2);
  });

  it('signs: organ 右空二字, date on the next line, 附注 in （）', () => {
    const p = pages[pages.length - 3];
    const lines = linesOf(p);
    const organ = lines.find((l) => l.text === '中共达州市达川区大滩乡委员会')!;
    const date = lines.find((l) => l.text === '2017年4月21日')!;
    expect(organ.right).toBeCloseTo(184 - 2 * 16 * 0.3528, 0);
    expect(date.baseline - organ.baseline).toBeCloseTo(LINE, 0);
    expect(date.x - organ.x).toBeCloseTo(2 * 16 * 0.3528, 0);
    expect(lines.find((l) => l.text === '（此件发至村党支部）')).toBeDefined();
    expect(lines.find((l) => /^附件：/.test(l.text))?.text).toBe('附件：“党建扶贫攻坚年”七大行动任务分解表');
  });

  it('embeds every font as named TrueType (no Type 3), the stand-ins by name', () => {
    const fonts = pdffonts(file);
    expect(fonts.length).toBeGreaterThanOrEqual(4);
    for (const f of fonts) {
      expect(f.type).toBe('CID TrueType');
      expect(f.name).not.toBe('[none]');
    }
    // the fast GB 2312 subsets ("…Common") carry this text; the full fonts only join for rarer characters
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(
      expect.arrayContaining(['GWFangSongCommon-Regular', 'GWXiaoBiaoSongCommon-Regular', 'GWHeiTiCommon-Regular', 'GWKai-Regular', 'GWPageNum-Regular']),
    );
  });
});
