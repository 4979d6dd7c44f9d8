import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { ZONE } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import type { ChainConfig } from '../directives/chain';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Document, Organization, Prisma } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { ArchiveService } from './archive.service';
import { DocNumberService } from './doc-number.service';
import { importText } from './import';
import { DocumentModel, formatOf, validateDocumentModel } from './model';
import { RendererService } from './renderer.service';
import { SigningIdentityService } from './signing-identity.service';
import { signPdf, verifyPdf, VerifyResult } from './signing/pdf-signature';

export const DocumentStatus = { DRAFT: 'DRAFT', SIGNED: 'SIGNED', ISSUED: 'ISSUED' } as const;

/** Validates untrusted input into a DocumentModel, or a 400 listing every bad field. */
export function parseModel(input: unknown): DocumentModel {
  const r = validateDocumentModel(input);
  if (!r.ok)
    throw DomainError.validation(
      r.errors.map((e) => ({ field: `model.${e.field}`.replace(/\.$/, ''), message: e.message })),
      '公文内容有误',
    );
  return r.model;
}

const shanghaiToday = () => DateTime.now().setZone(ZONE).toISODate() as string;

@Injectable()
export class DocumentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly numbers: DocNumberService,
    private readonly archive: ArchiveService,
    private readonly renderer: RendererService,
    private readonly identities: SigningIdentityService,
  ) {}

  async create(actor: Actor, input: unknown): Promise<Document> {
    const model = parseModel(input);
    return this.audit.transaction((tx) => this.createIn(tx, actor, model));
  }

  /** Creates a draft inside the caller's transaction (a directive creates its document with itself). */
  async createIn(tx: Tx, actor: Actor, model: DocumentModel): Promise<Document> {
    const org = await tx.organization.findUniqueOrThrow({ where: { id: actor.orgId } });
    // The issuing organ's own 代字 wins; a number carried in imported text is history, not a reservation.
    const organCode = org.organCode ?? model.docNumber?.organCode;
    if (!organCode) {
      throw DomainError.validation([
        { field: 'model.docNumber.organCode', message: `本组织（${org.name}）未设置发文机关代字，请在组织管理中填写或在公文中指定` },
      ]);
    }
    const doc = await tx.document.create({
      data: { orgId: org.id, kind: model.kind, title: model.title, organCode, model: toJson(withOrganKind(model, org)), createdById: actor.personId },
    });
    await this.audit.record(tx, { actor, action: 'document.create', entityType: 'document', entityId: doc.id, data: { title: model.title, kind: model.kind } });
    return doc;
  }

  async get(actor: Actor, id: string): Promise<Document> {
    const doc = await this.prisma.document.findUnique({ where: { id } });
    if (!doc || !((await this.scope.canSee(actor, doc.orgId)) || (await this.isAddressee(actor, id)))) throw DomainError.notFound('公文');
    if (doc.status === DocumentStatus.DRAFT && !(await this.mayReadDraft(actor, doc))) throw DomainError.notFound('公文');
    return doc;
  }

  /**
   * An unsigned draft is read by those who may draft in its committee (党建办, 书记) and by the people named on its
   * directive's approval chain (核稿, 会签, 签发) — not by every committee capacity (the evaluator, an inspector, the
   * administrator), and never by a branch.
   */
  private async mayReadDraft(actor: Actor, doc: Document): Promise<boolean> {
    if (!(await this.scope.canSee(actor, doc.orgId))) return false;
    if (hasPermission(actor.role, permissions.documentDraft)) return true;
    if (!hasPermission(actor.role, permissions.directiveApprove)) return false;
    const directive = await this.prisma.directive.findUnique({ where: { documentId: doc.id }, select: { chain: true } });
    const chain = directive?.chain as Partial<ChainConfig> | undefined;
    return !!chain && [...(chain.reviewers ?? []), ...(chain.countersigners ?? []), chain.signerId].includes(actor.personId);
  }

  /** A branch sees a document that was distributed to it (it holds a receipt task for it). */
  private async isAddressee(actor: Actor, documentId: string): Promise<boolean> {
    const directive = await this.prisma.directive.findUnique({ where: { documentId }, select: { id: true } });
    if (!directive) return false;
    const sent = await this.prisma.task.findFirst({
      where: { kind: 'RECEIPT', orgId: actor.orgId, originType: 'directive', originId: directive.id },
      select: { id: true },
    });
    return !!sent;
  }

  /**
   * A directive's document changes and is signed only through the directive's lifecycle (a new version, the
   * approval chain, the signing activity): the document routes refuse it, naming the directive.
   */
  private async refuseIfDirective(id: string, doing: string): Promise<void> {
    const directive = await this.prisma.directive.findUnique({ where: { documentId: id }, select: { document: { select: { title: true } } } });
    if (directive) throw DomainError.conflict(`该公文属于发文《${directive.document.title}》，只能在发文的审批流程中${doing}`);
  }

  async updateDraft(actor: Actor, id: string, input: unknown): Promise<Document> {
    const model = parseModel(input);
    const doc = await this.get(actor, id);
    await this.refuseIfDirective(id, '修改');
    if (doc.status !== DocumentStatus.DRAFT) throw DomainError.conflict('公文已签发，不能再修改');
    return this.audit.transaction((tx) => this.updateDraftIn(tx, actor, id, model));
  }

  /** The draft's text, inside the caller's transaction (a directive's new version writes its document with itself). */
  async updateDraftIn(tx: Tx, actor: Actor, id: string, model: DocumentModel, directive?: { id: string; version: number }): Promise<Document> {
    const { count } = await tx.document.updateMany({
      where: { id, status: DocumentStatus.DRAFT },
      data: { kind: model.kind, title: model.title, model: toJson(model) },
    });
    if (!count) throw DomainError.conflict('公文已签发，不能再修改');
    await this.audit.record(tx, {
      actor,
      action: 'document.update',
      entityType: 'document',
      entityId: id,
      data: { title: model.title, directiveId: directive?.id, version: directive?.version },
    });
    return tx.document.findUniqueOrThrow({ where: { id } });
  }

  /**
   * 签发: allocates the next number for the organ and year and records the signature in one
   * transaction; the 成文日期 printed is the one in the text (the drafter's, which the signer was shown), the 印发日期
   * the signing day. Rendering and archiving follow (issuePdf).
   */
  async sign(actor: Actor, id: string): Promise<Document> {
    await this.get(actor, id);
    await this.refuseIfDirective(id, '签发');
    return this.audit.transaction((tx) => this.signIn(tx, actor, id), { timeout: 30_000 });
  }

  /**
   * 签发 inside the caller's transaction: locks the document, allocates the number and records the signature, so a
   * directive's status can change in the same commit. A document already signed is refused (the caller decides
   * whether that is a retry).
   */
  async signIn(tx: Tx, actor: Actor, id: string, directive?: { id: string; version: number }): Promise<Document> {
    const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM document WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.status !== DocumentStatus.DRAFT) throw DomainError.conflict('公文已签发，不能重复签发');
    const doc = await tx.document.findUniqueOrThrow({ where: { id } });
    const today = shanghaiToday();
    const year = Number(today.slice(0, 4));
    const { serial, docNumber } = await this.numbers.allocate(tx, doc.organCode, year);
    const org = await tx.organization.findUniqueOrThrow({ where: { id: doc.orgId } });
    const drafted = withOrganKind(doc.model as unknown as DocumentModel, org);
    const model = {
      ...drafted,
      docNumber: { organCode: doc.organCode, year, serial },
      printing: drafted.printing ?? printingOf(drafted, org, today),
    };
    // The attachment files are linked to the document while it is still a draft, in the commit that signs it; the
    // rows can never change afterwards (database triggers), and the bytes are the write-once archive's.
    const files = (drafted.attachments ?? []).flatMap((a, i) => (a.file ? [{ seq: i + 1, title: a.title, ...a.file }] : []));
    if (files.length) await tx.documentAttachment.createMany({ data: files.map((f) => ({ documentId: id, ...f })) });
    const signed = await tx.document.update({
      where: { id },
      data: { year, serial, docNumber, status: DocumentStatus.SIGNED, signedById: actor.personId, signedAt: new Date(), model: toJson(model) },
    });
    await this.audit.record(tx, {
      actor,
      action: 'document.sign',
      entityType: 'document',
      entityId: id,
      data: { docNumber, title: doc.title, directiveId: directive?.id, version: directive?.version },
    });
    return signed;
  }

  /** Renders the signed document once and archives the PDF; later calls return the archived bytes. */
  async issuePdf(actor: Actor | null, id: string): Promise<{ sha256: string; bytes: Buffer }> {
    const doc = await this.prisma.document.findUnique({ where: { id }, include: { pdf: true } });
    if (!doc) throw DomainError.notFound('公文');
    if (doc.pdf) return { sha256: doc.pdf.sha256, bytes: await this.archive.read(doc.pdf) };
    if (doc.status === DocumentStatus.DRAFT) throw DomainError.conflict('公文尚未签发，不能印发');
    const bytes = await this.renderSigned(parseModel(doc.model), doc.orgId, doc.docNumber);
    const sha256 = await this.audit.transaction(async (tx) => {
      const hash = await this.archive.store(tx, bytes, 'application/pdf');
      const { count } = await tx.document.updateMany({ where: { id, pdfSha256: null }, data: { pdfSha256: hash, status: DocumentStatus.ISSUED } });
      if (count === 1)
        await this.audit.record(tx, {
          actor,
          action: 'document.issue',
          entityType: 'document',
          entityId: id,
          data: { docNumber: doc.docNumber, sha256: hash, size: bytes.length },
        });
      return hash;
    });
    // A concurrent call may have archived first: the archived bytes are the document.
    const stored = await this.prisma.document.findUniqueOrThrow({ where: { id }, include: { pdf: true } });
    return stored.pdf && stored.pdf.sha256 !== sha256 ? { sha256: stored.pdf.sha256, bytes: await this.archive.read(stored.pdf) } : { sha256, bytes };
  }

  /**
   * The issued PDF: with the organ's 电子印章 over its signature and a PAdES signature by its certificate, when the
   * administrator has set them; otherwise unsealed and unsigned, as before.
   */
  private async renderSigned(model: DocumentModel, orgId: string, docNumber: string | null): Promise<Buffer> {
    const identity = await this.identities.forOrg(orgId);
    const signingTime = new Date();
    const pdf = await this.renderer.pdf(identity ? { ...model, seal: identity.sealDataUrl } : model, { creationDate: signingTime });
    if (!identity) return pdf;
    const organ = model.issuers[0]?.name ?? '';
    return signPdf(pdf, identity, { name: organ, reason: `${docNumber ?? model.title} 签发`, location: organ, signingTime });
  }

  /** Who signed the archived PDF, when, and whether its bytes are intact; `registered`: the organ's current certificate. */
  async verify(actor: Actor, id: string): Promise<VerifyResult & { docNumber: string | null; sha256: string; registered: boolean }> {
    const { bytes, sha256 } = await this.archivedPdf(actor, id);
    const doc = await this.prisma.document.findUniqueOrThrow({ where: { id }, select: { orgId: true, docNumber: true } });
    const result = verifyPdf(bytes);
    const identity = await this.identities.forOrg(doc.orgId);
    const registered = !!identity && !!result.certificateSha256 && ArchiveService.sha256(identity.certificates[0]) === result.certificateSha256;
    return { ...result, docNumber: doc.docNumber, sha256, registered };
  }

  /** The archived PDF, for whoever may see the document. */
  /** An issued document's archived PDF; each download (as PDF, or converted to OFD) is audited. */
  async archivedPdf(actor: Actor, id: string, format: 'pdf' | 'ofd' = 'pdf'): Promise<{ bytes: Buffer; sha256: string; filename: string }> {
    const doc = await this.get(actor, id);
    const file = doc.pdfSha256 ? await this.prisma.storedFile.findUnique({ where: { sha256: doc.pdfSha256 } }) : null;
    if (!file) throw DomainError.notFound('已印发的公文 PDF');
    await this.audit.recordOne({ actor, action: 'document.read', entityType: 'document', entityId: id, data: { docNumber: doc.docNumber, format } });
    return { bytes: await this.archive.read(file), sha256: file.sha256, filename: `${doc.docNumber} ${doc.title}.pdf`.replace(/[\\/:*?"<>|]/g, '_') };
  }

  /**
   * The Nth file of a document's 附件说明 (from 1), for whoever may read the document: once signed, the file linked to
   * it at signing (it cannot change); before, the one the draft names. Each opening is audited.
   */
  async attachment(actor: Actor, id: string, seq: number): Promise<{ name: string; mimeType: string; size: number; stream: Readable }> {
    const doc = await this.get(actor, id);
    let ref: { name: string; sha256: string } | undefined;
    if (doc.status === DocumentStatus.DRAFT) ref = (doc.model as unknown as DocumentModel).attachments?.[seq - 1]?.file;
    else ref = (await this.prisma.documentAttachment.findUnique({ where: { documentId_seq: { documentId: id, seq } } })) ?? undefined;
    const file = ref ? await this.prisma.storedFile.findUnique({ where: { sha256: ref.sha256 } }) : null;
    if (!ref || !file) throw DomainError.notFound('附件');
    await this.audit.recordOne({
      actor,
      action: 'document.attachment.read',
      entityType: 'document',
      entityId: id,
      data: { docNumber: doc.docNumber, seq, name: ref.name, sha256: ref.sha256 },
    });
    return { name: ref.name, mimeType: file.mimeType, size: file.size, stream: this.archive.stream(file) };
  }

  /** The files a document's 附件说明 names, in order: what was linked at signing, or (a draft) what the text names. */
  async attachmentsOf(doc: { id: string; status: string; model: unknown }): Promise<{ seq: number; title: string; name: string; size: number }[]> {
    if (doc.status !== DocumentStatus.DRAFT)
      return this.prisma.documentAttachment.findMany({
        where: { documentId: doc.id },
        orderBy: { seq: 'asc' },
        select: { seq: true, title: true, name: true, size: true },
      });
    return ((doc.model as DocumentModel | null)?.attachments ?? []).flatMap((a, i) =>
      a.file ? [{ seq: i + 1, title: a.title, name: a.file.name, size: a.file.size }] : [],
    );
  }

  async previewHtml(input: unknown): Promise<string> {
    return this.renderer.html(parseModel(input));
  }

  async previewPdf(input: unknown): Promise<Buffer> {
    return this.renderer.pdf(parseModel(input));
  }

  importText(text: string) {
    try {
      return importText(text);
    } catch (err) {
      throw DomainError.validation([{ field: 'text', message: (err as Error).message }], '无法导入');
    }
  }
}

/** The lead issuer's 机关性质 from the organisation's setting (draws the star on a Party organ's separator), unless the model says. */
export function withOrganKind(model: DocumentModel, org: Pick<Organization, 'issuerKind'>): DocumentModel {
  const [lead, ...rest] = model.issuers;
  if (!lead || lead.kind) return model;
  return { ...model, issuers: [{ ...lead, kind: org.issuerKind === 'GOVERNMENT' ? 'government' : 'party' }, ...rest] } as DocumentModel;
}

/** 版记's 印发机关 and 印发日期 (the signing day); 信函格式 carries none (GB/T 9704 10.1). */
function printingOf(model: DocumentModel, org: Pick<Organization, 'name' | 'printingOrgan'>, date: string): DocumentModel['printing'] {
  if (formatOf(model.kind) === 'letter') return undefined;
  return { organ: org.printingOrgan ?? org.name, date };
}

function toJson(model: DocumentModel): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(model)) as Prisma.InputJsonValue;
}
