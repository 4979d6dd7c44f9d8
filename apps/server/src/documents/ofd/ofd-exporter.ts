import { randomUUID } from 'node:crypto';
import { DocumentModel, formatDocNumber } from '../model';
import { DEFAULT_FONT_DIR } from '../render';
import { FontLibrary } from './font-files';
import { OfdInfo, writeOfd } from './ofd-writer';
import { PdfContentReader } from './pdf-content';

export const OFD_CREATOR = '公文排版（GB/T 9704-2012）';

/** The OFD metadata of a document model: title, issuing organ(s), 发文字号, 文种, 成文日期. */
export function ofdInfoOf(model: DocumentModel, opts: { docId?: string; creationDate?: string } = {}): OfdInfo {
  const d = model.docNumber;
  const number = d ? formatDocNumber(d.organCode, d.year, d.serial) : undefined;
  const custom: Record<string, string> = { 文种: model.kind };
  if (number) custom['发文字号'] = number;
  if (model.date) custom['成文日期'] = model.date;
  return {
    docId: (opts.docId ?? randomUUID()).replace(/-/g, '').toLowerCase(),
    title: model.title,
    author: model.issuers.map((i) => i.name).join('、'),
    subject: number,
    keywords: [model.kind],
    creationDate: opts.creationDate ?? model.date ?? new Date().toISOString().slice(0, 10),
    creator: OFD_CREATOR,
    custom,
  };
}

/**
 * PDF → OFD: reads back what Chromium printed (every glyph, rule and image with its position) and writes it as a
 * GB/T 33190 package, so the OFD shows the same pages as the PDF, glyph for glyph. One per process: it keeps a
 * pdf.js worker thread and the installed font files.
 */
export class OfdExporter {
  private readonly reader = new PdfContentReader();
  private readonly fonts: FontLibrary;

  /** The 公文 stand-ins first, then the system's fonts (where the real 方正小标宋简体, 仿宋_GB2312 … are installed). */
  constructor(fontDirs: string[] = [DEFAULT_FONT_DIR, '/usr/local/share/fonts', '/usr/share/fonts']) {
    this.fonts = new FontLibrary(fontDirs);
  }

  async fromPdf(pdf: Buffer, info: OfdInfo): Promise<Buffer> {
    return writeOfd(await this.reader.read(pdf), info, this.fonts);
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
