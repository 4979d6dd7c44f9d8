import { auditHash, canonicalJson, checkLink, GENESIS_HASH, AuditFields } from './audit-hash';

function row(seq: bigint, prevHash: string, data: unknown = { a: 1 }): AuditFields & { hash: string } {
  const f: AuditFields = {
    seq,
    at: new Date('2017-04-21T02:00:00.000Z'),
    actorId: null,
    capacity: null,
    action: 'org.create',
    entityType: 'organization',
    entityId: 'x',
    data,
    prevHash,
  };
  return { ...f, hash: auditHash(f) };
}

describe('audit hash chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [1, { f: 1, e: 2 }] } })).toBe(canonicalJson({ a: { c: [1, { e: 2, f: 1 }], d: 2 }, b: 1 }));
  });

  it('accepts an intact chain and rejects an altered, a deleted and a re-linked row', () => {
    const r1 = row(1n, GENESIS_HASH);
    const r2 = row(2n, r1.hash);
    const r3 = row(3n, r2.hash);
    expect(checkLink(r1, null)).toBeNull();
    expect(checkLink(r2, r1)).toBeNull();
    expect(checkLink({ ...r2, data: { a: 2 } }, r1)).toMatch('篡改');
    expect(checkLink(r3, r1)).toMatch('缺少第 2 条');
    expect(checkLink({ ...r3, seq: 2n }, r1)).toMatch('前序哈希不匹配');
  });
});
