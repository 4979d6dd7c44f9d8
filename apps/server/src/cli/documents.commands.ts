import { Module, type INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { ZONE } from '../calendar/working-calendar';
import { ConfigModule } from '../config/config.module';
import { AppConfig } from '../config/app-config';
import { ArchiveService } from '../documents/archive.service';
import { importText } from '../documents/import';
import { SigningIdentityService } from '../documents/signing-identity.service';
import { verifyPdf } from '../documents/signing/pdf-signature';
import { PrismaModule } from '../prisma/prisma.module';
import { PrismaService } from '../prisma/prisma.service';
import { validateDocumentModel } from '../documents/model';
import { DocumentRenderer } from '../documents/render';
import { OfdExporter, ofdInfoOf } from '../documents/ofd/ofd-exporter';
import { UsageError } from './cli-error';

function readText(file: string, what: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`无法读取${what}“${file}”：${(err as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (err as Error).message}`);
  }
  if (!text.trim()) throw new UsageError(`${what}“${file}”是空的`);
  return text;
}

/** import-text: plain-text directive → document model JSON; unplaced text is kept and listed as warnings. */
export function importTextCommand(file: string, out: string): void {
  const { model, warnings } = (() => {
    try {
      return importText(readText(file, '文本文件'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError((err as Error).message);
    }
  })();
  fs.writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  for (const w of warnings) process.stderr.write(`警告：${w}\n`);
  process.stdout.write(`已导入：${out}\n`);
}

/** render: document model JSON → PDF (or the HTML preview with --html), and/or the OFD (GB/T 33190) with --ofd. */
export async function renderCommand(file: string, out: string | undefined, opts: { html?: boolean; ofd?: string; chromePath: string }): Promise<void> {
  if (!out && !opts.ofd) throw new UsageError('请用 --out <文件> 指定 PDF（或 --html 预览）的输出文件，或用 --ofd <文件.ofd> 输出 OFD');
  if (opts.html && !out) throw new UsageError('--html 需要同时用 --out <文件> 指定输出文件');
  let input: unknown;
  try {
    input = JSON.parse(readText(file, '公文模型文件'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`公文模型文件“${file}”不是合法的 JSON：${(err as Error).message}`);
  }
  const result = validateDocumentModel(input);
  if (!result.ok) {
    throw new UsageError(`公文模型有 ${result.errors.length} 处错误：\n${result.errors.map((e) => `  ${e.field}：${e.message}`).join('\n')}`);
  }
  const renderer = new DocumentRenderer({ chromePath: opts.chromePath });
  await renderer.start();
  try {
    if (out && opts.html) fs.writeFileSync(out, await renderer.renderHtml(result.model));
    if ((out && !opts.html) || opts.ofd) {
      const pdf = await renderer.renderPdf(result.model);
      if (out && !opts.html) fs.writeFileSync(out, pdf);
      if (opts.ofd) {
        // the OFD is the PDF's pages read back, so its text sits where the PDF's does
        const exporter = new OfdExporter();
        try {
          fs.writeFileSync(opts.ofd, await exporter.fromPdf(pdf, ofdInfoOf(result.model)));
        } finally {
          await exporter.close();
        }
      }
    }
  } finally {
    await renderer.close();
  }
  process.stdout.write(`已生成：${[out, opts.ofd].filter(Boolean).join('、')}\n`);
}

/** verify: a signed PDF's signer, time and integrity; exit code 1 when it is unsigned or changed. */
export function verifyCommand(file: string): number {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`无法读取 PDF“${file}”：${(err as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (err as Error).message}`);
  }
  const r = verifyPdf(bytes);
  const out = [`文件：${file}（SHA-256 ${ArchiveService.sha256(bytes)}）`];
  if (!r.signed) out.push('结果：未签名');
  else {
    if (r.organ) out.push(`签名机关：${r.organ}`);
    if (r.signer) out.push(`签名证书：${r.signer}${r.selfSigned ? '（自签名证书，未经第三方认证机构签发）' : ''}`);
    if (r.certificateValidUntil) out.push(`证书有效期至：${r.certificateValidUntil.slice(0, 10)}`);
    // the signature dictionary's /M is UTC; a reader in China reads Beijing time
    if (r.signedAt) out.push(`签名时间：${DateTime.fromISO(r.signedAt, { setZone: true }).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm:ss')}（北京时间）`);
    out.push(r.intact ? '结果：签名有效，文件自签名后未被改动' : `结果：验证失败——${r.problem}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return r.signed && r.intact ? 0 : 1;
}

@Module({ imports: [ConfigModule, PrismaModule, AuditModule], providers: [SigningIdentityService] })
export class SigningCliModule {}

/** signing-identity: an organ's certificate (.p12) and seal image, or (--demo) a self-signed demo pair. */
export async function signingIdentityCommand(
  ctx: INestApplicationContext,
  orgCode: string,
  opts: { p12?: string; password?: string; seal?: string; demo?: boolean },
): Promise<void> {
  const org = await ctx.get(PrismaService).organization.findUnique({ where: { code: orgCode } });
  if (!org) throw new UsageError(`组织编码“${orgCode}”不存在`);
  const identities = ctx.get(SigningIdentityService);
  if (opts.demo) {
    const r = await identities.ensureDemo(org.id);
    process.stdout.write(r.created ? `已为${org.name}生成演示证书和演示印章：${r.subject}\n` : `${org.name}已有签名证书（${r.subject}），未作改动。\n`);
    return;
  }
  if (!opts.p12 || !opts.seal) throw new UsageError('请用 --p12 <证书.p12> 和 --seal <印章.png|.svg> 指定证书和印章（或用 --demo 生成演示证书）');
  const r = await identities.configure(
    null,
    org.id,
    {
      p12: fs.readFileSync(opts.p12),
      password: opts.password ?? '',
      seal: fs.readFileSync(opts.seal),
    },
    'cli',
  );
  process.stdout.write(`已设置${org.name}的签名证书：${r.subject}，有效期至 ${r.notAfter.toISOString().slice(0, 10)}\n`);
}

/** After seed-demo: the demo township signs its documents with a self-signed demo certificate. */
export async function ensureDemoSigningIdentity(ctx: INestApplicationContext, committeeCode: string): Promise<string | null> {
  const org = await ctx.get(PrismaService).organization.findUnique({ where: { code: committeeCode } });
  if (!org) return null;
  const r = await new SigningIdentityService(ctx.get(PrismaService), ctx.get(AuditService), ctx.get(AppConfig)).ensureDemo(org.id);
  return r.created ? `已为${org.name}生成演示签名证书和电子印章（自签名，仅供演示）。` : null;
}
