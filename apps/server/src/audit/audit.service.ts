import { Injectable } from '@nestjs/common';
import { AuditLog, Prisma } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import type { Actor } from './actor';
import { auditHash, ChainBreak, checkLink, GENESIS_HASH } from './audit-hash';

export interface AuditEntry {
  actor: Actor | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

// Serialises appends so each record links to the one before it; held only until the transaction ends.
const CHAIN_LOCK = 7_212_001;

@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  /** Appends one record inside the caller's transaction, so the change and its record commit together. */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const last = await tx.auditChainHead.findUnique({ where: { id: 1 } });
    const fields = {
      seq: (last?.seq ?? 0n) + 1n,
      at: new Date(),
      actorId: entry.actor?.personId ?? null,
      capacity: entry.actor ? `${entry.actor.role}@${entry.actor.orgId}` : null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: JSON.parse(JSON.stringify(entry.data ?? {})) as Prisma.InputJsonValue,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = auditHash(fields);
    await tx.auditLog.create({ data: { ...fields, hash } });
    await tx.auditChainHead.upsert({ where: { id: 1 }, create: { id: 1, seq: fields.seq, hash }, update: { seq: fields.seq, hash } });
  }

  /** Runs `work` and its audit records in one interactive transaction. */
  async transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeout?: number }): Promise<T> {
    return this.prisma.$transaction(work, { timeout: options?.timeout ?? 15_000, maxWait: 10_000 });
  }

  /** Walks the whole chain in order; returns the first broken link, or null and the count. */
  async verify(): Promise<{ ok: boolean; checked: number; firstBreak: ChainBreak | null }> {
    let prev: { seq: bigint; hash: string } | null = null;
    let checked = 0;
    for (;;) {
      const rows: AuditLog[] = await this.prisma.auditLog.findMany({
        where: prev ? { seq: { gt: prev.seq } } : {},
        orderBy: { seq: 'asc' },
        take: 1000,
      });
      if (rows.length === 0) return this.checkHead(prev, checked);
      for (const row of rows) {
        const reason = checkLink(row, prev);
        if (reason) return { ok: false, checked, firstBreak: { seq: row.seq, reason } };
        prev = { seq: row.seq, hash: row.hash };
        checked++;
      }
    }
  }

  /** The chain must end where the head says it does; otherwise its last records were deleted. */
  private async checkHead(last: { seq: bigint; hash: string } | null, checked: number) {
    const head = await this.prisma.auditChainHead.findUnique({ where: { id: 1 } });
    const headSeq = head?.seq ?? 0n;
    const lastSeq = last?.seq ?? 0n;
    if (headSeq > lastSeq) {
      return { ok: false, checked, firstBreak: { seq: lastSeq + 1n, reason: `末尾缺少第 ${lastSeq + 1n} 至 ${headSeq} 条记录（可能被删除）` } };
    }
    if (head && last && head.hash !== last.hash) {
      return { ok: false, checked, firstBreak: { seq: lastSeq, reason: '最后一条记录与链头不符（记录被篡改）' } };
    }
    return { ok: true, checked, firstBreak: null };
  }

  async list(filter: { entityType?: string; entityId?: string; take?: number }) {
    const rows = await this.prisma.auditLog.findMany({
      where: { entityType: filter.entityType, entityId: filter.entityId },
      orderBy: { seq: 'desc' },
      take: Math.min(filter.take ?? 100, 500),
    });
    return rows.map((r) => ({ ...r, seq: r.seq.toString() }));
  }
}
