import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const cache = () => new TtlCache<string>({ ttlMs: 5000, max: 3, now: () => now });
  beforeEach(() => (now = 1_000_000));

  it('returns a value until its time is up, then forgets it', () => {
    const c = cache();
    c.set('a', '甲');
    now += 4999;
    expect(c.get('a')).toBe('甲');
    now += 1;
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const c = cache();
    c.set('a', '甲');
    c.set('b', '乙');
    c.set('c', '丙');
    c.get('a');
    c.set('d', '丁');
    expect([c.get('a'), c.get('b'), c.get('c'), c.get('d')]).toEqual(['甲', undefined, '丙', '丁']);
  });

  it('does not keep a value loaded before an invalidation (a deactivation racing a request)', () => {
    const c = cache();
    const before = c.version();
    c.delete('someone-else');
    c.set('a', 'stale', before);
    expect(c.get('a')).toBeUndefined();
    c.set('a', 'fresh', c.version());
    expect(c.get('a')).toBe('fresh');
    const v = c.version();
    c.clear();
    c.set('a', 'stale', v);
    expect(c.get('a')).toBeUndefined();
  });

  it('stores nothing while turned off, and starts empty when turned on', () => {
    const c = cache();
    c.set('a', '甲');
    c.setEnabled(false);
    expect(c.get('a')).toBeUndefined();
    c.set('a', '甲');
    expect(c.get('a')).toBeUndefined();
    c.setEnabled(true);
    c.set('a', '甲');
    expect(c.get('a')).toBe('甲');
  });
});
