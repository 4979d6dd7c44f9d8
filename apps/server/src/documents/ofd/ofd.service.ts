import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Actor } from '../../audit/actor';
import { ZONE } from '../../calendar/working-calendar';
import { PrismaService } from '../../prisma/prisma.service';
import { DocumentsService, parseModel } from '../documents.service';
import { OfdExporter, ofdInfoOf } from './ofd-exporter';

const RECENT = 16;

/** 版式文件 OFD (GB/T 33190-2016) of an issued document, converted from its archived PDF: the same pages, glyph for glyph. */
@Injectable()
export class OfdService implements OnModuleDestroy {
  private exporter?: OfdExporter;
  /** the last few exports by archived PDF: an issued document's PDF never changes, so neither does its OFD */
  private readonly recent = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly documents: DocumentsService,
    private readonly prisma: PrismaService,
  ) {}

  /** For whoever may download the PDF (the same scope checks); a draft has none, like the PDF. */
  async forDocument(actor: Actor, id: string): Promise<{ bytes: Buffer; filename: string }> {
    const pdf = await this.documents.archivedPdf(actor, id, 'ofd');
    const doc = await this.prisma.document.findUniqueOrThrow({ where: { id }, select: { model: true, signedAt: true } });
    const model = parseModel(doc.model);
    const signedOn = doc.signedAt ? DateTime.fromJSDate(doc.signedAt, { zone: ZONE }).toISODate()! : undefined;
    const key = `${id}:${pdf.sha256}`;
    let bytes = this.recent.get(key);
    if (!bytes) {
      this.exporter ??= new OfdExporter();
      const info = ofdInfoOf(model, { docId: id, creationDate: signedOn });
      info.custom = { ...info.custom, PDF文件SHA256: pdf.sha256 };
      bytes = this.exporter.fromPdf(pdf.bytes, info);
      this.recent.set(key, bytes);
      bytes.catch(() => this.recent.delete(key));
      if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
    }
    return { bytes: await bytes, filename: pdf.filename.replace(/\.pdf$/, '.ofd') };
  }

  async onModuleDestroy(): Promise<void> {
    await this.exporter?.close();
  }
}
