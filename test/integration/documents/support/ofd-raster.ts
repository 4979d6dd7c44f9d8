import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import puppeteer from 'puppeteer-core';
import { create } from 'xmlbuilder2';
import { chromePath } from './chrome-path';
import { OFD_NS, OfdPackage, expandDelta } from './ofd-package';
import { Raster, rasterize } from './pdf-probe';

/**
 * A minimal OFD viewer for tests: draws a page of a package the way GB/T 33190 defines it (objects placed by
 * Boundary and CTM, text at X/Y/DeltaX in the embedded fonts, paths from AbbreviatedData, images in the unit
 * square) as SVG in Chromium, and rasterises it, so the page can be laid over the PDF's raster.
 */
const nums = (s: string | null) => (s ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const color = (el: Element, tag: string) => {
  const c = el.getElementsByTagNameNS(OFD_NS, tag)[0]?.getAttribute('Value');
  return c ? `rgb(${nums(c).join(',')})` : null;
};

function pathData(abbr: string): string {
  const map: Record<string, string> = { M: 'M', L: 'L', B: 'C', Q: 'Q', C: 'Z', S: 'M' };
  return abbr.replace(/[A-Z]/g, (t) => map[t] ?? t);
}

async function pageSvg(pkg: OfdPackage, index: number): Promise<string> {
  const file = pkg.pages[index].file;
  const root = create(pkg.files.get(file)!).root().node as unknown as Element;
  const parts: string[] = [];
  const place = (el: Element, inner: string) => {
    const [x, y] = nums(el.getAttribute('Boundary'));
    const ctm = el.getAttribute('CTM') ? nums(el.getAttribute('CTM')) : [1, 0, 0, 1, 0, 0];
    parts.push(`<g transform="translate(${x} ${y}) matrix(${ctm.join(' ')})">${inner}</g>`);
  };
  for (const layer of Array.from(root.getElementsByTagNameNS(OFD_NS, 'Layer')))
    for (const el of Array.from(layer.childNodes).filter((n): n is Element => n.nodeType === 1)) {
      if (el.localName === 'TextObject') {
        const codes = Array.from(el.getElementsByTagNameNS(OFD_NS, 'TextCode'));
        let inner = '';
        for (const code of codes) {
          const chars = [...(code.textContent ?? '')];
          const dx = expandDelta(code.getAttribute('DeltaX'));
          let x = Number(code.getAttribute('X') ?? 0);
          const xs = chars.map((_, k) => (k === 0 ? x : (x += dx[k - 1] ?? 0)));
          const font = `font-family="ofd${el.getAttribute('Font')}" font-size="${el.getAttribute('Size')}" fill="${color(el, 'FillColor') ?? 'black'}" style="white-space:pre"`;
          const h = Number(el.getAttribute('HScale') ?? 1);
          // HScale narrows each glyph's shape, not the positions DeltaX gives
          if (h !== 1)
            chars.forEach((c, k) => (inner += `<text transform="translate(${xs[k]} ${code.getAttribute('Y')}) scale(${h} 1)" ${font}>${esc(c)}</text>`));
          else inner += `<text x="${xs.join(' ')}" y="${code.getAttribute('Y')}" ${font}>${esc(chars.join(''))}</text>`;
        }
        place(el, inner);
      } else if (el.localName === 'PathObject') {
        const d = pathData(el.getElementsByTagNameNS(OFD_NS, 'AbbreviatedData')[0].textContent ?? '');
        const fill = el.getAttribute('Fill') === 'true' ? (color(el, 'FillColor') ?? 'black') : 'none';
        const stroke = el.getAttribute('Stroke') !== 'false' ? (color(el, 'StrokeColor') ?? 'black') : 'none';
        const rule = el.getAttribute('Rule') === 'Even-Odd' ? 'evenodd' : 'nonzero';
        place(el, `<path d="${d}" fill="${fill}" fill-rule="${rule}" stroke="${stroke}" stroke-width="${el.getAttribute('LineWidth') ?? 0.353}"/>`);
      } else if (el.localName === 'ImageObject') {
        const media = pkg.media.get(el.getAttribute('ResourceID')!)!;
        const png = (await pkg.zip.file(media)!.async('nodebuffer')).toString('base64');
        place(el, `<image href="data:image/png;base64,${png}" x="0" y="0" width="1" height="1" preserveAspectRatio="none"/>`);
      }
    }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">${parts.join('')}</svg>`;
}

/** Rasters of the package's pages at `dpi`, drawn by Chromium from the OFD alone (its embedded fonts, no system fonts). */
export async function rasterizeOfd(pkg: OfdPackage, dpi: number): Promise<Raster[]> {
  const faces: string[] = [];
  for (const [id, f] of pkg.fonts)
    if (f.file)
      faces.push(`@font-face{font-family:"ofd${id}";src:url(data:font/ttf;base64,${(await pkg.zip.file(f.file)!.async('nodebuffer')).toString('base64')})}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-ofd-raster-'));
  const browser = await puppeteer.launch({
    executablePath: chromePath(),
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--font-render-hinting=none', `--user-data-dir=${dir}`],
  });
  try {
    const page = await browser.newPage();
    const width = Math.round((210 / 25.4) * dpi);
    const height = Math.round((297 / 25.4) * dpi);
    await page.setViewport({ width: Math.ceil((210 / 25.4) * 96), height: Math.ceil((297 / 25.4) * 96), deviceScaleFactor: dpi / 96 });
    const out: Raster[] = [];
    for (let i = 0; i < pkg.pages.length; i++) {
      await page.setContent(
        `<!doctype html><html><head><style>${faces.join('')}html,body{margin:0;background:#fff}svg{display:block}</style></head><body>${await pageSvg(pkg, i)}</body></html>`,
      );
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const shot = PNG.sync.read(Buffer.from(await page.screenshot({ clip: { x: 0, y: 0, width: (210 / 25.4) * 96, height: (297 / 25.4) * 96 } })));
      // stride: the raster's own row length is the screenshot's
      out.push(
        Object.assign(
          { width: Math.min(width, shot.width), height: Math.min(height, shot.height), dpi, data: shot.data, file: '', y0: 0 },
          { stride: shot.width },
        ),
      );
    }
    return out;
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How much of one raster's ink (dark or red) has no ink of the same kind within `radius` pixels in the other, both
 * ways, as a share of all ink: 0 for the same picture, whatever anti-aliasing each renderer used.
 */
export function inkMismatch(a: Raster, b: Raster, kind: 'dark' | 'red', radius = 2): { share: number; inkA: number; inkB: number } {
  const mask = (r: Raster) => {
    const stride = (r as Raster & { stride?: number }).stride ?? r.width;
    const w = Math.min(a.width, b.width);
    const h = Math.min(a.height, b.height);
    const m = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = (y * stride + x) * 4;
        const [R, G, B] = [r.data[i], r.data[i + 1], r.data[i + 2]];
        m[y * w + x] = kind === 'red' ? (R > 150 && G < 110 && B < 110 ? 1 : 0) : R < 110 && G < 110 && B < 110 ? 1 : 0;
      }
    return { m, w, h };
  };
  const A = mask(a);
  const B = mask(b);
  const { w, h } = A;
  const near = (m: Uint8Array, x: number, y: number) => {
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h && m[yy * w + xx]) return true;
      }
    return false;
  };
  let inkA = 0;
  let inkB = 0;
  let miss = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (A.m[y * w + x]) {
        inkA++;
        if (!near(B.m, x, y)) miss++;
      }
      if (B.m[y * w + x]) {
        inkB++;
        if (!near(A.m, x, y)) miss++;
      }
    }
  return { share: inkA + inkB ? miss / (inkA + inkB) : 0, inkA, inkB };
}

export { rasterize };
