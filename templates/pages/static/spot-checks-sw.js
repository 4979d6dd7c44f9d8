// Service worker of the inspector's field page (scope /spot-checks/): keeps the page and its static files so that a
// reload without connection still opens it, with its queue. Network first (always the newest when online),
// the kept copy without connection. Bump VERSION when what is kept changes.
var VERSION = 'spot-checks-v2';
var STATIC = ['/static/app.css', '/static/app.js', '/static/spot-checks.css', '/static/spot-checks-inspect.js'];
var INSPECT = /^\/spot-checks\/[0-9a-f-]{36}\/inspect$/i;
// A finding's photo never changes under its SHA-256: kept once seen, so the kept page shows it offline too.
var PHOTO = /^\/api\/spot-checks\/findings\/[0-9a-f-]{36}\/photos\/[0-9a-f]{64}$/i;

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches
      .open(VERSION)
      .then(function (cache) {
        return cache.addAll(STATIC);
      })
      .then(function () {
        return self.skipWaiting();
      }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (k) {
              return k.indexOf('spot-checks-') === 0 && k !== VERSION;
            })
            .map(function (k) {
              return caches.delete(k);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

/** The newest copy when online (kept for later); the kept copy when not. Only real pages are kept, not a redirect to the login form. */
function networkFirst(req, key, fallback) {
  return fetch(req)
    .then(function (res) {
      if (res.ok && res.type === 'basic' && !res.redirected) {
        var copy = res.clone();
        caches.open(VERSION).then(function (cache) {
          return cache.put(key, copy);
        });
      }
      return res;
    })
    .catch(function () {
      return caches.match(key).then(function (hit) {
        return hit || fallback();
      });
    });
}

function offlinePage() {
  return new Response('<!doctype html><meta charset="utf-8"><title>离线</title><p>当前没有网络，本机也还没有保存过这个页面。请联网后再打开。</p>', {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && INSPECT.test(url.pathname)) event.respondWith(networkFirst(req, url.pathname, offlinePage));
  else if (PHOTO.test(url.pathname))
    event.respondWith(
      caches.match(url.pathname).then(function (hit) {
        return (
          hit ||
          networkFirst(req, url.pathname, function () {
            return Response.error();
          })
        );
      }),
    );
  else if (STATIC.indexOf(url.pathname) >= 0)
    event.respondWith(
      networkFirst(req, url.pathname, function () {
        return Response.error();
      }),
    );
});
