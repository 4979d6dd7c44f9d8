import { SessionData, Store } from 'express-session';
import { withSessionCache } from './session-cache';
import { TtlCache } from './ttl-cache';

/** A store that counts its reads, standing in for the PostgreSQL one. */
class CountingStore extends Store {
  readonly rows = new Map<string, string>();
  reads = 0;
  get(sid: string, cb: (err: unknown, sess?: SessionData | null) => void): void {
    this.reads++;
    const row = this.rows.get(sid);
    cb(null, row ? (JSON.parse(row) as SessionData) : null);
  }
  set(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    this.rows.set(sid, JSON.stringify(sess));
    cb?.();
  }
  destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.rows.delete(sid);
    cb?.();
  }
}

const session = (personId: string, expires = new Date(Date.now() + 3600_000)) =>
  ({ cookie: { originalMaxAge: 3600_000, expires }, personId }) as unknown as SessionData;
const read = (store: Store, sid: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) => store.get(sid, (err, sess) => (err ? reject(err) : resolve(sess))));

describe('withSessionCache', () => {
  let backing: CountingStore;
  let store: CountingStore;
  beforeEach(() => {
    backing = new CountingStore();
    store = withSessionCache(backing, new TtlCache<string>({ ttlMs: 5000, max: 100 }));
  });

  it('reads a session from the store once, then from memory, a fresh object each time', async () => {
    backing.rows.set('s1', JSON.stringify(session('p1')));
    const first = await read(store, 's1');
    const second = await read(store, 's1');
    expect(backing.reads).toBe(1);
    expect(second).toEqual(first);
    (second as SessionData & { personId?: string }).personId = 'changed by a request';
    expect(await read(store, 's1')).toMatchObject({ personId: 'p1' });
  });

  it('a logout (destroy) is seen at the next request', async () => {
    backing.rows.set('s1', JSON.stringify(session('p1')));
    await read(store, 's1');
    await new Promise((r) => store.destroy('s1', r));
    expect(await read(store, 's1')).toBeNull();
  });

  it('a changed session (another capacity chosen) is read again', async () => {
    backing.rows.set('s1', JSON.stringify(session('p1')));
    await read(store, 's1');
    await new Promise((r) => store.set('s1', { ...session('p1'), membershipId: 'm2' } as SessionData, r));
    expect(await read(store, 's1')).toMatchObject({ membershipId: 'm2' });
  });

  it('does not serve a session past its expiry from memory', async () => {
    backing.rows.set('s1', JSON.stringify(session('p1', new Date(Date.now() + 50))));
    await read(store, 's1');
    await new Promise((r) => setTimeout(r, 60));
    backing.rows.delete('s1'); // pruned
    expect(await read(store, 's1')).toBeNull();
  });

  it('does not remember a missing session', async () => {
    expect(await read(store, 'nope')).toBeNull();
    backing.rows.set('nope', JSON.stringify(session('p1')));
    expect(await read(store, 'nope')).toMatchObject({ personId: 'p1' });
  });
});
