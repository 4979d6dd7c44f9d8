import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { ArchiveService } from '../documents/archive.service';
import { FilesService, OpenedFile } from '../files/files.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Prisma, SpotCheckFinding } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { EVIDENCE_LABELS } from './checklist';
import { FindingDto } from './dto/spot-check.dto';
import { PHOTO_MAX_BYTES, PHOTO_TYPES, photoTakenAt } from './photo-exif';
import { TaskFlowService } from '../tasks/task-flow.service';
import { SpotChecksService } from './spot-checks.service';

export interface StoredPhoto {
  sha256: string;
  name: string;
  mimeType: string;
  size: number;
  /** EXIF time the photo was taken (ISO), when the photo carries one. */
  takenAt: string | null;
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

/**
 * Inspectors' findings. The inspector's page may record offline and send later, possibly twice: the page's clientId
 * is unique, so a resend returns the finding already stored. Recording the same item again (a new clientId) corrects
 * the finding until a rectification has been opened on it.
 */
const EXIF_BYTES = 1024 * 1024;

@Injectable()
export class FindingsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly files: FilesService,
    private readonly archive: ArchiveService,
    private readonly rounds: SpotChecksService,
    private readonly tasks: TaskFlowService,
    private readonly scope: OrgScopeService,
  ) {}

  async record(actor: Actor, roundId: string, dto: FindingDto): Promise<{ finding: SpotCheckFinding; duplicate: boolean }> {
    const { round, checklist, branchOrgId } = await this.rounds.view(actor, roundId);
    if (branchOrgId || actor.role !== 'INSPECTOR') throw DomainError.forbidden('只有督查员可以记录检查结果');
    const again = await this.prisma.spotCheckFinding.findUnique({ where: { clientId: dto.clientId } });
    if (again) {
      if (again.roundId !== roundId) throw DomainError.validation([{ field: 'clientId', message: '字段 clientId（记录编号）已被其他轮次使用' }]);
      return { finding: again, duplicate: true };
    }
    if (round.status !== 'DRAWN') throw DomainError.conflict(round.status === 'CLOSED' ? '本轮抽查已结束，不能再记录' : '本轮尚未抽取');
    const unit = await this.prisma.spotCheckUnit.findFirst({ where: { id: dto.unitId, roundId } });
    if (!unit) throw DomainError.validation([{ field: 'unitId', message: '字段 unitId（被查对象）不在本轮抽查名单中' }]);
    if (unit.inspectorId !== actor.personId) throw DomainError.forbidden(`“${unit.label}”分配给了其他督查员`);
    // Assignment avoids the inspector's own organisations, but a membership may have been added since the draw.
    if (await this.scope.isMember(actor.personId, unit.orgId)) throw DomainError.forbidden('不能记录本人所在组织的检查结果');

    const errors: FieldError[] = [];
    const item = checklist.find((i) => i.key === dto.itemKey);
    if (!item) throw DomainError.validation([{ field: 'itemKey', message: `字段 itemKey（检查项目）“${dto.itemKey}”不在本轮检查清单中` }]);
    let passed: boolean;
    if (item.kind === 'SCORE') {
      const max = item.maxScore ?? 0;
      if (dto.score === undefined) errors.push({ field: 'score', message: `字段 score（得分）必须填写：“${item.text}”按 0 到 ${max} 分打分` });
      else if (dto.score < 0 || dto.score > max) errors.push({ field: 'score', message: `字段 score（得分）必须在 0 到 ${max} 之间` });
      passed = (dto.score ?? 0) >= (item.passScore ?? 0);
    } else {
      if (dto.passed === undefined) errors.push({ field: 'passed', message: `字段 passed（是否合格）必须选择：“${item.text}”合格还是不合格` });
      passed = dto.passed === true;
    }
    const notes = dto.notes?.trim() ?? '';
    const photos = dto.photos ?? [];
    if (!passed && item.evidence === 'NOTE' && !notes)
      errors.push({ field: 'notes', message: `字段 notes（情况说明）必须填写：该项不合格时${EVIDENCE_LABELS.NOTE}` });
    if (!passed && item.evidence === 'PHOTO' && !photos.length)
      errors.push({ field: 'photos', message: `字段 photos（照片）至少一张：该项不合格时${EVIDENCE_LABELS.PHOTO}` });
    photos.forEach((p, i) => {
      if (!PHOTO_TYPES.includes(p.mimeType))
        errors.push({ field: `photos[${i}]`, message: `字段 photos[${i}]（照片）“${p.name}”不是照片（只收 JPEG、PNG、WebP、HEIC）` });
      if (p.size > PHOTO_MAX_BYTES) errors.push({ field: `photos[${i}]`, message: `字段 photos[${i}]（照片）“${p.name}”超过 10 MB` });
    });
    if (errors.length) throw DomainError.validation(errors, '检查结果有误，未保存');
    await this.files.assertStored(photos.map((ref, i) => ({ field: `photos[${i}]`, ref })));
    const stored: StoredPhoto[] = [];
    for (const p of photos) {
      const file = await this.prisma.storedFile.findUniqueOrThrow({ where: { sha256: p.sha256 } });
      // The EXIF block sits at the start of a photo: its first megabyte is enough to read when it was taken.
      stored.push({
        sha256: p.sha256,
        name: p.name,
        mimeType: p.mimeType,
        size: p.size,
        takenAt: await photoTakenAt(await this.archive.read(file, EXIF_BYTES)),
      });
    }

    const data = {
      passed,
      score: item.kind === 'SCORE' ? (dto.score as number) : null,
      severity: passed ? null : (dto.severity ?? '一般'),
      notes,
      photos: json(stored),
      recordedAt: new Date(dto.recordedAt),
      inspectorId: actor.personId,
    };
    try {
      return await this.audit.transaction(async (tx) => {
        const existing = await tx.spotCheckFinding.findUnique({
          where: { unitRowId_itemKey: { unitRowId: unit.id, itemKey: item.key } },
          include: { rectification: true },
        });
        if (existing?.rectification) throw DomainError.conflict(`“${item.text}”已开具整改，检查结果不能再修改`);
        const finding = existing
          ? await tx.spotCheckFinding.update({ where: { id: existing.id }, data: { ...data, clientId: dto.clientId } })
          : await tx.spotCheckFinding.create({ data: { ...data, roundId, unitRowId: unit.id, itemKey: item.key, clientId: dto.clientId } });
        const done = await tx.spotCheckFinding.count({ where: { unitRowId: unit.id } });
        if (done >= checklist.length) await this.tasks.complete(tx, { keys: [`inspect:${unit.id}`] }, actor.personId);
        await this.audit.record(tx, {
          actor,
          action: existing ? 'spotcheck.finding.update' : 'spotcheck.finding.record',
          entityType: 'spot_check_finding',
          entityId: finding.id,
          data: { roundId, unitId: unit.unitId, itemKey: item.key, passed, score: data.score, photos: stored.map((p) => p.sha256) },
        });
        return { finding, duplicate: false };
      });
    } catch (err) {
      // The same offline record sent twice at once: the second insert loses the race on clientId.
      if (isUniqueViolation(err)) {
        const winner = await this.prisma.spotCheckFinding.findUnique({ where: { clientId: dto.clientId } });
        if (winner) return { finding: winner, duplicate: true };
      }
      throw err;
    }
  }

  /** A finding's photo, for whoever may see the finding (its branch, or the committee). */
  async photo(actor: Actor, findingId: string, sha256: string): Promise<StoredPhoto & OpenedFile> {
    const finding = await this.prisma.spotCheckFinding.findUnique({ where: { id: findingId }, include: { unit: { select: { orgId: true } } } });
    if (!finding) throw DomainError.notFound('照片');
    const { branchOrgId } = await this.rounds.view(actor, finding.roundId);
    if (branchOrgId && finding.unit.orgId !== branchOrgId) throw DomainError.notFound('照片');
    const meta = (finding.photos as unknown as StoredPhoto[]).find((p) => p.sha256 === sha256);
    const file = meta && (await this.prisma.storedFile.findUnique({ where: { sha256 } }));
    if (!meta || !file) throw DomainError.notFound('照片');
    return { ...meta, size: file.size, stream: this.archive.stream(file) };
  }
}
