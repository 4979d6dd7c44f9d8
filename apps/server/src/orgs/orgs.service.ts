import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { parseCsv, rowErrors } from '../common/csv';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { toFieldErrors } from '../common/validation/messages';
import { OrgKind, Organization } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { CreateOrgDto, UpdateOrgDto } from './dto/org.dto';
import { OrgScopeService } from './org-scope.service';

export interface OrgNode extends Organization {
  depth: number;
}

@Injectable()
export class OrgsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
  ) {}

  /** The organisations the actor may see, in tree order (parents before children). */
  async list(actor: Actor, filter: { includeInactive?: boolean; kind?: OrgKind } = {}): Promise<OrgNode[]> {
    const ids = await this.scope.visibleOrgIds(actor);
    const rows = await this.prisma.organization.findMany({
      where: { id: { in: ids }, active: filter.includeInactive ? undefined : true, kind: filter.kind },
      orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }],
    });
    return treeOrder(rows, actor.orgId);
  }

  async get(actor: Actor, id: string): Promise<Organization> {
    await this.scope.assertVisible(actor, id);
    const org = await this.prisma.organization.findUnique({ where: { id } });
    if (!org) throw DomainError.notFound('组织');
    return org;
  }

  async create(actor: Actor, dto: CreateOrgDto): Promise<Organization> {
    const parentId = dto.parentId ?? actor.orgId;
    await this.scope.assertVisible(actor, parentId, '上级组织');
    await this.assertCodeFree(dto.code);
    return this.audit.transaction(async (tx) => this.createIn(tx, actor, { ...dto, parentId }));
  }

  private async createIn(tx: Tx, actor: Actor | null, dto: CreateOrgDto & { parentId: string | null }): Promise<Organization> {
    const org = await tx.organization.create({ data: { ...dto } });
    await this.audit.record(tx, { actor, action: 'org.create', entityType: 'organization', entityId: org.id, data: { ...dto } });
    return org;
  }

  async update(actor: Actor, id: string, dto: UpdateOrgDto): Promise<Organization> {
    // A partial update leaves out what it does not change; null is not "no change" for what an organisation must have.
    const REQUIRED: Record<string, string> = { code: '组织编码', name: '组织名称', kind: '类别', issuerKind: '发文机关性质', sortOrder: '排序号' };
    const nulls = Object.keys(REQUIRED).filter((k) => (dto as Record<string, unknown>)[k] === null);
    if (nulls.length) throw DomainError.validation(nulls.map((k) => ({ field: k, message: `${REQUIRED[k]}不能为空，不改就不要填写这一项` })));
    const before = await this.get(actor, id);
    if (dto.parentId) {
      await this.scope.assertVisible(actor, dto.parentId, '上级组织');
      if (dto.parentId === id || (await this.scope.subtreeIds(id)).includes(dto.parentId)) {
        throw DomainError.validation([{ field: 'parentId', message: '字段 parentId（上级组织）不能是本组织或其下级' }]);
      }
    }
    if (dto.code && dto.code !== before.code) await this.assertCodeFree(dto.code);
    return this.audit.transaction(async (tx) => {
      const org = await tx.organization.update({ where: { id }, data: { ...dto } });
      await this.audit.record(tx, {
        actor,
        action: 'org.update',
        entityType: 'organization',
        entityId: id,
        data: { before: pick(before, Object.keys(dto)), after: { ...dto } },
      });
      return org;
    });
  }

  async setActive(actor: Actor, id: string, active: boolean): Promise<Organization> {
    await this.get(actor, id);
    if (id === actor.orgId && !active) throw DomainError.validation([{ field: 'id', message: '不能停用自己所在的组织' }]);
    return this.audit.transaction(async (tx) => {
      const org = await tx.organization.update({ where: { id }, data: { active } });
      await this.audit.record(tx, { actor, action: active ? 'org.activate' : 'org.deactivate', entityType: 'organization', entityId: id });
      return org;
    });
  }

  /**
   * Imports organisations from CSV (columns: code,name,kind[,shortName,organCode,parentCode,sortOrder]).
   * All rows are checked first; nothing is saved unless every row is valid. Existing codes are updated.
   */
  async importCsv(actor: Actor, csv: string): Promise<{ created: number; updated: number }> {
    const rows = parseCsv(csv, ['code', 'name', 'kind']);
    const visible = new Set(await this.scope.visibleOrgIds(actor));
    const known = await this.prisma.organization.findMany({ select: { id: true, code: true } });
    const idByCode = new Map(known.map((o) => [o.code, o.id]));
    const csvCodes = new Set(rows.map((r) => r.code));
    const errors: FieldError[] = [];
    const dtos = rows.map((r, i) => {
      const kind = KIND_BY_LABEL[r.kind] ?? r.kind;
      const dto = plainToInstance(CreateOrgDto, {
        code: r.code,
        name: r.name,
        kind,
        shortName: r.shortName || undefined,
        organCode: r.organCode || undefined,
        sortOrder: r.sortOrder ? Number(r.sortOrder) : undefined,
      });
      errors.push(...rowErrors(i, toFieldErrors(validateSync(dto))));
      const existing = idByCode.get(r.code);
      if (existing && !visible.has(existing)) errors.push(...rowErrors(i, [{ field: 'code', message: `组织编码 ${r.code} 已被其他单位使用` }]));
      if (r.parentCode && !csvCodes.has(r.parentCode) && !(idByCode.has(r.parentCode) && visible.has(idByCode.get(r.parentCode) as string))) {
        errors.push(...rowErrors(i, [{ field: 'parentCode', message: `上级组织编码 ${r.parentCode} 不存在` }]));
      }
      return { dto, parentCode: r.parentCode || null };
    });
    if (errors.length) throw DomainError.validation(errors, 'CSV 导入失败，未保存任何数据');

    return this.audit.transaction(
      async (tx) => {
        let created = 0;
        let updated = 0;
        // Parents listed later in the file are created first by repeated passes.
        const pending = [...dtos];
        while (pending.length) {
          const before = pending.length;
          for (let i = pending.length - 1; i >= 0; i--) {
            const { dto, parentCode } = pending[i];
            const parentId = parentCode ? idByCode.get(parentCode) : actor.orgId;
            if (parentCode && !parentId) continue;
            const existing = idByCode.get(dto.code);
            if (existing) {
              await tx.organization.update({ where: { id: existing }, data: { ...dto, parentId } });
              await this.audit.record(tx, { actor, action: 'org.import.update', entityType: 'organization', entityId: existing, data: { ...dto } });
              updated++;
            } else {
              const org = await this.createIn(tx, actor, { ...dto, parentId: parentId as string });
              idByCode.set(org.code, org.id);
              created++;
            }
            pending.splice(i, 1);
          }
          if (pending.length === before) throw DomainError.validation([{ field: 'parentCode', message: '上级组织编码存在循环引用' }]);
        }
        return { created, updated };
      },
      { timeout: 60_000 },
    );
  }

  private async assertCodeFree(code: string): Promise<void> {
    if (await this.prisma.organization.findUnique({ where: { code } })) {
      throw DomainError.validation([{ field: 'code', message: `字段 code（组织编码）“${code}”已被使用` }]);
    }
  }
}

const KIND_BY_LABEL: Record<string, OrgKind> = {
  党委: OrgKind.COMMITTEE,
  村: OrgKind.VILLAGE,
  社区: OrgKind.COMMUNITY,
  机关: OrgKind.OFFICE,
  学校: OrgKind.SCHOOL,
};

function pick(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}

function treeOrder(rows: Organization[], rootId: string): OrgNode[] {
  const byParent = new Map<string | null, Organization[]>();
  for (const r of rows) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r]);
  const out: OrgNode[] = [];
  const seen = new Set<string>();
  const walk = (org: Organization, depth: number) => {
    if (seen.has(org.id)) return;
    seen.add(org.id);
    out.push({ ...org, depth });
    for (const c of byParent.get(org.id) ?? []) walk(c, depth + 1);
  };
  const root = rows.find((r) => r.id === rootId);
  if (root) walk(root, 0);
  for (const r of rows) if (!seen.has(r.id)) walk(r, 0);
  return out;
}
