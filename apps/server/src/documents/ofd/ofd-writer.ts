import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { FontLibrary } from './font-files';
import type { PdfGlyph, PdfImage, PdfPageContent, PdfPath } from './pdf-content';

export const OFD_NS = 'http://www.ofdspec.org/2016';

/** 文档元数据 (GB/T 33190-2016 7.5 CT_DocInfo). */
export interface OfdInfo {
  /** 32 hexadecimal digits, unique per document */
  docId: string;
  title: string;
  /** the issuing organ(s) */
  author: string;
  /** 发文字号 */
  subject?: string;
  /** 文种 */
  keywords?: string[];
  /** YYYY-MM-DD */
  creationDate: string;
  creator?: string;
  creatorVersion?: string;
  /** extra name/value pairs (CustomData) */
  custom?: Record<string, string>;
}

/** A4: every 公文 page (GB/T 9704 5.2.1). */
const PAGE_BOX = '0 0 210 297';

const n = (v: number) => String(Math.round(v * 1000) / 1000);
const rgb = (c: [number, number, number]) => c.join(' ');

/** DeltaX with runs of one value written as `g count value` (GB/T 33190 11.3). */
export function deltaX(values: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i + 1;
    while (j < values.length && n(values[j]) === n(values[i])) j++;
    out.push(j - i > 2 ? `g ${j - i} ${n(values[i])}` : Array.from({ length: j - i }, () => n(values[i])).join(' '));
    i = j;
  }
  return out.join(' ');
}

/** Same run of text: same font, size, colour, upright, on the same baseline, left to right. */
function continues(a: PdfGlyph, b: PdfGlyph): boolean {
  return (
    upright(a) &&
    upright(b) &&
    a.font === b.font &&
    Math.abs(a.size - b.size) < 1e-3 &&
    Math.abs(a.hScale - b.hScale) < 1e-3 &&
    a.color.join() === b.color.join() &&
    Math.abs(a.y - b.y) < 0.01 &&
    b.x > a.x - 0.01
  );
}
const upright = (g: PdfGlyph) => Math.abs(g.dir[0] - 1) < 1e-4 && Math.abs(g.dir[3] - 1) < 1e-4 && Math.abs(g.dir[1]) < 1e-4 && Math.abs(g.dir[2]) < 1e-4;

/**
 * Writes an OFD package (GB/T 33190-2016) of the pages read from a PDF: OFD.xml with the document's metadata,
 * Doc_0/Document.xml (A4 page area, resources, pages), PublicRes.xml with the fonts (subsets of the installed
 * font files, embedded), DocumentRes.xml with the images (PNG), and one Content.xml per page whose text objects
 * carry every glyph at the PDF's position (X, Y, DeltaX in mm), whose path objects are the PDF's rules, star and
 * seal outlines, and whose image objects are its raster images (an organ's seal given as PNG or JPEG).
 */
export async function writeOfd(pages: PdfPageContent[], info: OfdInfo, fonts: FontLibrary): Promise<Buffer> {
  let lastId = 0;
  const nextId = () => ++lastId;
  const zip = new JSZip();
  const xml = (root: string, attrs: Record<string, string> = {}) => create({ version: '1.0', encoding: 'UTF-8' }).ele(OFD_NS, `ofd:${root}`, attrs);
  // entries dated the document's day, so the same PDF and metadata always give the same bytes
  const date = new Date(`${info.creationDate}T00:00:00`);
  const entry = { date: Number.isNaN(date.getTime()) ? new Date(0) : date };
  const put = (file: string, doc: XMLBuilder) => zip.file(file, doc.end({ prettyPrint: false }), entry);

  // Resources first: fonts by PostScript name, images by content.
  const fontIds = new Map<string, { id: number; text: Set<string> }>();
  const images = new Map<string, { id: number; png: Buffer }>();
  for (const page of pages)
    for (const it of page.items) {
      if (it.t === 'glyph') {
        let f = fontIds.get(it.font);
        if (!f) fontIds.set(it.font, (f = { id: nextId(), text: new Set() }));
        for (const ch of it.u) f.text.add(ch);
      } else if (it.t === 'image') {
        const key = createHash('sha256').update(it.rgba).digest('hex');
        if (!images.has(key))
          images.set(key, {
            id: nextId(),
            png: PNG.sync.write(Object.assign(new PNG({ width: it.width, height: it.height }), { data: Buffer.from(it.rgba) })),
          });
      }
    }

  const publicRes = xml('Res', { BaseLoc: 'Res' });
  const fontsEl = publicRes.ele('ofd:Fonts');
  for (const [name, f] of fontIds) {
    const file = fonts.find(name);
    const el = fontsEl.ele('ofd:Font', { ID: String(f.id), FontName: name, FamilyName: file?.family ?? name });
    // a font that is not installed, or cannot be subset, is named only: the reader uses its own copy
    const subset = file ? await fonts.subset(file, [...f.text].join('')).catch(() => null) : null;
    if (subset) {
      const loc = `font_${f.id}.ttf`;
      zip.file(`Doc_0/Res/${loc}`, subset, entry);
      el.ele('ofd:FontFile').txt(loc);
    }
  }
  const documentRes = xml('Res', { BaseLoc: 'Res' });
  if (images.size) {
    const media = documentRes.ele('ofd:MultiMedias');
    for (const img of images.values()) {
      const loc = `image_${img.id}.png`;
      zip.file(`Doc_0/Res/${loc}`, img.png, entry);
      media
        .ele('ofd:MultiMedia', { ID: String(img.id), Type: 'Image', Format: 'PNG' })
        .ele('ofd:MediaFile')
        .txt(loc);
    }
  }

  const pageIds: number[] = [];
  pages.forEach((page, index) => {
    pageIds.push(nextId());
    const doc = xml('Page');
    doc.ele('ofd:Area').ele('ofd:PhysicalBox').txt(PAGE_BOX);
    const layer = doc.ele('ofd:Content').ele('ofd:Layer', { ID: String(nextId()), Type: 'Body' });
    const items = page.items;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.t === 'glyph') {
        const run = [it];
        while (i + 1 < items.length && items[i + 1].t === 'glyph' && continues(run[run.length - 1], items[i + 1] as PdfGlyph)) run.push(items[++i] as PdfGlyph);
        textObject(layer, run, fontIds.get(it.font)!.id, nextId());
      } else if (it.t === 'path') pathObject(layer, it, nextId());
      else imageObject(layer, it, images.get(createHash('sha256').update(it.rgba).digest('hex'))!.id, nextId());
    }
    put(`Doc_0/Pages/Page_${index}/Content.xml`, doc);
  });

  const document = xml('Document');
  const common = document.ele('ofd:CommonData');
  common.ele('ofd:MaxUnitID').txt(String(lastId));
  common.ele('ofd:PageArea').ele('ofd:PhysicalBox').txt(PAGE_BOX);
  common.ele('ofd:PublicRes').txt('PublicRes.xml');
  common.ele('ofd:DocumentRes').txt('DocumentRes.xml');
  const pagesEl = document.ele('ofd:Pages');
  pageIds.forEach((id, index) => pagesEl.ele('ofd:Page', { ID: String(id), BaseLoc: `Pages/Page_${index}/Content.xml` }));
  put('Doc_0/Document.xml', document);
  put('Doc_0/PublicRes.xml', publicRes);
  put('Doc_0/DocumentRes.xml', documentRes);

  const ofd = xml('OFD', { Version: '1.0', DocType: 'OFD' });
  const body = ofd.ele('ofd:DocBody');
  const di = body.ele('ofd:DocInfo');
  di.ele('ofd:DocID').txt(info.docId);
  di.ele('ofd:Title').txt(info.title);
  di.ele('ofd:Author').txt(info.author);
  if (info.subject) di.ele('ofd:Subject').txt(info.subject);
  di.ele('ofd:CreationDate').txt(info.creationDate);
  if (info.keywords?.length) {
    const kw = di.ele('ofd:Keywords');
    for (const k of info.keywords) kw.ele('ofd:Keyword').txt(k);
  }
  if (info.creator) di.ele('ofd:Creator').txt(info.creator);
  if (info.creatorVersion) di.ele('ofd:CreatorVersion').txt(info.creatorVersion);
  const custom = Object.entries(info.custom ?? {});
  if (custom.length) {
    const cd = di.ele('ofd:CustomDatas');
    for (const [name, value] of custom) cd.ele('ofd:CustomData', { Name: name }).txt(value);
  }
  body.ele('ofd:DocRoot').txt('Doc_0/Document.xml');
  put('OFD.xml', ofd);

  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** HScale (GB/T 33190 11.2): the glyphs' horizontal compression, when there is one. */
const hScale = (g: PdfGlyph): Record<string, string> => (Math.abs(g.hScale - 1) > 1e-3 ? { HScale: n(g.hScale) } : {});

/** One run of glyphs: the Boundary spans the run from the ascent to the descent; X/Y/DeltaX are relative to it. */
function textObject(layer: XMLBuilder, run: PdfGlyph[], fontId: number, id: number): void {
  const g0 = run[0];
  const size = g0.size;
  const chars: string[] = [];
  const xs: number[] = [];
  for (const g of run) {
    const cs = [...g.u];
    cs.forEach((c, k) => {
      chars.push(c);
      xs.push(g.x + (g.adv * k) / cs.length);
    });
  }
  if (!chars.length) return;
  const last = run[run.length - 1];
  if (upright(g0)) {
    const left = g0.x;
    // room for tall CJK ascents (小标宋 reaches 1.15 em above the baseline) and descents: readers may clip to it
    const top = g0.y - size * 1.2;
    const width = Math.max(last.x + last.adv - left, size);
    const obj = layer.ele('ofd:TextObject', {
      ID: String(id),
      Boundary: `${n(left)} ${n(top)} ${n(width)} ${n(size * 1.6)}`,
      Font: String(fontId),
      Size: n(size),
      ...hScale(g0),
    });
    if (g0.color.some((c) => c !== 0)) obj.ele('ofd:FillColor', { Value: rgb(g0.color) });
    const attrs: Record<string, string> = { X: n(xs[0] - left), Y: n(g0.y - top) };
    if (xs.length > 1) attrs.DeltaX = deltaX(xs.slice(1).map((x, k) => x - xs[k]));
    obj.ele('ofd:TextCode', attrs).txt(chars.join(''));
    return;
  }
  // A turned glyph (a seal's letters): drawn at the origin and placed by the object's CTM.
  const [a, b, c, d] = g0.dir;
  const pad = size * 1.5;
  const left = g0.x - pad;
  const top = g0.y - pad;
  const obj = layer.ele('ofd:TextObject', {
    ID: String(id),
    Boundary: `${n(left)} ${n(top)} ${n(pad * 2)} ${n(pad * 2)}`,
    CTM: `${a} ${b} ${c} ${d} ${n(g0.x - left)} ${n(g0.y - top)}`,
    Font: String(fontId),
    Size: n(size),
    ...hScale(g0),
  });
  if (g0.color.some((v) => v !== 0)) obj.ele('ofd:FillColor', { Value: rgb(g0.color) });
  obj.ele('ofd:TextCode', { X: '0', Y: '0' }).txt(chars.join(''));
}

function pathObject(layer: XMLBuilder, p: PdfPath, id: number): void {
  const xs: number[] = [];
  const ys: number[] = [];
  let axis = 0;
  for (const t of p.d)
    if (typeof t === 'number') {
      (axis++ % 2 ? ys : xs).push(t);
    }
  if (!xs.length) return;
  const padding = p.stroke ? p.lineWidth / 2 : 0;
  const left = Math.min(...xs) - padding;
  const top = Math.min(...ys) - padding;
  const width = Math.max(Math.max(...xs) + padding - left, 0.001);
  const height = Math.max(Math.max(...ys) + padding - top, 0.001);
  axis = 0;
  const data = p.d.map((t) => (typeof t === 'number' ? n(axis++ % 2 ? t - top : t - left) : t)).join(' ');
  const attrs: Record<string, string> = {
    ID: String(id),
    Boundary: `${n(left)} ${n(top)} ${n(width)} ${n(height)}`,
    Stroke: String(!!p.stroke),
    Fill: String(!!p.fill),
  };
  if (p.stroke) attrs.LineWidth = n(p.lineWidth);
  if (p.evenOdd) attrs.Rule = 'Even-Odd';
  const obj = layer.ele('ofd:PathObject', attrs);
  if (p.stroke) obj.ele('ofd:StrokeColor', { Value: rgb(p.stroke) });
  if (p.fill) obj.ele('ofd:FillColor', { Value: rgb(p.fill) });
  obj.ele('ofd:AbbreviatedData').txt(data);
}

function imageObject(layer: XMLBuilder, img: PdfImage, resourceId: number, id: number): void {
  const [a, b, c, d, e, f] = img.ctm;
  const corners = [
    [e, f],
    [a + e, b + f],
    [c + e, d + f],
    [a + c + e, b + d + f],
  ];
  const left = Math.min(...corners.map((p) => p[0]));
  const top = Math.min(...corners.map((p) => p[1]));
  const width = Math.max(...corners.map((p) => p[0])) - left;
  const height = Math.max(...corners.map((p) => p[1])) - top;
  layer.ele('ofd:ImageObject', {
    ID: String(id),
    Boundary: `${n(left)} ${n(top)} ${n(width)} ${n(height)}`,
    CTM: [a, b, c, d, e - left, f - top].map(n).join(' '),
    ResourceID: String(resourceId),
  });
}
