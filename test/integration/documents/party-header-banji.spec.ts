import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentModel } from '../../../apps/server/src/documents/model';
import { DocumentRenderer } from '../../../apps/server/src/documents/render';
import { PT, isInk, linesOf, mmToPx, pxToMm, rasterize, readPdfText, rulesOf, Raster, PdfPage } from './support/pdf-probe';
import { png, renderToFile, startRenderer } from './support/render-fixture';
import { standardNotice, twoPageDirective } from './sample-documents';

// jest.config.js sets testTimeout inside the project, where Jest ignores it; rasterising needs more than 5 s on a slow machine.
jest.setTimeout(90_000);

const ONE_CHAR_14 = 14 * PT; // 空一字 in 4号
const pageNumbers = (p: PdfPage) => linesOf(p).filter((l) => /^— \d+ —$/.test(l.text));
const texts = (p: PdfPage) => linesOf(p).map((l) => l.text);

/** Red runs along one pixel row, as [left, right] in mm. */
function redRuns(r: Raster, yPx: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let x = 0; x <= r.width; x++) {
    const red = x < r.width && isInk(r, x, yPx, 'red');
    if (red && start < 0) start = x;
    if (!red && start >= 0) {
      runs.push([pxToMm(r, start), pxToMm(r, x)]);
      start = -1;
    }
  }
  return runs;
}

/** The bounding box (mm, page coordinates) of red ink inside a column window of a band raster. */
function redBox(r: Raster, x0Mm: number, x1Mm: number) {
  let [top, bottom, left, right] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let y = 0; y < r.height; y++) {
    for (let x = mmToPx(r, x0Mm); x < mmToPx(r, x1Mm); x++) {
      if (!isInk(r, x, y, 'red')) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y + 1);
      left = Math.min(left, x);
      right = Math.max(right, x + 1);
    }
  }
  return { top: pxToMm(r, top + r.y0), bottom: pxToMm(r, bottom + r.y0), left: pxToMm(r, left), right: pxToMm(r, right) };
}

describe('Party red header, 版记 on the last even page, PDF metadata (measured from the PDF)', () => {
  let renderer: DocumentRenderer;
  beforeAll(async () => {
    renderer = await startRenderer(2);
  });
  afterAll(() => renderer?.close());

  const party = (m: DocumentModel): DocumentModel => ({ ...m, issuers: [{ ...m.issuers[0], kind: 'party' }] }) as DocumentModel;
  const government = (m: DocumentModel): DocumentModel =>
    ({ ...m, issuers: [{ name: '达州市达川区大滩乡人民政府', markName: '大滩乡人民政府', organCode: '大滩府发', kind: 'government' }] }) as DocumentModel;

  it('a Party organ: a red five-pointed star (5.7 × 5.4 mm) in the middle of the 156 mm separator, which breaks around it', async () => {
    const file = await renderToFile(renderer, party(twoPageDirective()), 'party-star');
    const page1 = rasterize(file, 1, 300);
    const [segment] = rulesOf(page1, 'red', 60, 100, 140); // each half is 73 mm long
    const ruleMid = (segment.top + segment.bottom) / 2;
    const band = rasterize(file, 1, 600, png('party-star', 1), [ruleMid - 6, ruleMid + 6]);
    const midRow = mmToPx(band, ruleMid) - band.y0;
    const runs = redRuns(band, midRow);
    expect(runs).toHaveLength(3); // left rule, star, right rule
    const [left, star, right] = runs;
    expect(left[0]).toBeCloseTo(28, 0);
    expect(right[1]).toBeCloseTo(184, 0);
    expect(Math.abs(right[1] - left[0] - 156)).toBeLessThanOrEqual(0.5);
    // the rule stops about 1 mm short of the star's points on either side
    const box = redBox(band, left[1] + 0.3, right[0] - 0.3);
    expect(Math.abs((box.left + box.right) / 2 - 106)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(box.right - box.left - 5.71)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(box.bottom - box.top - 5.43)).toBeLessThanOrEqual(0.3);
    expect(Math.abs((box.top + box.bottom) / 2 - ruleMid)).toBeLessThanOrEqual(0.3);
    expect(box.left - left[1]).toBeGreaterThan(0.6);
    expect(box.left - left[1]).toBeLessThan(1.4);
    expect(right[0] - box.right).toBeGreaterThan(0.6);
    expect(right[0] - box.right).toBeLessThan(1.4);
    // a star, not a square: its middle row is much narrower than the row through its arms
    expect(star[1] - star[0]).toBeLessThan(4.5);
    expect(star[1] - star[0]).toBeGreaterThan(1);
    // still 4 mm below the 发文字号 (the rule's top edge)
    const docNo = linesOf(readPdfText(file)[0]).find((l) => l.text === '大滩委发〔2017〕58号')!;
    expect(segment.top - docNo.baseline).toBeGreaterThan(3);
    expect(segment.top - docNo.baseline).toBeLessThan(6);
  });

  it('a government organ: one plain red rule 156 mm wide, no star', async () => {
    const file = await renderToFile(renderer, government(twoPageDirective()), 'government-rule');
    const r = rasterize(file, 1, 300, png('government-rule', 1));
    const rules = rulesOf(r, 'red', 150, 100, 140);
    expect(rules).toHaveLength(1);
    expect(Math.abs(rules[0].width - 156)).toBeLessThanOrEqual(0.5);
    const band = rasterize(file, 1, 600, undefined, [rules[0].top - 4, rules[0].bottom + 4]);
    const box = redBox(band, 100, 112);
    expect(box.bottom - box.top).toBeLessThan(1); // only the rule's thickness
    expect(linesOf(readPdfText(file)[0]).map((l) => l.text)).toContain('大滩乡人民政府文件');
  });

  it('版记 of a document ending mid-page on an odd page: alone on the even page after it, unnumbered, rules and rows in place', async () => {
    const model = party({ ...twoPageDirective(), body: standardNotice(0).body.slice(0, 2) } as DocumentModel);
    const file = await renderToFile(renderer, model, 'banji-odd-end');
    const pages = readPdfText(file);
    expect(pages).toHaveLength(2);
    expect(texts(pages[0])).toContain('2017年4月21日');
    expect(pageNumbers(pages[0]).map((l) => l.text)).toEqual(['— 1 —']);
    expect(pageNumbers(pages[1])).toHaveLength(0);
    expect(texts(pages[1])).toHaveLength(2); // only the 版记
    assertBanji(file, 2, pages[1]);
  });

  it('版记 of a document ending mid-page on an even page: below the text on that page', async () => {
    const file = await renderToFile(renderer, party(twoPageDirective()), 'banji-even-end');
    const pages = readPdfText(file);
    expect(pages).toHaveLength(2);
    expect(texts(pages[1])).toEqual(expect.arrayContaining(['2017年4月21日', '— 2 —']));
    assertBanji(file, 2, pages[1]);
  });

  it('版记 of a document filling its last (even) page: an unnumbered blank page, then the 版记 alone on the next even page', async () => {
    // 35 paragraphs fill page 6 (found by rendering 22..40): the date is on its 21st line, no room for the two 版记 rows
    const file = await renderToFile(renderer, party({ ...twoPageDirective(), body: standardNotice(35).body } as DocumentModel), 'banji-blank-page');
    const pages = readPdfText(file);
    expect(pages).toHaveLength(8);
    const p6 = linesOf(pages[5], (i) => i.size === 16);
    expect(p6[p6.length - 1].text).toBe('2017年4月21日');
    expect(p6[p6.length - 1].baseline).toBeGreaterThan(37 + (20 * 225) / 22); // below line 20
    expect(pageNumbers(pages[5]).map((l) => l.text)).toEqual(['— 6 —']);
    expect(pages[6].items).toHaveLength(0); // blank, no page number
    expect(pageNumbers(pages[7])).toHaveLength(0);
    expect(texts(pages[7])).toHaveLength(2); // only the 版记
    assertBanji(file, 8, pages[7]);
  });

  it('版记 without 抄送: only the first and last rules (0.35 mm), only the 印发机关 and 印发日期 row, nothing of 抄送', async () => {
    const file = await renderToFile(renderer, party({ ...twoPageDirective(), cc: undefined } as DocumentModel), 'banji-no-cc');
    const pages = readPdfText(file);
    expect(pages).toHaveLength(2);
    expect(texts(pages[1])).toEqual(expect.arrayContaining(['2017年4月21日', '— 2 —']));
    expect(pages.flatMap(texts).join('')).not.toContain('抄送');
    assertBanji(file, 2, pages[1], { cc: false });
  });

  /** The 版记 at the foot of a page: its rules (and the middle one only with 抄送), its rows between them. */
  function assertBanji(file: string, pageNo: number, page: PdfPage, { cc: withCc }: { cc: boolean } = { cc: true }): void {
    const r = rasterize(file, pageNo, 600, png(`${file.replace(/.*\//, '').replace('.pdf', '')}-banji`, pageNo), [200, 270]);
    const rules = rulesOf(r, 'dark', 150, 200, 270);
    expect(rules).toHaveLength(withCc ? 3 : 2);
    const [first, last] = [rules[0], rules[rules.length - 1]];
    expect(Math.abs(first.thickness - 0.35)).toBeLessThanOrEqual(0.06);
    if (withCc) expect(Math.abs(rules[1].thickness - 0.25)).toBeLessThanOrEqual(0.06);
    expect(Math.abs(last.thickness - 0.35)).toBeLessThanOrEqual(0.06);
    for (const x of rules) {
      expect(Math.abs(x.width - 156)).toBeLessThanOrEqual(0.5);
      expect(x.left).toBeCloseTo(28, 0);
    }
    expect(Math.abs(last.bottom - 262)).toBeLessThanOrEqual(0.5); // last rule on the text-area bottom
    const rows = linesOf(page, (i) => Math.abs(i.size - 14) < 0.1);
    const printing = rows.find((l) => l.text.endsWith('印发'))!;
    expect(printing.text.replace(/\s/g, '')).toBe('中共大滩乡委员会党建办公室2017年4月21日印发');
    expect(printing.x).toBeCloseTo(28 + ONE_CHAR_14, 0); // 印发机关 左空一字
    expect(printing.right).toBeCloseTo(184 - ONE_CHAR_14, 0); // 印发日期 右空一字
    expect(printing.baseline).toBeGreaterThan(rules[rules.length - 2].bottom);
    expect(printing.baseline).toBeLessThan(last.top);
    if (!withCc) {
      expect(rows.filter((l) => l.baseline > first.top && l.baseline < last.bottom).map((l) => l.text)).toEqual([printing.text]); // the one row
      expect(last.top - first.bottom).toBeLessThan(225 / 22); // one line high
      return;
    }
    const cc = rows.find((l) => l.text.startsWith('抄送：'))!;
    expect(cc.text).toBe('抄送：区委组织部，区扶贫移民局。');
    expect(cc.x).toBeCloseTo(28 + ONE_CHAR_14, 0); // 左空一字
    expect(cc.baseline).toBeGreaterThan(first.bottom);
    expect(cc.baseline).toBeLessThan(rules[1].top);
  }

  it('carries the title, the issuing organ, the number, the creation date and zh-CN in the PDF', async () => {
    const created = new Date('2017-04-21T02:30:00Z');
    const pdf = await renderer.renderPdf(party(twoPageDirective()), { creationDate: created });
    const file = path.join(os.tmpdir(), `gw-meta-${process.pid}.pdf`);
    fs.writeFileSync(file, pdf);
    const info = Object.fromEntries(
      execFileSync('pdfinfo', ['-isodates', file])
        .toString()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    );
    expect(info.Title).toBe('中共大滩乡委员会关于印发《“党建扶贫攻坚年”七大行动实施方案》的通知');
    expect(info.Author).toBe('中共达州市达川区大滩乡委员会');
    expect(info.Subject).toBe('大滩委发〔2017〕58号');
    expect(info.Keywords).toBe('通知');
    expect(info.CreationDate).toBe('2017-04-21T10:30:00+08');
    expect(info.Pages).toBe('2');
    expect(pdf.toString('latin1')).toMatch(/\/Lang \(zh-CN\)/);
    // the update appended to Chromium's bytes leaves them intact and readable
    expect(texts(readPdfText(file)[0])).toContain('大滩委发〔2017〕58号');
    fs.rmSync(file);
  });
});
