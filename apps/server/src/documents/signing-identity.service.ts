import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { PrismaService } from '../prisma/prisma.service';
import { demoSealSvg } from './signing/demo-seal';
import { loadPkcs12, selfSignedPkcs12, SigningIdentityError, SigningKey } from './signing/pdf-signature';

export interface OrganIdentity extends SigningKey {
  /** the seal as a data URL for the document model */
  sealDataUrl: string;
}

/** The seal image's type from its bytes: PNG, JPEG or SVG, as the document model accepts. */
export function sealMimeType(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(bytes.subarray(0, 512).toString('utf8'))) return 'image/svg+xml';
  return null;
}

/**
 * Each issuing organ's signing certificate (PKCS#12) and 电子印章, set by the administrator. Parsed keys are kept
 * per organisation until the row changes, so signing costs no PKCS#12 decryption.
 */
@Injectable()
export class SigningIdentityService {
  private readonly cache = new Map<string, { updatedAt: number; identity: OrganIdentity }>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async forOrg(orgId: string): Promise<OrganIdentity | null> {
    const row = await this.prisma.organSigningIdentity.findUnique({ where: { orgId } });
    if (!row) return null;
    const hit = this.cache.get(orgId);
    if (hit && hit.updatedAt === row.updatedAt.getTime()) return hit.identity;
    const key = loadPkcs12(Buffer.from(row.p12), row.p12Password);
    const seal = Buffer.from(row.seal);
    const identity = { ...key, sealDataUrl: `data:${sealMimeType(seal)};base64,${seal.toString('base64')}` };
    this.cache.set(orgId, { updatedAt: row.updatedAt.getTime(), identity });
    return identity;
  }

  /** Sets an organ's certificate and seal; both are checked before anything is saved. */
  async configure(actor: Actor | null, orgId: string, input: { p12: Buffer; password: string; seal: Buffer }): Promise<{ subject: string; notAfter: Date }> {
    let key: SigningKey;
    try {
      key = loadPkcs12(input.p12, input.password);
    } catch (err) {
      if (err instanceof SigningIdentityError) throw DomainError.validation([{ field: 'p12', message: err.message }], '签名证书无效');
      throw err;
    }
    if (key.notAfter.getTime() < Date.now())
      throw DomainError.validation([{ field: 'p12', message: `证书已于 ${key.notAfter.toISOString().slice(0, 10)} 过期` }]);
    if (!sealMimeType(input.seal)) throw DomainError.validation([{ field: 'seal', message: '印章图片必须是 PNG、JPEG 或 SVG' }]);
    const org = await this.prisma.organization.findUnique({ where: { id: orgId } });
    if (!org) throw DomainError.notFound('组织');
    const data = {
      p12: new Uint8Array(input.p12),
      p12Password: input.password,
      subject: key.subject,
      notAfter: key.notAfter,
      seal: new Uint8Array(input.seal),
    };
    await this.audit.transaction(async (tx) => {
      const before = await tx.organSigningIdentity.findUnique({ where: { orgId }, select: { subject: true, notAfter: true } });
      await tx.organSigningIdentity.upsert({ where: { orgId }, create: { orgId, ...data }, update: data });
      await this.audit.record(tx, {
        actor,
        action: 'org.update',
        entityType: 'organization',
        entityId: orgId,
        data: {
          before: { signingCertificate: before?.subject ?? null },
          after: { signingCertificate: key.subject, notAfter: key.notAfter.toISOString(), sealBytes: input.seal.length },
        },
      });
    });
    this.cache.delete(orgId);
    return { subject: key.subject, notAfter: key.notAfter };
  }

  /** The demo township's self-signed certificate and demo seal, made once (npm start runs it with seed-demo). */
  async ensureDemo(orgId: string): Promise<{ created: boolean; subject: string }> {
    const existing = await this.prisma.organSigningIdentity.findUnique({ where: { orgId }, select: { subject: true } });
    if (existing) return { created: false, subject: existing.subject };
    const org = await this.prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
    const organ = org.name.replace(/^中共(.+?市)?(.+?区)?/, '中共') || org.name;
    const password = randomBytes(18).toString('base64url');
    const r = await this.configure(null, orgId, { p12: selfSignedPkcs12(organ, password), password, seal: Buffer.from(demoSealSvg(organ)) });
    return { created: true, subject: r.subject };
  }
}
