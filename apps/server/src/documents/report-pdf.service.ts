import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ZONE } from '../calendar/working-calendar';
import { PrismaService } from '../prisma/prisma.service';
import { ArchiveService } from './archive.service';
import type { DocumentModel } from './model';
import { RendererService } from './renderer.service';

/** The reports served this way, each of one kind of record. */
export type ReportKind = 'filings.summary' | 'spotcheck.report';

/**
 * The moment a state is hashed at: a report's model is built once at this fixed time to find its state, so the time it
 * states (成文日期, 截至…) is not part of the state.
 */
const STATE_CLOCK = DateTime.fromISO('2000-01-01T00:00:00', { zone: ZONE });

/** Raised when the layout of report PDFs changes, so every state is rendered again under the new layout. */
const LAYOUT_VERSION = 1;

/**
 * 通报 and reports rendered from records (a requirement's filings, a spot-check round), once per state of those
 * records: the state is the SHA-256 of the report's document model built at a fixed moment. The first request for a
 * state renders it at the current time and archives the PDF (content-addressed, ArchiveService); later requests for
 * the same state get the archived bytes, so two downloads are the same file; a change to the records gives a new
 * state and a new PDF, and the earlier ones stay archived. Renders of one state in this process are shared, and
 * concurrent processes keep the first row written.
 */
@Injectable()
export class ReportPdfService {
  private readonly inFlight = new Map<string, Promise<{ bytes: Buffer; sha256: string; rendered: boolean }>>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly archive: ArchiveService,
    private readonly renderer: RendererService,
  ) {}

  /** The state's key: what the report would say, without when it says it. */
  static stateOf(build: (at: DateTime) => DocumentModel): string {
    return ArchiveService.sha256(Buffer.from(JSON.stringify({ layout: LAYOUT_VERSION, model: build(STATE_CLOCK) })));
  }

  /**
   * The report's PDF for the records' current state: archived bytes when this state was rendered before, else
   * rendered now (`rendered`) and archived.
   */
  async pdf(kind: ReportKind, subjectId: string, build: (at: DateTime) => DocumentModel): Promise<{ bytes: Buffer; sha256: string; rendered: boolean }> {
    const stateSha256 = ReportPdfService.stateOf(build);
    const stored = await this.stored(kind, subjectId, stateSha256);
    if (stored) return { ...stored, rendered: false };
    const key = `${kind}/${subjectId}/${stateSha256}`;
    const running = this.inFlight.get(key);
    if (running) return running.then((r) => ({ ...r, rendered: false }));
    const work = this.renderAndArchive(kind, subjectId, stateSha256, build).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async stored(kind: ReportKind, subjectId: string, stateSha256: string): Promise<{ bytes: Buffer; sha256: string } | null> {
    const row = await this.prisma.reportPdf.findUnique({
      where: { kind_subjectId_stateSha256: { kind, subjectId, stateSha256 } },
      include: { pdf: true },
    });
    return row ? { bytes: await this.archive.read(row.pdf), sha256: row.pdfSha256 } : null;
  }

  private async renderAndArchive(kind: ReportKind, subjectId: string, stateSha256: string, build: (at: DateTime) => DocumentModel) {
    const bytes = await this.renderer.pdf(build(DateTime.now().setZone(ZONE)));
    await this.prisma.$transaction(async (tx) => {
      const pdfSha256 = await this.archive.store(tx, bytes, 'application/pdf');
      await tx.reportPdf.createMany({ data: [{ kind, subjectId, stateSha256, pdfSha256 }], skipDuplicates: true });
    });
    // Another process may have archived this state first: its bytes are the report.
    const first = await this.stored(kind, subjectId, stateSha256);
    return first && first.sha256 !== ArchiveService.sha256(bytes)
      ? { ...first, rendered: false }
      : { bytes, sha256: ArchiveService.sha256(bytes), rendered: true };
  }
}
