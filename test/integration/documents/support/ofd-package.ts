import JSZip from 'jszip';
import * as path from 'node:path';
import { create } from 'xmlbuilder2';

export const OFD_NS = 'http://www.ofdspec.org/2016';

/**
 * The parts of GB/T 33190-2016's schemas (OFD.xsd, Document.xsd, Page.xsd, Res.xsd, Definitions.xsd) that an
 * exported 公文 uses, as content models, checked as strictly as an XSD validator would: for each element, its
 * children in order with their occurrences (`?` 0..1, `*` 0..n, `+` 1..n, none exactly 1; a parenthesised group
 * such as `(CGTransform* TextCode)+` repeats as a whole), every attribute the schema declares for it with its
 * lexical type (an attribute not declared is an error), which of them are required, and the type of its text.
 * `any:` marks a repeated choice (Res, Layer). No XSD for OFD is published on npm, so the model is written here.
 */
type Model = { seq?: string[]; any?: string[]; req?: string[]; attrs?: Record<string, Lex>; text?: Lex };
/**
 * ST_ID / ST_RefID (xs:unsignedInt, IDs start at 1), ST_Box ("x y w h", w and h > 0), ST_Array (numbers, with
 * DeltaX/DeltaY's `g count value` runs), ST_Loc (a path), ST_Pos ("x y"), xs:double, xs:int, xs:boolean, xs:date,
 * xs:string; or an enumeration / a pattern.
 */
type Lex = 'id' | 'refId' | 'box' | 'pos' | 'double' | 'int' | 'array' | 'loc' | 'date' | 'uint' | 'bool' | 'string' | 'docId' | RegExp | string[];

/** CT_GraphicUnit's attributes (Page.xsd), plus the ID each graphic element declares. */
const CT_GRAPHIC: Record<string, Lex> = {
  ID: 'id',
  Boundary: 'box',
  Name: 'string',
  Visible: 'bool',
  CTM: 'array',
  DrawParam: 'refId',
  LineWidth: 'double',
  Cap: ['Butt', 'Round', 'Square'],
  Join: ['Miter', 'Round', 'Bevel'],
  MiterLimit: 'double',
  DashOffset: 'double',
  DashPattern: 'array',
  Alpha: /^(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/,
};
/** CT_Color (Definitions.xsd); the writer gives only Value. */
const CT_COLOR: Model = { seq: [], attrs: { Value: 'array', Index: 'int', ColorSpace: 'refId', Alpha: CT_GRAPHIC.Alpha } };
const TEXT: Model = { seq: [], text: 'string' };
const MODELS: Record<string, Model> = {
  OFD: { seq: ['DocBody+'], req: ['Version', 'DocType'], attrs: { DocType: ['OFD'], Version: /^\d+\.\d+$/ } },
  DocBody: { seq: ['DocInfo', 'DocRoot?', 'Versions?', 'Signatures?'] },
  DocInfo: {
    seq: [
      'DocID?',
      'Title?',
      'Author?',
      'Subject?',
      'Abstract?',
      'CreationDate?',
      'ModDate?',
      'DocUsage?',
      'Cover?',
      'Keywords?',
      'Creator?',
      'CreatorVersion?',
      'CustomDatas?',
    ],
  },
  DocID: { seq: [], text: 'docId' },
  Title: TEXT,
  Author: TEXT,
  Subject: TEXT,
  Abstract: TEXT,
  ModDate: { seq: [], text: 'date' },
  DocUsage: TEXT,
  Keyword: TEXT,
  Creator: TEXT,
  CreatorVersion: TEXT,
  CreationDate: { seq: [], text: 'date' },
  DocRoot: { text: 'loc' },
  Keywords: { seq: ['Keyword+'] },
  CustomDatas: { seq: ['CustomData+'] },
  CustomData: { seq: [], req: ['Name'], attrs: { Name: 'string' }, text: 'string' },
  Document: {
    seq: [
      'CommonData',
      'Pages',
      'Outlines?',
      'Permissions?',
      'Actions?',
      'VPreferences?',
      'Bookmarks?',
      'Annotations?',
      'Attachments?',
      'CustomTags?',
      'Extensions?',
    ],
  },
  CommonData: { seq: ['MaxUnitID', 'PageArea', 'PublicRes*', 'DocumentRes*', 'TemplatePage*', 'DefaultCS?'] },
  MaxUnitID: { text: 'uint' },
  PageArea: { seq: ['PhysicalBox', 'ApplicationBox?', 'ContentBox?', 'BleedBox?'] },
  Area: { seq: ['PhysicalBox', 'ApplicationBox?', 'ContentBox?', 'BleedBox?'] },
  PhysicalBox: { text: 'box' },
  PublicRes: { text: 'loc' },
  DocumentRes: { text: 'loc' },
  Pages: { seq: ['Page+'] },
  'Pages/Page': { seq: [], req: ['ID', 'BaseLoc'], attrs: { ID: 'id', BaseLoc: 'loc' } },
  Res: { any: ['ColorSpaces', 'DrawParams', 'Fonts', 'MultiMedias', 'CompositeGraphicUnits'], req: ['BaseLoc'], attrs: { BaseLoc: 'loc' } },
  Fonts: { seq: ['Font+'] },
  Font: {
    seq: ['FontFile?'],
    req: ['ID', 'FontName'],
    attrs: {
      ID: 'id',
      FontName: 'string',
      FamilyName: 'string',
      Charset: ['symbol', 'prc', 'big5', 'shift-jis', 'wansung', 'johab', 'unicode'],
      Italic: 'bool',
      Bold: 'bool',
      Serif: 'bool',
      FixedWidth: 'bool',
    },
  },
  FontFile: { text: 'loc' },
  MultiMedias: { seq: ['MultiMedia+'] },
  MultiMedia: { seq: ['MediaFile'], req: ['ID', 'Type'], attrs: { ID: 'id', Type: ['Image', 'Audio', 'Video'], Format: 'string' } },
  MediaFile: { text: 'loc' },
  Page: { seq: ['Template*', 'PageRes*', 'Area?', 'Content?', 'Actions?'] },
  Content: { seq: ['Layer+'] },
  Layer: {
    any: ['TextObject', 'PathObject', 'ImageObject', 'CompositeObject', 'PageBlock'],
    req: ['ID'],
    attrs: { ID: 'id', Type: ['Body', 'Background', 'Foreground', 'Custom'], DrawParam: 'refId' },
  },
  // CT_Text: CT_GraphicUnit's Actions? Clips?, then FillColor? StrokeColor?, then (CGTransform 0..n, TextCode) 1..n
  TextObject: {
    seq: ['Actions?', 'Clips?', 'FillColor?', 'StrokeColor?', '(CGTransform* TextCode)+'],
    req: ['ID', 'Boundary', 'Font', 'Size'],
    attrs: {
      ...CT_GRAPHIC,
      Font: 'refId',
      Size: 'double',
      Stroke: 'bool',
      Fill: 'bool',
      HScale: 'double',
      ReadDirection: ['0', '90', '180', '270'],
      CharDirection: ['0', '90', '180', '270'],
      Weight: ['0', '100', '200', '300', '400', '500', '600', '700', '800', '900', '1000'],
      Italic: 'bool',
    },
  },
  CGTransform: { seq: ['Glyphs?'], req: ['CodePosition'], attrs: { CodePosition: 'int', CodeCount: 'int', GlyphCount: 'int' } },
  Glyphs: { text: 'array' },
  TextCode: { seq: [], attrs: { X: 'double', Y: 'double', DeltaX: 'array', DeltaY: 'array' }, text: 'string' },
  PathObject: {
    seq: ['Actions?', 'Clips?', 'StrokeColor?', 'FillColor?', 'AbbreviatedData'],
    req: ['ID', 'Boundary'],
    attrs: { ...CT_GRAPHIC, Stroke: 'bool', Fill: 'bool', Rule: ['NonZero', 'Even-Odd'] },
  },
  AbbreviatedData: { text: /^([MLQBACS](\s+-?\d+(\.\d+)?)*\s*)+$/ },
  ImageObject: {
    seq: ['Actions?', 'Clips?', 'Border?'],
    req: ['ID', 'Boundary', 'ResourceID'],
    attrs: { ...CT_GRAPHIC, ResourceID: 'refId', Substitution: 'refId', ImageMask: 'refId' },
  },
  FillColor: CT_COLOR,
  StrokeColor: CT_COLOR,
};

/** xs:double's lexical space. */
const DOUBLE = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/;
const FINITE = (x: string) => DOUBLE.test(x) && Number.isFinite(Number(x));
const tokens = (v: string) => v.trim().split(/\s+/).filter(Boolean);
function lexOk(lex: Lex, v: string): boolean {
  if (Array.isArray(lex)) return lex.includes(v);
  if (lex instanceof RegExp) return lex.test(v);
  switch (lex) {
    case 'id':
    case 'refId':
    case 'uint':
      return /^[1-9]\d*$/.test(v) && Number(v) <= 0xffffffff;
    case 'int':
      return /^[+-]?\d+$/.test(v) && Math.abs(Number(v)) <= 0x7fffffff;
    case 'double':
      return DOUBLE.test(v);
    case 'box': {
      const p = tokens(v);
      return p.length === 4 && p.every(FINITE) && Number(p[2]) > 0 && Number(p[3]) > 0;
    }
    case 'pos': {
      const p = tokens(v);
      return p.length === 2 && p.every(FINITE);
    }
    case 'array': {
      const t = tokens(v);
      if (!t.length) return false;
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== 'g') {
          if (!FINITE(t[i])) return false;
        } else if (!/^[1-9]\d*$/.test(t[i + 1] ?? '') || !FINITE(t[i + 2] ?? '')) return false;
        else i += 2;
      }
      return true;
    }
    case 'loc':
      return v.length > 0 && !/[\\\s]/.test(v);
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(v);
      if (!m) return false;
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    }
    case 'bool':
      return ['true', 'false', '1', '0'].includes(v);
    case 'string':
      return true;
    case 'docId':
      return /^[0-9a-f]{32}$/i.test(v);
  }
  return false;
}

export interface OfdPackage {
  zip: JSZip;
  files: Map<string, string>;
  /** per page in order: its text (TextCode content joined) and its text objects */
  pages: { file: string; text: string; texts: OfdText[]; paths: Element[]; images: Element[] }[];
  fonts: Map<string, { name: string; file?: string }>;
  media: Map<string, string>;
  docInfo: Record<string, string>;
  /** problems against the schema and the package's own references; empty when the package is valid */
  problems: string[];
}

export interface OfdText {
  font: string;
  size: number;
  /** page mm of each character's origin */
  chars: { ch: string; x: number; y: number }[];
  color: string;
}

const kids = (el: Element) => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
const nums = (s: string | null) => (s ?? '').trim().split(/\s+/).filter(Boolean).map(Number);

/** DeltaX with `g count value` runs expanded. */
export function expandDelta(s: string | null): number[] {
  const t = (s ?? '').trim().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 'g') {
      out.push(...Array.from({ length: Number(t[i + 1]) }, () => Number(t[i + 2])));
      i += 2;
    } else out.push(Number(t[i]));
  }
  return out;
}

type Particle = { name?: string; group?: Particle[]; q: string };

/** `A? (B* C)+ D` → particles. */
function particles(seq: string[]): Particle[] {
  const out: Particle[] = [];
  for (const p of seq) {
    const g = /^\((.*)\)([?*+]?)$/.exec(p);
    if (g) out.push({ group: particles(g[1].split(/\s+/)), q: g[2] });
    else {
      const name = p.replace(/[?*+]$/, '');
      out.push({ name, q: p.slice(name.length) });
    }
  }
  return out;
}

/**
 * Matches children from i against a sequence of particles (the schemas' content models are deterministic, so a
 * greedy match is the XSD one); reports what is missing or repeated, returns the index after the match.
 */
function matchSeq(where: string, ps: Particle[], children: Element[], i: number, problems: string[]): number {
  for (const p of ps) {
    let count = 0;
    if (p.name) {
      while (i < children.length && children[i].localName === p.name) {
        i++;
        count++;
        if (p.q === '' || p.q === '?') break;
      }
    } else {
      for (;;) {
        const tried: string[] = [];
        const j = matchSeq(where, p.group!, children, i, tried);
        if (j === i) break; // the group matches nothing more here
        problems.push(...tried);
        i = j;
        count++;
        if (p.q === '' || p.q === '?') break;
      }
    }
    const label = p.name ?? `(${p.group!.map((x) => `${x.name}${x.q}`).join(' ')})`;
    if ((p.q === '' || p.q === '+') && count === 0) problems.push(`${where} 缺少子元素 ${label}`);
  }
  return i;
}

/** Checks an element tree against MODELS; collects IDs. */
function checkTree(file: string, el: Element, parent: string | null, ids: Map<string, string>, problems: string[]): void {
  const where = `${file}: ${el.localName}`;
  if (el.namespaceURI !== OFD_NS) problems.push(`${where} 不在命名空间 ${OFD_NS} 中`);
  const key = parent === 'Pages' && el.localName === 'Page' ? 'Pages/Page' : el.localName;
  const m = MODELS[key];
  if (!m) {
    problems.push(`${where} 不是本包应出现的元素`);
    return;
  }
  for (const a of m.req ?? []) if (!el.hasAttribute(a)) problems.push(`${where} 缺少必需属性 ${a}`);
  for (const attr of Array.from(el.attributes)) {
    if (attr.name === 'xmlns' || attr.prefix === 'xmlns') continue;
    const lex = attr.namespaceURI ? undefined : m.attrs?.[attr.localName];
    if (lex === undefined) problems.push(`${where} 的属性 ${attr.name} 未在标准中为该元素声明`);
    else if (!lexOk(lex, attr.value)) problems.push(`${where} 属性 ${attr.name}="${attr.value}" 不符合类型`);
  }
  if (el.hasAttribute('ID') && (m.attrs?.ID === 'id' || key === 'Pages/Page')) {
    const id = el.getAttribute('ID')!;
    if (ids.has(id)) problems.push(`${where} ID ${id} 与 ${ids.get(id)} 重复`);
    ids.set(id, where);
  }
  const children = kids(el);
  if (m.text && !lexOk(m.text, (el.textContent ?? '').trim())) problems.push(`${where} 内容“${el.textContent}”不符合类型`);
  if (!m.text && (el.textContent ?? '').trim() && !children.length) problems.push(`${where} 不应有文字内容`);
  if (m.seq) {
    const i = matchSeq(where, particles(m.seq), children, 0, problems);
    if (i < children.length) problems.push(`${where} 的子元素 ${children[i].localName} 不在规定的位置或不允许`);
  } else if (!m.any && children.length) problems.push(`${where} 不允许子元素 ${children[0].localName}`);
  if (m.any) for (const c of children) if (!m.any.includes(c.localName)) problems.push(`${where} 不允许子元素 ${c.localName}`);
  for (const c of children) checkTree(file, c, el.localName, ids, problems);
}

/** One XML part checked against the schema alone (no references between parts); its problems. */
export function checkOfdPart(file: string, xml: string): string[] {
  const problems: string[] = [];
  checkTree(file, create(xml).root().node as unknown as Element, null, new Map(), problems);
  return problems;
}

/** Unzips an OFD package, checks it against the schema and its references, and reads its pages back. */
export async function readOfd(bytes: Buffer): Promise<OfdPackage> {
  const zip = await JSZip.loadAsync(bytes);
  const files = new Map<string, string>();
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir && name.endsWith('.xml')) files.set(name, await f.async('string'));
  const problems: string[] = [];
  const ids = new Map<string, string>();
  const parse = (file: string): Element | null => {
    const xml = files.get(file);
    if (xml === undefined) {
      problems.push(`包内没有 ${file}`);
      return null;
    }
    const root = create(xml).root().node as unknown as Element;
    checkTree(file, root, null, ids, problems);
    return root;
  };
  const exists = (p: string) => !!zip.file(p);
  const resolve = (from: string, loc: string) => (loc.startsWith('/') ? loc.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(from), loc)));
  const byName = (el: Element, name: string) => Array.from(el.getElementsByTagNameNS(OFD_NS, name));

  const ofd = parse('OFD.xml');
  const docInfo: Record<string, string> = {};
  const fonts = new Map<string, { name: string; file?: string }>();
  const media = new Map<string, string>();
  const pages: OfdPackage['pages'] = [];
  if (ofd?.localName !== 'OFD') problems.push('OFD.xml 的根元素不是 ofd:OFD');
  const docRoot = ofd && byName(ofd, 'DocRoot')[0]?.textContent?.trim();
  for (const el of ofd ? kids(byName(ofd, 'DocInfo')[0] ?? ofd) : []) docInfo[el.localName] = el.textContent ?? '';
  if (!docRoot || !exists(docRoot)) problems.push(`DocRoot ${docRoot} 不存在`);
  const document = docRoot ? parse(docRoot) : null;
  if (document) {
    const maxUnitId = Number(byName(document, 'MaxUnitID')[0]?.textContent);
    for (const tag of ['PublicRes', 'DocumentRes']) {
      for (const r of byName(document, tag)) {
        const file = resolve(docRoot!, r.textContent!.trim());
        const res = parse(file);
        if (!res) continue;
        const base = resolve(file, `${res.getAttribute('BaseLoc') ?? '.'}/x`).replace(/\/x$/, '');
        for (const f of byName(res, 'Font')) {
          const loc = byName(f, 'FontFile')[0]?.textContent?.trim();
          const fontPath = loc ? `${base}/${loc}` : undefined;
          if (fontPath && !exists(fontPath)) problems.push(`字体文件 ${fontPath} 不存在`);
          fonts.set(f.getAttribute('ID')!, { name: f.getAttribute('FontName')!, file: fontPath });
        }
        for (const mm of byName(res, 'MultiMedia')) {
          const mediaPath = `${base}/${byName(mm, 'MediaFile')[0]?.textContent?.trim()}`;
          if (!exists(mediaPath)) problems.push(`多媒体文件 ${mediaPath} 不存在`);
          media.set(mm.getAttribute('ID')!, mediaPath);
        }
      }
    }
    const referenced = new Set<string>();
    for (const p of byName(byName(document, 'Pages')[0], 'Page')) {
      const file = resolve(docRoot!, p.getAttribute('BaseLoc')!);
      referenced.add(file);
      const page = parse(file);
      if (!page) continue;
      const texts: OfdText[] = [];
      for (const t of byName(page, 'TextObject')) {
        const font = t.getAttribute('Font')!;
        if (!fonts.has(font)) problems.push(`${file}: TextObject ${t.getAttribute('ID')} 引用的字体 ${font} 不存在`);
        const [bx, by] = nums(t.getAttribute('Boundary'));
        const ctm = t.getAttribute('CTM') ? nums(t.getAttribute('CTM')) : [1, 0, 0, 1, 0, 0];
        const chars: OfdText['chars'] = [];
        let x = 0;
        let y = 0;
        for (const code of byName(t, 'TextCode')) {
          const s = [...(code.textContent ?? '')];
          x = code.hasAttribute('X') ? Number(code.getAttribute('X')) : x;
          y = code.hasAttribute('Y') ? Number(code.getAttribute('Y')) : y;
          const dx = expandDelta(code.getAttribute('DeltaX'));
          if (dx.length > Math.max(0, s.length - 1)) problems.push(`${file}: TextCode 的 DeltaX 有 ${dx.length} 个值，多于字符间隔数 ${s.length - 1}`);
          s.forEach((ch, i) => {
            if (i > 0) x += dx[i - 1] ?? 0;
            chars.push({ ch, x: bx + ctm[0] * x + ctm[2] * y + ctm[4], y: by + ctm[1] * x + ctm[3] * y + ctm[5] });
          });
        }
        const color = byName(t, 'FillColor')[0]?.getAttribute('Value') ?? '0 0 0';
        texts.push({ font, size: Number(t.getAttribute('Size')), chars, color });
      }
      const images = byName(page, 'ImageObject');
      for (const im of images)
        if (!media.has(im.getAttribute('ResourceID')!)) problems.push(`${file}: ImageObject 引用的资源 ${im.getAttribute('ResourceID')} 不存在`);
      pages.push({ file, text: texts.map((t) => t.chars.map((c) => c.ch).join('')).join(''), texts, paths: byName(page, 'PathObject'), images });
    }
    for (const f of files.keys()) if (/\/Content\.xml$/.test(f) && !referenced.has(f)) problems.push(`${f} 没有被 Document.xml 的 Pages 引用`);
    for (const id of ids.keys()) if (Number(id) > maxUnitId) problems.push(`ID ${id} 大于 MaxUnitID ${maxUnitId}`);
  }
  return { zip, files, pages, fonts, media, docInfo, problems };
}
