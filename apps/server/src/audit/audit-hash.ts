import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: bigint;
  at: Date;
  actorId: string | null;
  capacity: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
  prevHash: string;
}

/** JSON with object keys sorted at every level, so jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(f: AuditFields): string {
  const payload = canonicalJson({
    seq: f.seq.toString(),
    at: f.at.toISOString(),
    actorId: f.actorId,
    capacity: f.capacity,
    action: f.action,
    entityType: f.entityType,
    entityId: f.entityId,
    data: f.data,
    prevHash: f.prevHash,
  });
  return createHash('sha256').update(payload).digest('hex');
}

export interface ChainBreak {
  seq: bigint;
  reason: string;
}

/** Checks one row against its predecessor; returns why the link is broken, or null. */
export function checkLink(row: AuditFields & { hash: string }, prev: { seq: bigint; hash: string } | null): string | null {
  const expectedSeq = prev ? prev.seq + 1n : 1n;
  if (row.seq !== expectedSeq) return `缺少第 ${expectedSeq} 条记录（可能被删除）`;
  const expectedPrev = prev ? prev.hash : GENESIS_HASH;
  if (row.prevHash !== expectedPrev) return '前序哈希不匹配（前一条记录被删除或篡改）';
  if (auditHash(row) !== row.hash) return '内容与哈希不符（记录被篡改）';
  return null;
}

/** The fingerprint a checkpoint names its key by: enough to tell keys apart, nothing to recover one from. */
export function checkpointKeyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** HMAC-SHA256 over the chain's position and head hash, with a key the database never sees. */
export function signCheckpoint(key: string, seq: bigint, hash: string): string {
  return createHmac('sha256', key).update(`dangjian-audit-checkpoint:${seq}:${hash}`).digest('hex');
}

/** Whether a stored checkpoint's signature is the one `key` gives (constant-time comparison). */
export function checkpointSignatureValid(key: string, cp: { seq: bigint; hash: string; signature: string }): boolean {
  const expected = Buffer.from(signCheckpoint(key, cp.seq, cp.hash), 'hex');
  const given = Buffer.from(cp.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
