import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PNG } from 'pngjs';
import { randomBytes, X509Certificate } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import type { OrganSigningIdentity } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { ArchiveService } from './archive.service';
import { demoSealSvg } from './signing/demo-seal';
import { loadPkcs12, selfSignedPkcs12, SigningIdentityError, SigningKey } from './signing/pdf-signature';
import { DEVELOPMENT_SIGNING_KEY_SECRET, SecretBox, SecretBoxError } from './signing/secret-box';

export interface OrganIdentity extends SigningKey {
  /** the seal as a data URL for the document model */
  sealDataUrl: string;
}

/** What the administrator sees of an organ's identity (never the key or its password). */
export interface IdentitySummary {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  expired: boolean;
  selfSigned: boolean;
  /** SHA-256 of the certificate, colon-separated hex as certificate viewers show it */
  fingerprint: string;
  sealDataUrl: string;
  sealSha256: string;
  updatedAt: Date;
}

export const MAX_SEAL_BYTES = 2 * 1024 * 1024;

/** The seal image's type from its bytes: PNG or SVG (JPEG is recognised, to be refused: it has no transparency). */
export function sealMimeType(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(bytes.subarray(0, 512).toString('utf8'))) return 'image/svg+xml';
  return null;
}

/**
 * Why a seal image cannot be used, or null: it must be a PNG that decodes and has transparent pixels (the seal lies
 * over the organ's name and the date, which must show through), or an SVG (transparent unless it paints a background).
 */
export function sealProblem(bytes: Buffer): string | null {
  if (bytes.length > MAX_SEAL_BYTES) return '印章图片不能超过 2 MB';
  const type = sealMimeType(bytes);
  if (type === 'image/svg+xml') return /<script[\s>]/i.test(bytes.toString('utf8')) ? '印章图片（SVG）不能含有脚本' : null;
  if (type === 'image/jpeg') return '印章图片须为透明背景的 PNG：JPEG 没有透明背景，会遮住落款和日期';
  if (type !== 'image/png') return '印章图片必须是透明背景的 PNG（或 SVG）';
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch {
    return '印章图片已损坏，无法读取（PNG）';
  }
  if (png.width < 100 || png.height < 100) return `印章图片太小（${png.width}×${png.height} 像素），至少 100×100 像素`;
  for (let i = 3; i < png.data.length; i += 4) if (png.data[i] < 255) return null;
  return '印章图片没有透明背景：请使用背景透明的 PNG，否则会遮住落款和日期';
}

const colonHex = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');

/**
 * Each issuing organ's signing certificate (PKCS#12) and 电子印章, set by the administrator. The PKCS#12 and its
 * password are stored encrypted (AES-256-GCM under SIGNING_KEY_SECRET, see signing/secret-box.ts). Rows written before
 * that (clear) are encrypted when this service starts in any process, and whenever one is still read in clear; a
 * migration cannot do it, since it has no access to the key. Parsed keys are kept per organisation until the row
 * changes, so signing costs no decryption.
 */
@Injectable()
export class SigningIdentityService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, { updatedAt: number; identity: OrganIdentity }>();
  private readonly box: SecretBox;
  private readonly logger = new Logger(SigningIdentityService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.box = new SecretBox(config.SIGNING_KEY_SECRET ?? DEVELOPMENT_SIGNING_KEY_SECRET);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const n = await this.encryptClearRows();
      if (n) this.logger.log(`已加密 ${n} 个组织以明文保存的签名证书`);
    } catch (err) {
      this.logger.warn(`未能加密以明文保存的签名证书（读取时会再试）：${(err as Error).message}`);
    }
  }

  /** Encrypts every row still holding its PKCS#12 or password in clear; returns how many. */
  async encryptClearRows(): Promise<number> {
    const rows = await this.prisma.organSigningIdentity.findMany({ where: { NOT: { p12Password: { startsWith: 'enc:v1:' } } } });
    let n = 0;
    for (const row of rows) if (await this.encryptRow(row)) n++;
    return n;
  }

  /** One clear row, encrypted in place (only if nobody changed it meanwhile); audited. */
  private async encryptRow(row: OrganSigningIdentity): Promise<boolean> {
    const p12 = Buffer.from(row.p12);
    const clearP12 = !SecretBox.isSealed(p12);
    const clearPassword = !SecretBox.isSealedText(row.p12Password);
    if (!clearP12 && !clearPassword) return false;
    return this.audit.transaction(async (tx) => {
      const { count } = await tx.organSigningIdentity.updateMany({
        where: { orgId: row.orgId, p12Password: row.p12Password, updatedAt: row.updatedAt },
        data: {
          p12: clearP12 ? new Uint8Array(this.box.seal(p12, `${row.orgId}/p12`)) : undefined,
          p12Password: clearPassword ? this.box.sealText(row.p12Password, `${row.orgId}/password`) : undefined,
        },
      });
      if (count)
        await this.audit.record(tx, {
          actor: null,
          action: 'org.update',
          entityType: 'organization',
          entityId: row.orgId,
          data: { before: { signingKeyAtRest: '明文' }, after: { signingKeyAtRest: 'AES-256-GCM' } },
        });
      return count === 1;
    });
  }

  /** The PKCS#12 and its password of a row, decrypted (a clear row is read as it is, and encrypted). */
  private async openRow(row: OrganSigningIdentity): Promise<{ p12: Buffer; password: string }> {
    const stored = Buffer.from(row.p12);
    if (!SecretBox.isSealed(stored) || !SecretBox.isSealedText(row.p12Password)) {
      await this.encryptRow(row);
      return {
        p12: SecretBox.isSealed(stored) ? this.box.open(stored, `${row.orgId}/p12`) : stored,
        password: SecretBox.isSealedText(row.p12Password) ? this.box.openText(row.p12Password, `${row.orgId}/password`) : row.p12Password,
      };
    }
    return { p12: this.box.open(stored, `${row.orgId}/p12`), password: this.box.openText(row.p12Password, `${row.orgId}/password`) };
  }

  async forOrg(orgId: string): Promise<OrganIdentity | null> {
    const row = await this.prisma.organSigningIdentity.findUnique({ where: { orgId } });
    if (!row) return null;
    const hit = this.cache.get(orgId);
    if (hit && hit.updatedAt === row.updatedAt.getTime()) return hit.identity;
    let opened: { p12: Buffer; password: string };
    try {
      opened = await this.openRow(row);
    } catch (err) {
      if (err instanceof SecretBoxError) throw DomainError.conflict(`本组织的${err.message}，请管理员重新设置签名证书`);
      throw err;
    }
    const key = loadPkcs12(opened.p12, opened.password);
    const seal = Buffer.from(row.seal);
    const identity = { ...key, sealDataUrl: `data:${sealMimeType(seal)};base64,${seal.toString('base64')}` };
    const fresh = await this.prisma.organSigningIdentity.findUnique({ where: { orgId }, select: { updatedAt: true } });
    this.cache.set(orgId, { updatedAt: (fresh ?? row).updatedAt.getTime(), identity });
    return identity;
  }

  /** The organ's identity as the administrator sees it, or null when none is set. */
  async summary(orgId: string): Promise<IdentitySummary | null> {
    const identity = await this.forOrg(orgId);
    if (!identity) return null;
    const row = await this.prisma.organSigningIdentity.findUniqueOrThrow({ where: { orgId }, select: { updatedAt: true, seal: true } });
    const x = new X509Certificate(identity.certificates[0]);
    const validTo = new Date(x.validTo);
    return {
      subject: identity.subject,
      issuer: utf8(x.issuer),
      validFrom: new Date(x.validFrom),
      validTo,
      expired: validTo.getTime() < Date.now(),
      selfSigned: x.issuer === x.subject,
      fingerprint: colonHex(ArchiveService.sha256(identity.certificates[0])),
      sealDataUrl: identity.sealDataUrl,
      sealSha256: ArchiveService.sha256(Buffer.from(row.seal)),
      updatedAt: row.updatedAt,
    };
  }

  /**
   * Sets an organ's certificate and seal; each is checked before anything is saved. Either may be left out when the
   * organ already has one (a new seal for the same certificate, a renewed certificate with the same seal).
   */
  async configure(
    actor: Actor | null,
    orgId: string,
    input: { p12?: Buffer; password?: string; seal?: Buffer },
    source: 'upload' | 'self-signed' | 'cli' | 'demo' = 'upload',
  ): Promise<{ subject: string; notAfter: Date }> {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId } });
    if (!org) throw DomainError.notFound('组织');
    const existing = await this.prisma.organSigningIdentity.findUnique({ where: { orgId } });
    const errors: { field: string; message: string }[] = [];
    let key: SigningKey | undefined;
    let p12 = input.p12?.length ? input.p12 : undefined;
    let password = input.password ?? '';
    if (p12) {
      try {
        key = loadPkcs12(p12, password);
        if (key.notAfter.getTime() < Date.now())
          errors.push({ field: 'p12', message: `证书已于 ${key.notAfter.toISOString().slice(0, 10)} 过期，不能用于签名` });
        const notBefore = new Date(new X509Certificate(key.certificates[0]).validFrom);
        if (notBefore.getTime() > Date.now()) errors.push({ field: 'p12', message: `证书自 ${notBefore.toISOString().slice(0, 10)} 起才生效` });
      } catch (err) {
        if (!(err instanceof SigningIdentityError)) throw err;
        errors.push({ field: err.field, message: err.message });
      }
    } else if (!existing) errors.push({ field: 'p12', message: '请选择签名证书文件（.p12/.pfx）' });
    const seal = input.seal?.length ? input.seal : undefined;
    if (seal) {
      const problem = sealProblem(seal);
      if (problem) errors.push({ field: 'seal', message: problem });
    } else if (!existing) errors.push({ field: 'seal', message: '请选择印章图片（透明背景的 PNG）' });
    if (errors.length) throw DomainError.validation(errors, '签名证书或印章无效');

    if (!p12 && existing) {
      try {
        ({ p12, password } = await this.openRow(existing));
      } catch (err) {
        if (!(err instanceof SecretBoxError)) throw err;
        throw DomainError.validation([{ field: 'p12', message: `现有${err.message}，请重新选择签名证书文件` }]);
      }
      key = loadPkcs12(p12, password);
    }
    const newSeal = seal ?? Buffer.from(existing!.seal);
    const data = {
      p12: new Uint8Array(this.box.seal(p12!, `${orgId}/p12`)),
      p12Password: this.box.sealText(password, `${orgId}/password`),
      subject: key!.subject,
      notAfter: key!.notAfter,
      seal: new Uint8Array(newSeal),
    };
    const fingerprint = colonHex(ArchiveService.sha256(key!.certificates[0]));
    await this.audit.transaction(async (tx) => {
      const before = await tx.organSigningIdentity.findUnique({ where: { orgId }, select: { subject: true, notAfter: true, seal: true } });
      await tx.organSigningIdentity.upsert({ where: { orgId }, create: { orgId, ...data }, update: data });
      await this.audit.record(tx, {
        actor,
        action: 'org.update',
        entityType: 'organization',
        entityId: orgId,
        data: {
          before: before
            ? { signingCertificate: before.subject, notAfter: before.notAfter.toISOString(), sealSha256: ArchiveService.sha256(Buffer.from(before.seal)) }
            : { signingCertificate: null },
          after: {
            signingCertificate: key!.subject,
            fingerprint,
            notAfter: key!.notAfter.toISOString(),
            sealSha256: ArchiveService.sha256(newSeal),
            sealBytes: newSeal.length,
            source,
          },
        },
      });
    });
    this.cache.delete(orgId);
    return { subject: key!.subject, notAfter: key!.notAfter };
  }

  /**
   * A self-signed certificate for the organ (RSA 2048, ten years), with a random password that only the encrypted row
   * holds; the organ keeps its seal, or gets the demo seal when it has none.
   */
  async generateSelfSigned(actor: Actor | null, orgId: string, source: 'self-signed' | 'demo' = 'self-signed'): Promise<{ subject: string; notAfter: Date }> {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId } });
    if (!org) throw DomainError.notFound('组织');
    const existing = await this.prisma.organSigningIdentity.findUnique({ where: { orgId }, select: { seal: true } });
    const organ = org.name.replace(/^中共(.+?市)?(.+?区)?/, '中共') || org.name;
    const password = randomBytes(18).toString('base64url');
    return this.configure(
      actor,
      orgId,
      { p12: selfSignedPkcs12(organ, password), password, seal: existing ? Buffer.from(existing.seal) : Buffer.from(demoSealSvg(organ)) },
      source,
    );
  }

  /** The demo township's self-signed certificate and demo seal, made once (npm start runs it with seed-demo). */
  async ensureDemo(orgId: string): Promise<{ created: boolean; subject: string }> {
    const existing = await this.prisma.organSigningIdentity.findUnique({ where: { orgId }, select: { subject: true } });
    if (existing) return { created: false, subject: existing.subject };
    const r = await this.generateSelfSigned(null, orgId, 'demo');
    return { created: true, subject: r.subject };
  }
}

/** Node prints a certificate's UTF-8 names byte by byte; read them back as UTF-8. */
const utf8 = (s: string) => ([...s].every((c) => c.charCodeAt(0) < 0x100) ? Buffer.from(s, 'latin1').toString('utf8') : s).replace(/\n/g, ', ');
