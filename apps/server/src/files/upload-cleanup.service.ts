import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { PrismaService } from '../prisma/prisma.service';

/** Files removed per transaction: a round goes on until none is left. */
const BATCH = 50;
/** A large object without a row this old was left by a crash between writing it and its row (never seconds apart). */
const STRAY_OBJECT_MS = 3600_000;

export interface SweepResult {
  removed: number;
  /** Large objects left without a row by a crash mid-upload. */
  strays: number;
}

/**
 * Removes uploads that no saved record ever referred to (FilesService.assertStored marks a file attached when a filing,
 * a finding, an accountability case or a commendation refers to it), once the grace period since their last upload is
 * over — so a file uploaded and then abandoned (or uploaded only to fill the disk) is not kept for ever.
 *
 * Runs in the worker beside the notices' relay (DeliveryDispatcher), on a timer: a periodic database chore, with nothing
 * for a workflow to wait on or retry. Each batch deletes the rows and unlinks their large objects in one transaction,
 * with its audit records; rows are claimed with SKIP LOCKED, so several workers share the work, and an upload or an
 * attach of the same file at that moment waits for the row lock and then sees it gone or kept. Generated documents'
 * PDFs are never touched: they were never uploaded (uploaded_at is null) or a document refers to them.
 */
@Injectable()
export class UploadCleanupService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Uploads');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((err) => this.logger.error({ err }, '清理未使用的上传文件出错'))
        .then(() => this.schedule(this.config.UPLOAD_CLEANUP_INTERVAL_MINUTES * 60_000));
    }, ms);
    this.timer.unref?.();
  }

  /** Removes every upload unattached since before `now` minus the grace period. */
  async sweep(now = new Date()): Promise<SweepResult> {
    const cutoff = new Date(now.getTime() - this.config.UPLOAD_UNATTACHED_GRACE_HOURS * 3600_000);
    let removed = 0;
    for (;;) {
      const batch = await this.audit.transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ sha256: string; size: number; loOid: bigint | null; uploadedAt: Date }[]>`
          WITH gone AS (
            SELECT f.sha256 FROM stored_file f
            WHERE f.attached_at IS NULL AND f.uploaded_at < ${cutoff}
              AND NOT EXISTS (SELECT 1 FROM document d WHERE d.pdf_sha256 = f.sha256)
              AND NOT EXISTS (SELECT 1 FROM report_pdf r WHERE r.pdf_sha256 = f.sha256)
            ORDER BY f.uploaded_at
            LIMIT ${BATCH}
            FOR UPDATE SKIP LOCKED
          )
          DELETE FROM stored_file f USING gone WHERE f.sha256 = gone.sha256
          RETURNING f.sha256, f.size, f.lo_oid AS "loOid", f.uploaded_at AS "uploadedAt"`;
        for (const row of rows) {
          if (row.loOid !== null) await tx.$executeRaw`SELECT lo_unlink(${row.loOid}::oid)`;
          await this.audit.record(tx, {
            actor: null,
            action: 'file.remove',
            entityType: 'file',
            entityId: row.sha256,
            data: {
              size: row.size,
              uploadedAt: row.uploadedAt.toISOString(),
              reason: `上传后 ${this.config.UPLOAD_UNATTACHED_GRACE_HOURS} 小时内未被任何记录引用`,
            },
          });
        }
        return rows.length;
      });
      removed += batch;
      if (batch < BATCH) break;
    }
    if (removed) this.logger.log(`已清理 ${removed} 个未被引用的上传文件`);
    return { removed, strays: await this.sweepStrayObjects(now) };
  }

  /** Large objects of uploads whose row was never written (ArchiveService.writeLargeObject dates each in its comment). */
  private async sweepStrayObjects(now: Date): Promise<number> {
    const before = new Date(now.getTime() - STRAY_OBJECT_MS);
    const strays = await this.prisma.$queryRaw<{ oid: string }[]>`
      SELECT m.oid::text AS oid FROM pg_largeobject_metadata m
      WHERE m.lomowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        AND obj_description(m.oid, 'pg_largeobject') LIKE 'upload %'
        AND substr(obj_description(m.oid, 'pg_largeobject'), 8)::timestamptz < ${before}
        AND NOT EXISTS (SELECT 1 FROM stored_file f WHERE f.lo_oid = m.oid::bigint)`;
    for (const { oid } of strays) await this.prisma.$executeRaw`SELECT lo_unlink(${oid}::oid)`;
    if (strays.length) this.logger.warn(`已删除 ${strays.length} 个没有文件记录的上传内容（上传中途中断留下的）`);
    return strays.length;
  }
}
