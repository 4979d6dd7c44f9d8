/**
 * What a printed page holds, read back from the PDF Chromium printed: every glyph with its origin, advance,
 * font and colour, every filled or stroked path, every raster image — in page millimetres, y downwards (OFD's
 * page space), in painting order. The OFD export draws exactly these, so its text sits where the PDF's does.
 */
export interface PdfGlyph {
  t: 'glyph';
  /** Unicode text of the glyph ('' when the font maps it to nothing) */
  u: string;
  /** baseline origin, mm */
  x: number;
  y: number;
  /** advance to the next glyph's origin along the baseline, mm (letter spacing included) */
  adv: number;
  /** font size, mm */
  size: number;
  /** horizontal scale of the glyph shapes (1: as designed; a long 发文机关标志 is compressed) */
  hScale: number;
  /** unit direction of the baseline and of the glyph's up axis (OFD page space): [a b c d] of a rotation */
  dir: [number, number, number, number];
  /** PostScript name of the font without the subset prefix (AAAAAA+) */
  font: string;
  color: [number, number, number];
}

export interface PdfPath {
  t: 'path';
  /** M/L/B/Q/C commands as OFD AbbreviatedData tokens, absolute page mm */
  d: (string | number)[];
  fill: [number, number, number] | null;
  stroke: [number, number, number] | null;
  lineWidth: number;
  evenOdd: boolean;
}

export interface PdfImage {
  t: 'image';
  /** maps OFD's unit square (y down) to page mm: [a b c d e f] */
  ctm: [number, number, number, number, number, number];
  width: number;
  height: number;
  /** RGBA, 8 bits per channel */
  rgba: Uint8Array;
}

export type PdfItem = PdfGlyph | PdfPath | PdfImage;

export interface PdfPageContent {
  /** page size, mm */
  width: number;
  height: number;
  items: PdfItem[];
}

/** The parts of pdf.js's API the worker reads (its ES-module types cannot be imported from CommonJS). */
interface PdfJsFont {
  name?: string;
  fontMatrix?: number[];
}
interface PdfJsGlyph {
  unicode?: string;
  width?: number;
  isSpace?: boolean;
}
interface PdfJsImage {
  width: number;
  height: number;
  kind: number;
  data?: Uint8ClampedArray;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each operator has its own argument shape (pdf.js's OPS)
type PdfJsArgs = any[];
interface PdfJsPage {
  view: number[];
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: PdfJsArgs[] }>;
  commonObjs: { get(id: string): unknown };
  objs: { get(id: string, callback: (value: unknown) => void): void };
  cleanup(): void;
}
interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
  destroy(): Promise<void>;
}

export type WorkerRequest = { id: number; pdf: Uint8Array };
export type WorkerResponse = { id: number; pages?: PdfPageContent[]; error?: string };

/**
 * The worker's body. Self-contained (no imports, no closures): it is serialised into a worker thread, which
 * loads pdf.js's ES-module build natively (neither Jest's CommonJS runtime nor the compiled server can import
 * it in-process). Interprets pdf.js's operator list with the PDF graphics state (CTM, text matrix, colours).
 */
export function pdfContentWorkerMain(
  pdfjs: {
    getDocument: (src: object) => { promise: Promise<PdfJsDocument> };
    OPS: Record<string, number>;
  },
  port: { on: (ev: 'message', fn: (m: WorkerRequest) => void) => void; postMessage: (m: WorkerResponse, transfer?: ArrayBuffer[]) => void },
): void {
  type M = [number, number, number, number, number, number];
  type RGB = [number, number, number];
  const O = pdfjs.OPS;
  const mul = (m1: M, m2: M): M => [
    m1[0] * m2[0] + m1[1] * m2[2],
    m1[0] * m2[1] + m1[1] * m2[3],
    m1[2] * m2[0] + m1[3] * m2[2],
    m1[2] * m2[1] + m1[3] * m2[3],
    m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
    m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
  ];
  const apply = (m: M, x: number, y: number): [number, number] => [x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]];
  const r4 = (n: number) => Math.round(n * 10000) / 10000;
  const hex = (s: unknown): RGB => {
    const h = typeof s === 'string' && /^#[0-9a-f]{6}$/i.test(s) ? s : '#000000';
    return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
  };

  interface State {
    ctm: M;
    fill: RGB;
    stroke: RGB;
    lineWidth: number;
    font: PdfJsFont | null;
    fontSize: number;
    charSpacing: number;
    wordSpacing: number;
    hScale: number;
    leading: number;
    rise: number;
    renderMode: number;
  }

  async function page(doc: PdfJsDocument, n: number): Promise<PdfPageContent> {
    const p = await doc.getPage(n);
    const [x0, y0, x1, y1] = p.view as number[];
    const k = 25.4 / 72;
    // PDF user space (points, y up) → OFD page space (mm, y down)
    const base: M = [k, 0, 0, -k, -x0 * k, y1 * k];
    const ops = await p.getOperatorList();
    const items: PdfItem[] = [];
    let s: State = {
      ctm: base,
      fill: [0, 0, 0],
      stroke: [0, 0, 0],
      lineWidth: 1,
      font: null,
      fontSize: 0,
      charSpacing: 0,
      wordSpacing: 0,
      hScale: 1,
      leading: 0,
      rise: 0,
      renderMode: 0,
    };
    const stack: State[] = [];
    let tm: M = [1, 0, 0, 1, 0, 0];
    let tlm: M = [1, 0, 0, 1, 0, 0];
    const fonts = new Map<string, PdfJsFont | null>();
    const fontOf = (id: string) => {
      if (!fonts.has(id)) {
        let f: PdfJsFont | null = null;
        try {
          f = p.commonObjs.get(id) as PdfJsFont;
        } catch {
          f = null;
        }
        fonts.set(id, f);
      }
      return fonts.get(id) ?? null;
    };
    const fontName = (f: PdfJsFont | null) => String(f?.name ?? '').replace(/^[A-Z]{6}\+/, '');
    const moveText = (tx: number, ty: number) => {
      tlm = mul([1, 0, 0, 1, tx, ty], tlm);
      tm = tlm;
    };
    const showText = (glyphs: (number | PdfJsGlyph)[]) => {
      const f = s.font;
      const fm: number[] = f?.fontMatrix ?? [0.001, 0, 0, 0.001, 0, 0];
      for (const g of glyphs) {
        if (typeof g === 'number') {
          tm = mul([1, 0, 0, 1, (-g / 1000) * s.fontSize * s.hScale, 0], tm);
          continue;
        }
        const tx = ((g.width ?? 0) * fm[0] * s.fontSize + s.charSpacing + (g.isSpace ? s.wordSpacing : 0)) * s.hScale;
        const full = mul(tm, s.ctm);
        const trm = mul([s.fontSize * s.hScale, 0, 0, s.fontSize, 0, s.rise], full);
        const [x, y] = [trm[4], trm[5]];
        const sx = Math.hypot(trm[0], trm[1]);
        const sy = Math.hypot(trm[2], trm[3]);
        if (s.renderMode !== 3 && s.renderMode !== 7 && sy > 0 && sx > 0) {
          // OFD's glyph up axis points to -y (page y runs down), so the up vector is negated
          items.push({
            t: 'glyph',
            u: String(g.unicode ?? ''),
            x: r4(x),
            y: r4(y),
            adv: r4(tx * Math.hypot(full[0], full[1])),
            size: r4(sy),
            hScale: r4(sx / sy),
            dir: [r4(trm[0] / sx), r4(trm[1] / sx), r4(-trm[2] / sy), r4(-trm[3] / sy)],
            font: fontName(f),
            color: s.fill,
          });
        }
        tm = mul([1, 0, 0, 1, tx, 0], tm);
      }
    };
    const path = (paint: number, data: ArrayLike<number> | null) => {
      const stroke = [O.stroke, O.closeStroke, O.fillStroke, O.eoFillStroke, O.closeFillStroke, O.closeEOFillStroke].includes(paint);
      const fill = [O.fill, O.eoFill, O.fillStroke, O.eoFillStroke, O.closeFillStroke, O.closeEOFillStroke].includes(paint);
      if ((!stroke && !fill) || !data) return; // clipping paths and endPath paint nothing
      const d: (string | number)[] = [];
      const pt = (x: number, y: number) => apply(s.ctm, x, y).map(r4);
      for (let i = 0; i < data.length;) {
        switch (data[i++]) {
          case 0:
            d.push('M', ...pt(data[i], data[i + 1]));
            i += 2;
            break;
          case 1:
            d.push('L', ...pt(data[i], data[i + 1]));
            i += 2;
            break;
          case 2:
            d.push('B', ...pt(data[i], data[i + 1]), ...pt(data[i + 2], data[i + 3]), ...pt(data[i + 4], data[i + 5]));
            i += 6;
            break;
          case 3:
            d.push('Q', ...pt(data[i], data[i + 1]), ...pt(data[i + 2], data[i + 3]));
            i += 4;
            break;
          case 4:
            d.push('C');
            break;
          default:
            i = data.length;
        }
      }
      if ([O.closeStroke, O.closeFillStroke, O.closeEOFillStroke].includes(paint) && d[d.length - 1] !== 'C') d.push('C');
      const scale = Math.sqrt(Math.abs(s.ctm[0] * s.ctm[3] - s.ctm[1] * s.ctm[2]));
      items.push({
        t: 'path',
        d,
        fill: fill ? s.fill : null,
        stroke: stroke ? s.stroke : null,
        lineWidth: r4(s.lineWidth * scale),
        evenOdd: [O.eoFill, O.eoFillStroke, O.closeEOFillStroke].includes(paint),
      });
    };
    const image = async (img: PdfJsImage | null) => {
      if (!img || !img.data || !img.width || !img.height) return;
      const { width, height, kind } = img;
      const src: Uint8ClampedArray = img.data;
      const rgba = new Uint8Array(width * height * 4);
      if (kind === 3) rgba.set(src.subarray(0, rgba.length));
      else if (kind === 2) {
        for (let i = 0, j = 0; i < width * height; i++, j += 3) {
          rgba[i * 4] = src[j];
          rgba[i * 4 + 1] = src[j + 1];
          rgba[i * 4 + 2] = src[j + 2];
          rgba[i * 4 + 3] = 255;
        }
      } else if (kind === 1) {
        const rowBytes = (width + 7) >> 3;
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            const v = (src[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1 ? 255 : 0;
            rgba.set([v, v, v, 255], (y * width + x) * 4);
          }
      } else return;
      // the image fills PDF's unit square with its first row at the top (y = 1)
      const m = mul([1, 0, 0, -1, 0, 1], s.ctm);
      items.push({ t: 'image', ctm: m.map(r4) as M, width, height, rgba });
    };
    const objImage = (id: string) =>
      new Promise<PdfJsImage | null>((resolve) => {
        try {
          p.objs.get(id, (v) => resolve(v as PdfJsImage));
        } catch {
          resolve(null);
        }
      });

    for (let i = 0; i < ops.fnArray.length; i++) {
      const fn = ops.fnArray[i];
      const a = ops.argsArray[i];
      switch (fn) {
        case O.save:
        case O.beginGroup:
          stack.push(s);
          s = { ...s };
          break;
        case O.restore:
        case O.endGroup:
        case O.paintFormXObjectEnd:
          s = stack.pop() ?? s;
          break;
        case O.paintFormXObjectBegin:
          stack.push(s);
          s = { ...s };
          if (a?.[0]) s.ctm = mul(Array.from(a[0]) as M, s.ctm);
          break;
        case O.transform:
          s.ctm = mul(Array.from(a) as M, s.ctm);
          break;
        case O.setFillRGBColor:
          s.fill = hex(a[0]);
          break;
        case O.setStrokeRGBColor:
          s.stroke = hex(a[0]);
          break;
        case O.setLineWidth:
          s.lineWidth = a[0];
          break;
        case O.setGState:
          for (const [key, value] of a[0] as [string, unknown][]) {
            if (key === 'LW') s.lineWidth = value as number;
            if (key === 'Font') {
              const [id, size] = value as [string, number];
              s.font = fontOf(id);
              s.fontSize = size;
            }
          }
          break;
        case O.beginText:
          tm = [1, 0, 0, 1, 0, 0];
          tlm = tm;
          break;
        case O.setFont:
          s.font = fontOf(a[0]);
          s.fontSize = a[1];
          break;
        case O.setCharSpacing:
          s.charSpacing = a[0];
          break;
        case O.setWordSpacing:
          s.wordSpacing = a[0];
          break;
        case O.setHScale:
          s.hScale = a[0] / 100;
          break;
        case O.setLeading:
          s.leading = a[0];
          break;
        case O.setTextRise:
          s.rise = a[0];
          break;
        case O.setTextRenderingMode:
          s.renderMode = a[0];
          break;
        case O.setTextMatrix: {
          const m = (Array.isArray(a[0]) || ArrayBuffer.isView(a[0]) ? a[0] : a) as ArrayLike<number>;
          tlm = Array.from(m).slice(0, 6) as M;
          tm = tlm;
          break;
        }
        case O.moveText:
          moveText(a[0], a[1]);
          break;
        case O.setLeadingMoveText:
          s.leading = -a[1];
          moveText(a[0], a[1]);
          break;
        case O.nextLine:
          moveText(0, -s.leading);
          break;
        case O.showText:
        case O.showSpacedText:
          showText(a[0]);
          break;
        case O.nextLineShowText:
          moveText(0, -s.leading);
          showText(a[0]);
          break;
        case O.nextLineSetSpacingShowText:
          s.wordSpacing = a[0];
          s.charSpacing = a[1];
          moveText(0, -s.leading);
          showText(a[2]);
          break;
        case O.constructPath:
          path(a[0], a[1]?.[0] ?? null);
          break;
        case O.paintImageXObject:
          await image(await objImage(a[0]));
          break;
        case O.paintInlineImageXObject:
          await image(a[0]);
          break;
        default:
          break;
      }
    }
    p.cleanup();
    return { width: r4((x1 - x0) * k), height: r4((y1 - y0) * k), items };
  }

  port.on('message', (req: WorkerRequest) => {
    void (async () => {
      try {
        const doc = await pdfjs.getDocument({
          data: req.pdf,
          verbosity: 0,
          isOffscreenCanvasSupported: false,
          isImageDecoderSupported: false,
          disableFontFace: true,
          fontExtraProperties: true,
        }).promise;
        const pages: PdfPageContent[] = [];
        try {
          for (let n = 1; n <= doc.numPages; n++) pages.push(await page(doc, n));
        } finally {
          await doc.destroy();
        }
        const transfer = pages.flatMap((pg) => pg.items.flatMap((it) => (it.t === 'image' ? [it.rgba.buffer as ArrayBuffer] : [])));
        port.postMessage({ id: req.id, pages }, transfer);
      } catch (err) {
        port.postMessage({ id: req.id, error: String((err as Error)?.stack ?? err) });
      }
    })();
  });
}
