import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { DomainError } from '../common/errors/domain-error';
import { ArchiveService } from '../documents/archive.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { PrismaService } from '../prisma/prisma.service';
import { today } from './case-rules';
import { actsForCommittee, CasesService } from './cases.service';
import { activeMeasures, commendationEligibility, describeBar } from './influence';

/** Reads around a case: its documents for the people it was served on, a person's influence periods. */
@Injectable()
export class AccountabilityQueriesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scope: OrgScopeService,
    private readonly cases: CasesService,
    private readonly audit: AuditService,
    private readonly archive: ArchiveService,
  ) {}

  async documentPdf(actor: Actor, caseId: string, documentId: string) {
    const c = actsForCommittee(actor) ? await this.cases.forCommittee(actor, caseId) : await this.cases.forConcerned(actor, caseId);
    const appeal = await this.prisma.accountabilityAppeal.findUnique({ where: { caseId }, select: { documentId: true } });
    if (documentId !== c.documentId && documentId !== appeal?.documentId) throw DomainError.notFound('公文');
    const doc = await this.prisma.document.findUnique({ where: { id: documentId }, include: { pdf: true } });
    if (!doc?.pdf) throw DomainError.notFound('已印发的公文 PDF');
    await this.audit.recordOne({
      actor,
      action: 'document.read',
      entityType: 'document',
      entityId: documentId,
      data: { docNumber: doc.docNumber, format: 'pdf' },
    });
    return { bytes: await this.archive.read(doc.pdf), filename: `${doc.docNumber} ${doc.title}.pdf`.replace(/[\\/:*?"<>|]/g, '_') };
  }

  async influence(actor: Actor, personId: string, day = today()) {
    if (!hasPermission(actor.role, permissions.accountabilityRead)) throw DomainError.forbidden();
    const visible = await this.scope.visibleOrgIds(actor);
    const serves = await this.prisma.membership.count({ where: { personId, orgId: { in: visible } } });
    if (!serves) throw DomainError.notFound('人员');
    const measures = await activeMeasures(this.prisma, { personId }, day);
    return {
      personId,
      day,
      measures: measures.map((m) => ({
        id: m.id,
        caseId: m.caseId,
        kind: m.kind,
        detail: m.detail,
        effectiveOn: m.effectiveOn,
        barring: m.barring,
        text: describeBar(m),
      })),
      commendation: await commendationEligibility(this.prisma, personId, day),
    };
  }
}
