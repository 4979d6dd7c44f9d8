import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';

export const PT = 25.4 / 72; // mm per point

export interface TextItem {
  str: string;
  /** mm from the left edge */
  x: number;
  /** baseline, mm from the TOP of the page */
  baseline: number;
  /** font size in pt */
  size: number;
  /** mm */
  width: number;
  font: string;
}
export interface PdfPage {
  widthMm: number;
  heightMm: number;
  items: TextItem[];
}

/** Text positions from pdf.js: the baseline comes from each item's transform. */
export function readPdfText(pdfFile: string): PdfPage[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'pdf-text.mjs'), pdfFile], { maxBuffer: 64 << 20 });
  const pages = JSON.parse(out.toString()) as {
    width: number;
    height: number;
    items: { str: string; x: number; y: number; size: number; width: number; font: string }[];
  }[];
  return pages.map((p) => ({
    widthMm: p.width * PT,
    heightMm: p.height * PT,
    items: p.items.map((i) => ({
      str: i.str,
      x: i.x * PT,
      baseline: (p.height - i.y) * PT,
      size: Math.round(i.size * 100) / 100,
      width: i.width * PT,
      font: i.font,
    })),
  }));
}

/** Items grouped into lines by baseline (±0.3 mm), top to bottom, each line's text joined. */
export function linesOf(
  page: PdfPage,
  filter: (i: TextItem) => boolean = () => true,
): { baseline: number; x: number; right: number; text: string; size: number }[] {
  const lines: { baseline: number; items: TextItem[] }[] = [];
  for (const it of page.items.filter(filter).sort((a, b) => a.baseline - b.baseline || a.x - b.x)) {
    const l = lines.find((x) => Math.abs(x.baseline - it.baseline) < 0.3);
    if (l) l.items.push(it);
    else lines.push({ baseline: it.baseline, items: [it] });
  }
  return lines.map((l) => {
    const items = l.items.sort((a, b) => a.x - b.x);
    return {
      baseline: l.baseline,
      x: items[0].x,
      right: Math.max(...items.map((i) => i.x + i.width)),
      text: items.map((i) => i.str).join(''),
      size: items[0].size,
    };
  });
}

export interface Raster {
  width: number;
  height: number;
  dpi: number;
  data: Buffer;
  file: string;
  /** first row of the crop, in page pixels */
  y0: number;
}

/** One page rasterised by pdftoppm, kept as a PNG under artifacts/ for people to look at. */
export function rasterize(pdfFile: string, pageNo: number, dpi: number, keepAs?: string, bandMm?: [number, number]): Raster {
  const base = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gw-raster-')), 'p');
  const y0 = bandMm ? Math.round((bandMm[0] / 25.4) * dpi) : 0;
  const crop = bandMm
    ? ['-x', '0', '-y', String(y0), '-W', String(Math.round((210 / 25.4) * dpi)), '-H', String(Math.round(((bandMm[1] - bandMm[0]) / 25.4) * dpi))]
    : [];
  execFileSync('pdftoppm', ['-f', String(pageNo), '-l', String(pageNo), '-r', String(dpi), ...crop, '-png', '-singlefile', pdfFile, base]);
  const file = `${base}.png`;
  const png = PNG.sync.read(fs.readFileSync(file));
  if (keepAs) {
    fs.mkdirSync(path.dirname(keepAs), { recursive: true });
    fs.copyFileSync(file, keepAs);
  }
  return { width: png.width, height: png.height, dpi, data: png.data, file, y0 };
}

export const mmToPx = (r: Raster, mm: number) => Math.round((mm / 25.4) * r.dpi);
export const pxToMm = (r: Raster, px: number) => (px / r.dpi) * 25.4;

export type Ink = 'red' | 'dark';
/** x, y in the raster's own pixels (y relative to the crop). */
export function isInk(r: Raster, x: number, y: number, ink: Ink): boolean {
  const i = (y * r.width + x) * 4;
  const [R, G, B] = [r.data[i], r.data[i + 1], r.data[i + 2]];
  return ink === 'red' ? R > 150 && G < 110 && B < 110 : R < 110 && G < 110 && B < 110;
}

/** Per row: the count of ink pixels and the leftmost/rightmost, within [y0,y1) mm. */
export function inkRows(r: Raster, ink: Ink, y0Mm = 0, y1Mm = 297): { y: number; count: number; left: number; right: number }[] {
  const rows = [];
  for (let y = Math.max(0, mmToPx(r, y0Mm) - r.y0); y < Math.min(r.height, mmToPx(r, y1Mm) - r.y0); y++) {
    let count = 0;
    let left = -1;
    let right = -1;
    for (let x = 0; x < r.width; x++) {
      if (!isInk(r, x, y, ink)) continue;
      count++;
      if (left < 0) left = x;
      right = x;
    }
    if (count) rows.push({ y: y + r.y0, count, left, right });
  }
  return rows;
}

/** Horizontal rules: runs of consecutive rows whose ink spans at least minWidthMm, as mm. */
export function rulesOf(
  r: Raster,
  ink: Ink,
  minWidthMm: number,
  y0Mm = 0,
  y1Mm = 297,
): { top: number; bottom: number; thickness: number; left: number; right: number; width: number }[] {
  const wide = inkRows(r, ink, y0Mm, y1Mm).filter((row) => row.count >= mmToPx(r, minWidthMm) * 0.95);
  const groups: (typeof wide)[] = [];
  for (const row of wide) {
    const g = groups[groups.length - 1];
    if (g && row.y === g[g.length - 1].y + 1) g.push(row);
    else groups.push([row]);
  }
  return groups.map((g) => {
    const left = Math.min(...g.map((x) => x.left));
    const right = Math.max(...g.map((x) => x.right)) + 1;
    return {
      top: pxToMm(r, g[0].y),
      bottom: pxToMm(r, g[g.length - 1].y + 1),
      thickness: pxToMm(r, g.length),
      left: pxToMm(r, left),
      right: pxToMm(r, right),
      width: pxToMm(r, right - left),
    };
  });
}

export function pdffonts(pdfFile: string): { name: string; type: string }[] {
  return execFileSync('pdffonts', [pdfFile])
    .toString()
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => {
      const [name, ...rest] = l.trim().split(/\s+/);
      return { name, type: rest.slice(0, 2).join(' ') };
    });
}
