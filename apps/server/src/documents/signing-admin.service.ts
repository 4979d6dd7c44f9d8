import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { DomainError } from '../common/errors/domain-error';
import { OrgScopeService } from '../orgs/org-scope.service';
import { PrismaService } from '../prisma/prisma.service';
import { IdentitySummary, SigningIdentityService } from './signing-identity.service';

export interface OrganSigningRow {
  orgId: string;
  name: string;
  code: string;
  organCode: string | null;
  identity: IdentitySummary | null;
  /** set when the stored identity cannot be read (e.g. encrypted under another SIGNING_KEY_SECRET) */
  problem?: string;
}

/**
 * The administrator's view of the issuing organs' signing identities, within the organisations the administrator's
 * capacity sees (another township's organ is not found).
 */
@Injectable()
export class SigningAdminService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scope: OrgScopeService,
    private readonly identities: SigningIdentityService,
  ) {}

  /** The issuing organs (党委, any organisation with a 发文机关代字, any with an identity), each with its identity. */
  async list(actor: Actor): Promise<OrganSigningRow[]> {
    const visible = await this.scope.visibleOrgIds(actor);
    const orgs = await this.prisma.organization.findMany({
      where: {
        id: { in: visible },
        active: true,
        OR: [{ kind: 'COMMITTEE' }, { organCode: { not: null } }, { signingIdentity: { isNot: null } }],
      },
      orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
      select: { id: true },
    });
    return Promise.all(orgs.map((o) => this.row(o.id)));
  }

  async get(actor: Actor, orgId: string): Promise<OrganSigningRow> {
    if (!(await this.scope.canSee(actor, orgId))) throw DomainError.notFound('组织');
    return this.row(orgId);
  }

  async upload(actor: Actor, orgId: string, input: { p12?: Buffer; password?: string; seal?: Buffer }): Promise<OrganSigningRow> {
    if (!(await this.scope.canSee(actor, orgId))) throw DomainError.notFound('组织');
    if (!input.p12?.length && !input.seal?.length)
      throw DomainError.validation([{ field: 'p12', message: '请选择签名证书文件（.p12/.pfx）或印章图片，至少一项' }]);
    await this.identities.configure(actor, orgId, input, 'upload');
    return this.row(orgId);
  }

  async selfSigned(actor: Actor, orgId: string): Promise<OrganSigningRow> {
    if (!(await this.scope.canSee(actor, orgId))) throw DomainError.notFound('组织');
    await this.identities.generateSelfSigned(actor, orgId);
    return this.row(orgId);
  }

  private async row(orgId: string): Promise<OrganSigningRow> {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true, code: true, organCode: true } });
    if (!org) throw DomainError.notFound('组织');
    const base = { orgId: org.id, name: org.name, code: org.code, organCode: org.organCode };
    try {
      return { ...base, identity: await this.identities.summary(orgId) };
    } catch (err) {
      if (err instanceof DomainError) return { ...base, identity: null, problem: err.message };
      throw err;
    }
  }
}
