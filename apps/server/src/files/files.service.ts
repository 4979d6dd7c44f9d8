import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Readable } from 'node:stream';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { ArchiveService } from '../documents/archive.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Role } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import type { ReceivedFile } from './upload-interceptor';
import { checkUpload, kindOfMime, UploadPurpose } from './upload-kinds';

export { MAX_UPLOAD_BYTES } from './upload-interceptor';

/** Committee capacities that may open what any branch below them uploaded. */
export const FILE_READER_ROLES: Role[] = [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.INSPECTOR];

export interface FileRef {
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** One stored file on its way to the browser: the content streams, one piece in memory at a time. */
export interface OpenedFile {
  name: string;
  mimeType: string;
  size: number;
  stream: Readable;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1)} MB`;
/** The row, the quota check and the audit record; the content was copied before (ArchiveService.writeLargeObject). */
const STORE_TIMEOUT_MS = 15_000;

/** Attachments: stored once by SHA-256 in the write-once archive; a form value carries only the reference. */
@Injectable()
export class FilesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly archive: ArchiveService,
    private readonly scope: OrgScopeService,
    private readonly config: AppConfig,
  ) {}

  /**
   * One stored attachment for download. Who uploaded it, in which organisation and under which name is read from its
   * `file.upload` audit records (the same bytes may have been uploaded several times): the uploader, people of the
   * uploader's organisation, and committee readers whose subtree holds that organisation may open it; to anyone else it
   * does not exist. Opening changes nothing, so it is not audited.
   */
  async open(actor: Actor, sha256: string): Promise<OpenedFile> {
    const uploads = await this.prisma.auditLog.findMany({
      where: { entityType: 'file', entityId: sha256, action: 'file.upload' },
      orderBy: { seq: 'desc' },
      select: { actorId: true, capacity: true, data: true },
    });
    const readable = uploads
      .map((u) => ({ uploaderId: u.actorId, orgId: u.capacity?.split('@')[1], name: (u.data as { name?: string }).name }))
      .sort((a, b) => Number(b.uploaderId === actor.personId) - Number(a.uploaderId === actor.personId));
    let subtree: string[] | undefined;
    for (const u of readable) {
      let allowed = u.uploaderId === actor.personId || u.orgId === actor.orgId;
      if (!allowed && u.orgId && FILE_READER_ROLES.includes(actor.role)) {
        subtree ??= await this.scope.subtreeIds(actor.orgId);
        allowed = subtree.includes(u.orgId);
      }
      if (!allowed) continue;
      const file = await this.prisma.storedFile.findUnique({ where: { sha256 } });
      if (!file) break;
      const name = u.name || `${sha256.slice(0, 12)}`;
      await this.audit.transaction((tx) => this.audit.record(tx, { actor, action: 'file.read', entityType: 'file', entityId: sha256, data: { name } }));
      return { name, mimeType: file.mimeType, size: file.size, stream: this.archive.stream(file) };
    }
    throw DomainError.notFound('文件');
  }

  /**
   * Stores one received upload: its content must be what its name and declared type say (checkUpload), and it must fit
   * in today's quotas of the uploader and of the organisation they act for. The content is copied from the temporary
   * file into the store piece by piece; the upload is recorded for the quotas and audited, in one transaction.
   */
  async store(actor: Actor, file: ReceivedFile, purpose: UploadPurpose = 'attachment'): Promise<FileRef> {
    const label = purpose === 'photo' ? '照片' : '附件';
    if (file.size === 0) throw DomainError.validation([{ field: 'file', message: `${label}“${file.name}”是空文件` }], `${label}未上传`);
    const mimeType = await checkUpload(file, purpose);
    // Refused early, before the copy into the store; checked again, under a lock, where the upload is recorded.
    await this.assertQuota(this.prisma, actor, file, label);
    const known = await this.prisma.storedFile.findUnique({ where: { sha256: file.sha256 }, select: { sha256: true } });
    let loOid = known ? null : await this.archive.writeLargeObject(file.path, file.size);
    try {
      await this.audit.transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`file-quota:person:${actor.personId}`}, 0))`;
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`file-quota:org:${actor.orgId}`}, 0))`;
          await this.assertQuota(tx, actor, file, label);
          if (await this.archive.storeUpload(tx, { sha256: file.sha256, size: file.size, mimeType, loOid })) loOid = null;
          await tx.fileUpload.create({ data: { sha256: file.sha256, personId: actor.personId, orgId: actor.orgId, size: file.size } });
          await this.audit.record(tx, {
            actor,
            action: 'file.upload',
            entityType: 'file',
            entityId: file.sha256,
            data: { name: file.name, size: file.size, mimeType },
          });
        },
        { timeout: STORE_TIMEOUT_MS },
      );
    } finally {
      // Written for a row that was not (refused, or the same bytes stored meanwhile): nothing refers to it.
      if (loOid !== null) await this.archive.unlinkLargeObject(loOid);
    }
    return { name: file.name, mimeType, size: file.size, sha256: file.sha256 };
  }

  /** Today's uploads (Asia/Shanghai) of this person and of this organisation, plus this one, within the quotas. */
  private async assertQuota(db: Tx | PrismaService, actor: Actor, file: ReceivedFile, label: string): Promise<void> {
    const since = DateTime.now().setZone('Asia/Shanghai').startOf('day').toJSDate();
    const [person, org] = await Promise.all([
      db.fileUpload.aggregate({ where: { personId: actor.personId, createdAt: { gte: since } }, _sum: { size: true } }),
      db.fileUpload.aggregate({ where: { orgId: actor.orgId, createdAt: { gte: since } }, _sum: { size: true } }),
    ]);
    const checks = [
      { who: '您', quota: this.config.UPLOAD_QUOTA_PERSON_MB_PER_DAY * MB, used: person._sum.size ?? 0 },
      { who: `本组织（${actor.orgName || '当前组织'}）`, quota: this.config.UPLOAD_QUOTA_ORG_MB_PER_DAY * MB, used: org._sum.size ?? 0 },
    ];
    for (const { who, quota, used } of checks) {
      if (used + file.size > quota)
        throw DomainError.tooLarge(
          'file',
          `${label}“${file.name}”（${mb(file.size)}）超出上传额度：${who}每天最多上传 ${mb(quota)}，今天已上传 ${mb(used)}，请明天再传或请管理员调整额度`,
        );
    }
  }

  /**
   * Each referenced file must have been uploaded with the size and the kind of content the reference claims (the
   * content was checked at upload, so the field's accepted types, checked against the reference, hold for the content).
   * The files are marked attached first, in one statement: from then on the cleanup of unattached uploads keeps them
   * (a save that then fails leaves them kept, which errs on the safe side); one the cleanup removed just before is
   * reported as not uploaded.
   * `label`: how the page names the field (“附件”); the message never shows the field's path.
   */
  async assertStored(refs: { field: string; ref: FileRef; label?: string }[]): Promise<void> {
    if (!refs.length) return;
    const hashes = [...new Set(refs.map((r) => r.ref.sha256))];
    await this.prisma.storedFile.updateMany({ where: { sha256: { in: hashes }, attachedAt: null }, data: { attachedAt: new Date() } });
    // Read after marking: a file the cleanup deleted before the mark is gone here; after the mark it cannot be deleted.
    const stored = await this.prisma.storedFile.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true, size: true, mimeType: true } });
    const matches = (ref: FileRef, s?: { size: number; mimeType: string }) =>
      !!s &&
      s.size === ref.size &&
      (s.mimeType === ref.mimeType.toLowerCase() || (!!kindOfMime(s.mimeType) && kindOfMime(s.mimeType) === kindOfMime(ref.mimeType)));
    const errors: FieldError[] = refs
      .filter(
        ({ ref }) =>
          !matches(
            ref,
            stored.find((s) => s.sha256 === ref.sha256),
          ),
      )
      .map(({ field, ref, label }) => ({
        field,
        message: `${label ? `“${label}”中` : ''}的文件“${ref.name}”尚未上传或内容不符，请重新上传`.replace(/^的/, ''),
      }));
    if (errors.length) throw DomainError.validation(errors, '附件有误，未提交');
  }
}
