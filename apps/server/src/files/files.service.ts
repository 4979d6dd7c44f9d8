import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { ArchiveService } from '../documents/archive.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Role } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';

/** The largest attachment a form may accept (the templates allow 20 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Committee capacities that may open what any branch below them uploaded. */
export const FILE_READER_ROLES: Role[] = [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.INSPECTOR];

export interface FileRef {
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** Attachments: stored once by SHA-256 in the write-once archive; a form value carries only the reference. */
@Injectable()
export class FilesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly archive: ArchiveService,
    private readonly scope: OrgScopeService,
  ) {}

  /**
   * One stored attachment for download. Who uploaded it, in which organisation and under which name is read from its
   * `file.upload` audit records (the same bytes may have been uploaded several times): the uploader, people of the
   * uploader's organisation, and committee readers whose subtree holds that organisation may open it; to anyone else it
   * does not exist. Opening changes nothing, so it is not audited.
   */
  async open(actor: Actor, sha256: string): Promise<{ name: string; mimeType: string; bytes: Buffer }> {
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
      return { name, mimeType: file.mimeType, bytes: Buffer.from(file.bytes) };
    }
    throw DomainError.notFound('文件');
  }

  async store(actor: Actor, file: { name: string; mimeType: string; bytes: Buffer }): Promise<FileRef> {
    if (file.bytes.length === 0) throw DomainError.validation([{ field: 'file', message: `字段 file（附件）“${file.name}”是空文件` }]);
    const sha256 = await this.audit.transaction(async (tx) => {
      const hash = await this.archive.store(tx, file.bytes, file.mimeType);
      await this.audit.record(tx, {
        actor,
        action: 'file.upload',
        entityType: 'file',
        entityId: hash,
        data: { name: file.name, size: file.bytes.length, mimeType: file.mimeType },
      });
      return hash;
    });
    return { name: file.name, mimeType: file.mimeType, size: file.bytes.length, sha256 };
  }

  /** Each referenced file must have been uploaded with the size and type the reference claims. */
  /** `label`: how the page names the field (“附件”); the message never shows the field's path. */
  async assertStored(refs: { field: string; ref: FileRef; label?: string }[]): Promise<void> {
    if (!refs.length) return;
    const stored = await this.prisma.storedFile.findMany({ where: { sha256: { in: refs.map((r) => r.ref.sha256) } }, select: { sha256: true, size: true } });
    const errors: FieldError[] = refs
      .filter(({ ref }) => stored.find((s) => s.sha256 === ref.sha256)?.size !== ref.size)
      .map(({ field, ref, label }) => ({
        field,
        message: `${label ? `“${label}”中` : ''}的文件“${ref.name}”尚未上传或内容不符，请重新上传`.replace(/^的/, ''),
      }));
    if (errors.length) throw DomainError.validation(errors, '附件有误，未提交');
  }
}
