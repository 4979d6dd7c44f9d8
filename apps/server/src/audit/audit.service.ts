import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AuditLog, Prisma } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import type { Actor } from './actor';
import type { AuditAction, AuditEntryOf } from './audit-actions';
import { auditHash, ChainBreak, checkLink, checkpointKeyId, checkpointSignatureValid, GENESIS_HASH, signCheckpoint } from './audit-hash';

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

/** What `verify` finds: every break of the chain and of its signed checkpoints, not only the first. */
export interface AuditVerification {
  ok: boolean;
  /** Records read. */
  checked: number;
  /** Signed checkpoints whose signature and position were checked. */
  checkpoints: number;
  breaks: ChainBreak[];
  firstBreak: ChainBreak | null;
  /** Why checkpoints could not be checked (no key configured), when they could not. */
  warning: string | null;
}

/** More breaks than this are summarised: a wholesale rewrite is one finding, not a million lines. */
const MAX_BREAKS = 1000;

@Injectable()
export class AuditService {
  private readonly key?: string;
  private readonly keyId?: string;

  constructor(
    private readonly prisma: PrismaService,
    config: AppConfig,
  ) {
    this.key = config.AUDIT_SIGNING_KEY;
    this.keyId = this.key ? checkpointKeyId(this.key) : undefined;
  }

  /**
   * Records one entry of the caller's transaction (opened by `transaction`): it is written with the transaction's
   * last statement, so the change and its record commit together, and the chain lock is not held through the work.
   */
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    const pending = pendingOf.get(tx);
    if (!pending) throw new Error(`审计记录 ${entry.action} 须在 AuditService.transaction 中写入`);
    pending.push({ entry, at: new Date() });
  }

  /** One record in a transaction of its own: for what changes nothing else (a read of an issued document, a logout). */
  async recordOne(entry: AuditEntry): Promise<void> {
    await this.transaction((tx) => this.record(tx, entry));
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
    if (this.key && this.keyId)
      await tx.auditCheckpoint.create({ data: { seq, hash: prevHash, keyId: this.keyId, signature: signCheckpoint(this.key, seq, prevHash) } });
  }

  /**
   * Walks the whole chain in order and every signed checkpoint, and reports every break: a record altered, deleted or
   * inserted; a checkpoint whose signature is not the key's (forged or altered) or whose position no longer holds the
   * hash it signed (the records before it were rewritten, even with their plain hashes recomputed); the newest
   * records missing (the head or the last checkpoint points past the end).
   */
  async verify(): Promise<AuditVerification> {
    const breaks: ChainBreak[] = [];
    let dropped = 0;
    const add = (seq: bigint, reason: string) => (breaks.length < MAX_BREAKS ? breaks.push({ seq, reason }) : dropped++);

    let prev: { seq: bigint; hash: string } | null = null;
    let checked = 0;
    for (;;) {
      const rows: AuditLog[] = await this.prisma.auditLog.findMany({
        where: prev ? { seq: { gt: prev.seq } } : {},
        orderBy: { seq: 'asc' },
        take: 1000,
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const reason = checkLink(row, prev);
        if (reason) add(row.seq, reason);
        // Go on from this record as it stands, so each later break is reported on its own.
        prev = { seq: row.seq, hash: row.hash };
        checked++;
      }
    }
    this.checkHead(prev, await this.prisma.auditChainHead.findUnique({ where: { id: 1 } }), add);
    const checkpoints = await this.checkCheckpoints(prev, add);

    breaks.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    if (dropped) breaks.push({ seq: breaks[breaks.length - 1].seq, reason: `另有 ${dropped} 处断开未逐条列出` });
    return {
      ok: breaks.length === 0,
      checked,
      checkpoints: checkpoints.checked,
      breaks,
      firstBreak: breaks[0] ?? null,
      warning: checkpoints.warning,
    };
  }

  /** The chain must end where the head says it does; otherwise its last records were deleted. */
  private checkHead(last: { seq: bigint; hash: string } | null, head: { seq: bigint; hash: string } | null, add: (seq: bigint, reason: string) => void) {
    const headSeq = head?.seq ?? 0n;
    const lastSeq = last?.seq ?? 0n;
    if (headSeq > lastSeq) add(lastSeq + 1n, `末尾缺少第 ${lastSeq + 1n} 至 ${headSeq} 条记录（可能被删除）`);
    else if (head && last && head.seq === last.seq && head.hash !== last.hash) add(lastSeq, '最后一条记录与链头不符（记录被篡改）');
  }

  /** Each checkpoint's signature, and that the record at its position still carries the hash it signed. */
  private async checkCheckpoints(
    last: { seq: bigint } | null,
    add: (seq: bigint, reason: string) => void,
  ): Promise<{ checked: number; warning: string | null }> {
    if (!this.key) return { checked: 0, warning: '未配置审计签名密钥（AUDIT_SIGNING_KEY），未校验签名检查点' };
    let checked = 0;
    let after = -1n;
    let lastSigned: bigint | null = null;
    for (;;) {
      const rows = await this.prisma.$queryRaw<{ seq: bigint; hash: string; key_id: string; signature: string; row_hash: string | null }[]>`
        SELECT c.seq, c.hash, c.key_id, c.signature, a.hash AS row_hash
        FROM audit_checkpoint c LEFT JOIN audit_log a ON a.seq = c.seq
        WHERE c.seq > ${after} ORDER BY c.seq LIMIT 1000`;
      if (rows.length === 0) break;
      for (const cp of rows) {
        after = cp.seq;
        checked++;
        if (cp.key_id !== this.keyId) {
          add(cp.seq, `检查点由另一密钥（${cp.key_id}）签名，当前密钥无法校验`);
          continue;
        }
        if (!checkpointSignatureValid(this.key, cp)) {
          add(cp.seq, '检查点签名无效（检查点被伪造或篡改）');
          continue;
        }
        lastSigned = cp.seq;
        if (cp.row_hash === null) add(cp.seq, `签名检查点所指的第 ${cp.seq} 条记录不存在（记录被删除）`);
        else if (cp.row_hash !== cp.hash) add(cp.seq, '记录与签名检查点不符（此前的记录被改写，哈希被重新计算）');
      }
    }
    const lastSeq = last?.seq ?? 0n;
    if (lastSigned !== null && lastSigned > lastSeq) add(lastSeq + 1n, `签名检查点显示共有 ${lastSigned} 条记录，现仅存 ${lastSeq} 条（末尾记录被删除）`);
    return { checked, warning: null };
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
