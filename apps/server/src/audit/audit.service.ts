import { Injectable } from '@nestjs/common';
import { AuditLog, Prisma } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import type { Actor } from './actor';
import type { AuditAction, AuditEntryOf } from './audit-actions';
import { auditHash, ChainBreak, checkLink, GENESIS_HASH } from './audit-hash';

/** A record as callers give it: one of the named actions, with its entity type and data shape. */
export type AuditEntry = { [A in AuditAction]: AuditEntryOf<A, Actor> }[AuditAction];

// Serialises appends so each record links to the one before it. Taken by the transaction's last statement
// (the chain insert), so it is held from there to the commit, not through the transaction's own work.
const CHAIN_LOCK = 7_212_001;

interface Pending {
  entry: AuditEntry;
  at: Date;
}
/** The records of each open transaction, appended to the chain when its work is done. */
const pendingOf = new WeakMap<Tx, Pending[]>();

@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records one entry of the caller's transaction (opened by `transaction`): it is written with the transaction's
   * last statement, so the change and its record commit together, and the chain lock is not held through the work.
   */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    const pending = pendingOf.get(tx);
    if (!pending) throw new Error(`审计记录 ${entry.action} 须在 AuditService.transaction 中写入`);
    pending.push({ entry, at: new Date() });
  }

  /** Runs `work`, then appends its audit records to the chain, in one interactive transaction. */
  async transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeout?: number }): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        const pending: Pending[] = [];
        pendingOf.set(tx, pending);
        const result = await work(tx);
        if (pending.length) await this.append(tx, pending);
        return result;
      },
      { timeout: options?.timeout ?? 15_000, maxWait: 10_000 },
    );
  }

  /** The chain insert: lock, read the head, link and insert every record, move the head. */
  private async append(tx: Tx, pending: Pending[]): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const head = await tx.auditChainHead.findUnique({ where: { id: 1 } });
    let seq = head?.seq ?? 0n;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = pending.map(({ entry, at }) => {
      seq += 1n;
      const fields = {
        seq,
        at,
        actorId: entry.actor?.personId ?? null,
        capacity: entry.actor ? `${entry.actor.role}@${entry.actor.orgId}` : null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        data: JSON.parse(JSON.stringify(entry.data ?? {})) as Prisma.InputJsonValue,
        prevHash,
      };
      const hash = auditHash(fields);
      prevHash = hash;
      return { ...fields, hash };
    });
    await tx.auditLog.createMany({ data: rows });
    await tx.auditChainHead.upsert({ where: { id: 1 }, create: { id: 1, seq, hash: prevHash }, update: { seq, hash: prevHash } });
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
