/**
 * The document information dictionary of a rendered 公文 (title, issuing organ, number, dates), written as an
 * incremental update: the bytes Chromium printed stay as they are and a new Info object, xref section and trailer
 * are appended (ISO 32000-1 7.5.6). Chromium itself only writes the page title and its own name; the language
 * (/Lang zh-CN, from <html lang>) is in the catalog of the tagged PDF it prints.
 */
export interface PdfInfo {
  title: string;
  /** 发文机关 */
  author: string;
  /** 发文字号 */
  subject?: string;
  keywords?: string;
  creator?: string;
  creationDate: Date;
}

export interface PdfTrailer {
  size: number;
  root: string;
  info?: string;
  id?: string;
  startxref: number;
}

/** Reads the last trailer of a PDF with a classic cross-reference table (what Chromium/Skia writes). */
export function readTrailer(pdf: Buffer): PdfTrailer {
  const tail = pdf.subarray(Math.max(0, pdf.length - 4096)).toString('latin1');
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const t = tail.lastIndexOf('trailer');
  if (!sx || t < 0) throw new Error('PDF 结构无法识别：没有 trailer 或 startxref');
  const dict = tail.slice(t, tail.lastIndexOf('startxref'));
  const size = /\/Size\s+(\d+)/.exec(dict);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(dict);
  if (!size || !root) throw new Error('PDF 结构无法识别：trailer 缺少 /Size 或 /Root');
  return {
    size: Number(size[1]),
    root: root[1],
    info: /\/Info\s+(\d+\s+\d+\s+R)/.exec(dict)?.[1],
    id: /\/ID\s*(\[[^\]]*\])/.exec(dict)?.[1],
    startxref: Number(sx[1]),
  };
}

/** A text string in UTF-16BE with BOM, as hex (safe for any character). */
export function pdfText(s: string): string {
  const b = Buffer.alloc(2 + s.length * 2);
  b.writeUInt16BE(0xfeff, 0);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), 2 + i * 2);
  return `<${b.toString('hex').toUpperCase()}>`;
}

/** D:YYYYMMDDHHmmSS+08'00' in Asia/Shanghai (no daylight saving there, so a fixed offset is exact). */
export function pdfDate(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}+08'00'`;
}

export function withInfo(pdf: Buffer, info: PdfInfo): Buffer {
  const tr = readTrailer(pdf);
  const num = tr.size;
  const date = pdfDate(info.creationDate);
  const entries = [
    `/Title ${pdfText(info.title)}`,
    `/Author ${pdfText(info.author)}`,
    info.subject ? `/Subject ${pdfText(info.subject)}` : '',
    info.keywords ? `/Keywords ${pdfText(info.keywords)}` : '',
    info.creator ? `/Creator ${pdfText(info.creator)}` : '',
    `/Producer (Skia/PDF)`,
    `/CreationDate (${date})`,
    `/ModDate (${date})`,
  ].filter(Boolean);
  const sep = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const objOffset = pdf.length + sep.length;
  const obj = `${num} 0 obj\n<<${entries.join(' ')}>>\nendobj\n`;
  const xrefOffset = objOffset + Buffer.byteLength(obj, 'latin1');
  const trailer =
    `xref\n${num} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${num + 1} /Root ${tr.root} /Info ${num} 0 R${tr.id ? ` /ID ${tr.id}` : ''} /Prev ${tr.startxref}>>\n` +
    `startxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(sep + obj + trailer, 'latin1')]);
}
