import type { SessionData, Store } from 'express-session';
import type { TtlCache } from './ttl-cache';

type Callback = (err?: unknown) => void;

/**
 * Serves `store.get` from the cache (see AuthCache for how long and how it is emptied); writes and deletions go
 * to the store and drop the cached copy. The cache holds JSON, so each request gets its own session object.
 */
export function withSessionCache<S extends Store>(store: S, cache: TtlCache<string>): S {
  const get = store.get.bind(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);
  const fresh = (sess: SessionData) => {
    const expires = sess.cookie?.expires;
    return !expires || new Date(expires).getTime() > Date.now();
  };

  store.get = (sid: string, cb: (err: unknown, sess?: SessionData | null) => void) => {
    const hit = cache.get(sid);
    if (hit !== undefined) {
      const sess = JSON.parse(hit) as SessionData;
      if (fresh(sess)) return cb(null, sess);
      cache.delete(sid);
    }
    const version = cache.version();
    get(sid, (err, sess) => {
      if (!err && sess && fresh(sess)) cache.set(sid, JSON.stringify(sess), version);
      cb(err, sess);
    });
  };
  store.set = (sid: string, sess: SessionData, cb?: Callback) => {
    cache.delete(sid);
    set(sid, sess, (err?: unknown) => {
      cache.delete(sid);
      cb?.(err);
    });
  };
  store.destroy = (sid: string, cb?: Callback) => {
    cache.delete(sid);
    destroy(sid, (err?: unknown) => {
      cache.delete(sid);
      cb?.(err);
    });
  };
  return store;
}
