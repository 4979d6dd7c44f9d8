import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Prisma } from '../prisma/client';
import type { Tx } from '../prisma/prisma.service';

/** What can set off an accountability proposal. */
export type AccountabilityTrigger = 'OVERDUE_FILING' | 'OVERDUE_RECTIFICATION' | 'LOW_GRADE' | 'FAILED_RECTIFICATION' | 'MANUAL';

export interface Proposal {
  /** Stable per cause (e.g. the filing and its deadline): a retried activity proposes once. */
  key: string;
  trigger: AccountabilityTrigger;
  /** The organisation concerned, and the person when a person is. */
  target: { orgId: string; personId?: string | null };
  /** The record that set it off. */
  source: { type: string; id: string };
  /** What a case officer needs to judge it, as of now: titles, deadlines, reminders sent, findings. */
  evidence: Record<string, unknown>;
}

/** The one intake of accountability: overdue filings and rectifications today, low grades and cases next. */
@Injectable()
export class AccountabilityService {
  constructor(private readonly audit: AuditService) {}

  /** Records the proposal once (by key), with its audit record, in the caller's transaction. */
  async propose(tx: Tx, p: Proposal): Promise<boolean> {
    const { count } = await tx.accountabilityProposal.createMany({
      data: [
        {
          key: p.key,
          orgId: p.target.orgId,
          personId: p.target.personId ?? null,
          trigger: p.trigger,
          sourceType: p.source.type,
          sourceId: p.source.id,
          evidence: JSON.parse(JSON.stringify(p.evidence)) as Prisma.InputJsonValue,
        },
      ],
      skipDuplicates: true,
    });
    if (count) {
      const row = await tx.accountabilityProposal.findUniqueOrThrow({ where: { key: p.key }, select: { id: true } });
      await this.audit.record(tx, {
        actor: null,
        action: 'accountability.propose',
        entityType: 'accountability_proposal',
        entityId: row.id,
        data: { trigger: p.trigger, orgId: p.target.orgId, personId: p.target.personId ?? undefined, sourceType: p.source.type, sourceId: p.source.id },
      });
    }
    return count > 0;
  }
}
