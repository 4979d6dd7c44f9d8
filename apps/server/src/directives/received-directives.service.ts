import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { hasPermission, permissions } from '../auth/permissions';
import { DomainError } from '../common/errors/domain-error';
import { FilingStatus, Prisma, TaskStatus } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { docNumberText } from './doc-number-text';

/** 收文 searched by 文号 (a bare number is the 序号), 年度 (of the 文号) and 关键词 (标题). */
export interface ReceivedFilter {
  no?: string;
  year?: number;
  q?: string;
}

/** Rows shown at most; more asks for a narrower search. */
export const RECEIVED_LIMIT = 200;

export interface ReceivedRow {
  id: string;
  documentId: string;
  title: string;
  docNumber: string;
  issuedAt: Date | null;
  revoked: boolean;
  receipt: { status: TaskStatus; overdue: boolean; completedAt: Date | null; dueAt: Date | null };
  requirements: { id: string; title: string; filing?: { id: string; status: FilingStatus; overdue: boolean; deadlineAt: Date } }[];
}

/**
 * 收文: the directives sent to the reader's own branch, newest first — those it has a receipt (签收) task for, once
 * signed and numbered (the same rule as the directive page a branch opens), with its receipt and its own filings.
 * Never another branch's.
 */
@Injectable()
export class ReceivedDirectivesService {
  constructor(private readonly prisma: PrismaService) {}

  async list(actor: Actor, filter: ReceivedFilter): Promise<{ rows: ReceivedRow[]; more: boolean }> {
    if (!hasPermission(actor.role, permissions.receiptRead)) throw DomainError.forbidden();
    const receipts = await this.prisma.task.findMany({
      where: { kind: 'RECEIPT', orgId: actor.orgId, originType: 'directive', originId: { not: null } },
      select: { originId: true, status: true, overdue: true, completedAt: true, dueAt: true },
    });
    if (!receipts.length) return { rows: [], more: false };
    const receiptOf = new Map(receipts.map((r) => [r.originId as string, r]));
    const and: Prisma.DirectiveWhereInput[] = [
      { id: { in: [...receiptOf.keys()] } },
      { status: { in: ['SIGNED', 'ISSUED', 'REVOKED'] } },
      { document: { docNumber: { not: null }, status: { not: 'DRAFT' } } },
    ];
    if (filter.q) and.push({ document: { title: { contains: filter.q, mode: 'insensitive' } } });
    if (filter.no)
      and.push(/^\d{1,6}$/.test(filter.no) ? { document: { serial: Number(filter.no) } } : { document: { docNumber: { contains: docNumberText(filter.no) } } });
    if (filter.year) and.push({ document: { year: filter.year } });
    const found = await this.prisma.directive.findMany({
      where: { AND: and },
      select: { id: true, status: true, issuedAt: true, document: { select: { id: true, title: true, docNumber: true } } },
      // Newest first: the latest 印发 on top; one still being issued (no 印发日期 yet) above them.
      orderBy: [{ issuedAt: { sort: 'desc', nulls: 'first' } }, { document: { year: 'desc' } }, { document: { serial: 'desc' } }],
      take: RECEIVED_LIMIT + 1,
    });
    const shown = found.slice(0, RECEIVED_LIMIT);
    const requirements = shown.length
      ? await this.prisma.requirement.findMany({
          where: { directiveId: { in: shown.map((d) => d.id) } },
          orderBy: { sortOrder: 'asc' },
          select: {
            id: true,
            title: true,
            directiveId: true,
            filings: { where: { orgId: actor.orgId }, select: { id: true, status: true, overdue: true, deadlineAt: true } },
          },
        })
      : [];
    const rows = shown.map((d) => {
      const r = receiptOf.get(d.id) as (typeof receipts)[number];
      return {
        id: d.id,
        documentId: d.document.id,
        title: d.document.title,
        docNumber: d.document.docNumber as string,
        issuedAt: d.issuedAt,
        revoked: d.status === 'REVOKED',
        receipt: { status: r.status, overdue: r.overdue, completedAt: r.completedAt, dueAt: r.dueAt },
        requirements: requirements.filter((q) => q.directiveId === d.id).map((q) => ({ id: q.id, title: q.title, filing: q.filings[0] })),
      };
    });
    return { rows, more: found.length > RECEIVED_LIMIT };
  }
}
