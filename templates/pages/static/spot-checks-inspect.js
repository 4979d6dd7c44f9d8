// 现场检查: the inspector's field page. Every recorded item goes into a queue on the phone (IndexedDB, photos as Blobs)
// with a clientId made once; the queue is sent in order whenever there is a connection — photos first, then the finding.
// An item leaves the queue only when the server has answered 200 (a resend of the same clientId answers duplicate: true),
// so sending twice never records twice. A service worker keeps the page and its scripts for a reload without connection.
(function () {
  var root = document.querySelector('[data-inspect]');
  if (!root) return;
  var roundId = root.getAttribute('data-round-id');
  var isOpen = root.getAttribute('data-open') === '1';
  var defaultDays = root.getAttribute('data-rectify-workdays') || '10';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var countEl = root.querySelector('[data-queue-count]');
  var statusEl = root.querySelector('[data-queue-status]');
  var netEl = root.querySelector('[data-net]');
  var sendNow = root.querySelector('[data-send-now]');
  var RETRY_MS = 15000;
  var MAX_PHOTOS = 6;

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/spot-checks/sw.js', { scope: '/spot-checks/' }).catch(function () {});
  }

  // ---- on the phone (IndexedDB; in memory where the browser has none) ----
  // queue: records not yet answered 200 by the server. saved: what the server stored, so that the page kept for use
  // offline (as it was when last loaded online) still shows which items are done.
  var memory = { queue: {}, saved: {} };
  var dbp = new Promise(function (resolve) {
    if (!window.indexedDB) return resolve(null);
    var req = indexedDB.open('dj-spot-checks', 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore('queue', { keyPath: 'clientId' });
      req.result.createObjectStore('saved', { keyPath: 'key' });
    };
    req.onsuccess = function () {
      resolve(req.result);
    };
    req.onerror = function () {
      resolve(null);
    };
  });

  /** One transaction on one store; `work` gets the store (null without IndexedDB) and a callback for the result. */
  function store(name, mode, work) {
    return dbp.then(function (db) {
      if (!db) return work(null, memory[name]);
      return new Promise(function (resolve, reject) {
        var t = db.transaction(name, mode);
        var result;
        work(t.objectStore(name), function (r) {
          result = r;
        });
        t.oncomplete = function () {
          resolve(result);
        };
        t.onerror = t.onabort = function () {
          reject(t.error);
        };
      });
    });
  }
  function all(name) {
    return store(name, 'readonly', function (s, done) {
      if (!s) return Object.values(done);
      var r = s.getAll();
      r.onsuccess = function () {
        done(r.result);
      };
    }).then(function (list) {
      return (list || []).filter(function (e) {
        return e.roundId === roundId;
      });
    });
  }
  function put(name, e, key) {
    return store(name, 'readwrite', function (s, mem) {
      if (!s) return (mem[e[key]] = e);
      s.put(e);
    });
  }

  /** This round's queued records, oldest first. */
  function queued() {
    return all('queue').then(function (list) {
      return list.sort(function (a, b) {
        return a.seq - b.seq;
      });
    });
  }
  function enqueue(e) {
    return put('queue', e, 'clientId');
  }
  /** Writes back progress (uploaded photos, an error) only if the record is still queued (not replaced meanwhile). */
  function update(e) {
    return store('queue', 'readwrite', function (s, mem) {
      if (!s) {
        if (mem[e.clientId]) mem[e.clientId] = e;
        return;
      }
      var r = s.get(e.clientId);
      r.onsuccess = function () {
        if (r.result) s.put(e);
      };
    });
  }
  function remove(clientId) {
    return store('queue', 'readwrite', function (s, mem) {
      if (!s) return delete mem[clientId];
      s.delete(clientId);
    });
  }
  /** What the server stored for an item (and a rectification opened on it). */
  function remember(item, finding, rectification) {
    var key = roundId + '|' + item.getAttribute('data-unit-id') + '|' + item.getAttribute('data-item');
    return store('saved', 'readwrite', function (s, mem) {
      var merge = function (old) {
        var rec = { key: key, roundId: roundId, unitId: item.getAttribute('data-unit-id'), itemKey: item.getAttribute('data-item') };
        rec.finding = finding || (old && old.finding);
        rec.rectification = rectification || (old && old.rectification);
        return rec;
      };
      if (!s) return (mem[key] = merge(mem[key]));
      var r = s.get(key);
      r.onsuccess = function () {
        s.put(merge(r.result));
      };
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map
      .call(b, function (x) {
        return (x + 0x100).toString(16).slice(1);
      })
      .join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // ---- the page ----
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-item]'));
  var chosen = new Map(); // item element → photos chosen and not yet recorded
  function itemFor(unitId, key) {
    return items.find(function (el) {
      return el.getAttribute('data-unit-id') === unitId && el.getAttribute('data-item') === key;
    });
  }
  function plain(message) {
    return String(message || '')
      .replace(/字段\s*[A-Za-z][\w.[\]]*（([^）]+)）\s*/g, '$1')
      .replace(/字段\s*[A-Za-z][\w.[\]]*\s*/g, '');
  }
  function reasonOf(body) {
    var fields = (body && body.fields) || [];
    return fields.length
      ? fields
          .map(function (f) {
            return plain(f.message);
          })
          .join('；')
      : plain((body && body.message) || '服务器拒绝了这条记录');
  }
  var TIME = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  /** 2026年11月20日 10:30, as the server's pages write it. */
  function shanghai(iso) {
    var p = {};
    TIME.formatToParts(new Date(iso)).forEach(function (x) {
      p[x.type] = x.value;
    });
    return p.year + '年' + Number(p.month) + '月' + Number(p.day) + '日 ' + p.hour + ':' + p.minute;
  }

  function setState(item, text, tone) {
    var el = item.querySelector('[data-state]');
    el.textContent = text;
    el.className = 'sc-state' + (tone ? ' ' + tone : '');
  }
  function showError(item, message) {
    var el = item.querySelector('[data-item-error]');
    el.textContent = message || '';
    el.hidden = !message;
  }
  function failing(item) {
    if (item.getAttribute('data-kind') === 'SCORE') {
      var v = item.querySelector('[data-score]').value.trim();
      return v !== '' && Number(v) < Number(item.getAttribute('data-pass-score') || 0);
    }
    var on = item.querySelector('[data-verdict]:checked');
    return !!on && on.value === 'fail';
  }
  function syncVerdict(item) {
    item.querySelector('[data-fail-only]').hidden = !failing(item);
  }

  function thumb(list, src, caption, onRemove) {
    var li = document.createElement('li');
    var img = document.createElement('img');
    img.src = src;
    img.alt = '照片';
    li.appendChild(img);
    if (caption) {
      var c = document.createElement('span');
      c.className = 'muted';
      c.textContent = caption;
      li.appendChild(c);
    }
    if (onRemove) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = '删除';
      b.addEventListener('click', onRemove);
      li.appendChild(b);
    }
    list.appendChild(li);
    return li;
  }
  function showChosen(item) {
    var list = item.querySelector('[data-new-photos]');
    list.innerHTML = '';
    (chosen.get(item) || []).forEach(function (f, i) {
      thumb(list, URL.createObjectURL(f), '未记录', function () {
        chosen.get(item).splice(i, 1);
        showChosen(item);
      });
    });
  }
  /** Photos of a queued record: shown until the server has them. */
  function showQueuedPhotos(item, e) {
    var list = item.querySelector('[data-new-photos]');
    list.innerHTML = '';
    e.photos.forEach(function (p) {
      thumb(list, URL.createObjectURL(p.blob), '待发送');
    });
  }
  function savedRefs(item) {
    try {
      return JSON.parse(item.getAttribute('data-saved-photos') || '[]');
    } catch (err) {
      return [];
    }
  }

  /** The finding as the server stored it: state, photos with their EXIF time, and 开具整改 for a failed item. */
  function showSaved(item, f) {
    item.setAttribute('data-finding-id', f.id);
    item.setAttribute('data-finding-passed', f.passed ? '1' : '0');
    item.setAttribute(
      'data-saved-photos',
      JSON.stringify(
        (f.photos || []).map(function (p) {
          return { name: p.name, mimeType: p.mimeType, size: p.size, sha256: p.sha256 };
        }),
      ),
    );
    var list = item.querySelector('[data-saved-photo-list]');
    if (!list) {
      list = document.createElement('ul');
      list.className = 'sc-photos';
      list.setAttribute('data-saved-photo-list', '');
      item.querySelector('[data-new-photos]').after(list);
    }
    list.innerHTML = '';
    (f.photos || []).forEach(function (p) {
      var li = thumb(list, '/api/spot-checks/findings/' + f.id + '/photos/' + p.sha256, '');
      var c = document.createElement('span');
      c.className = 'muted';
      c.setAttribute('data-taken-at', '');
      c.textContent = p.takenAt ? '拍摄于 ' + shanghai(p.takenAt) : '无拍摄时间';
      li.appendChild(c);
    });
    item.querySelector('[data-new-photos]').innerHTML = '';
    var button = item.querySelector('[data-record]');
    if (button) button.textContent = '更正并保存';
    setState(item, '已保存', 'ok');
    offerRectification(item);
  }

  function offerRectification(item) {
    var box = item.querySelector('[data-rect-box]');
    var id = item.getAttribute('data-finding-id');
    var can = isOpen && id && item.getAttribute('data-finding-passed') === '0' && !item.hasAttribute('data-rectified');
    var form = box.querySelector('[data-rectify-form]');
    if (!can) {
      if (form) form.remove();
      return;
    }
    if (form) return;
    form = document.querySelector('template[data-rectify-template]').content.firstElementChild.cloneNode(true);
    form.querySelector('[data-rectify-days]').value = defaultDays;
    box.appendChild(form);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var err = form.querySelector('[data-rectify-error]');
      var button = form.querySelector('[data-rectify]');
      var days = Number(form.querySelector('[data-rectify-days]').value);
      err.hidden = true;
      if (!Number.isInteger(days) || days < 1 || days > 60) {
        err.textContent = '整改期限须是 1 到 60 个工作日';
        err.hidden = false;
        return;
      }
      button.disabled = true;
      button.textContent = '正在开具…';
      var instructions = form.querySelector('[data-rectify-instructions]').value.trim();
      call('/api/spot-checks/findings/' + item.getAttribute('data-finding-id') + '/rectification', {
        json: instructions ? { deadlineWorkdays: days, instructions: instructions } : { deadlineWorkdays: days },
      }).then(function (r) {
        if (r.ok) {
          var rect = { filingId: r.body.filingId, deadlineAt: r.body.deadlineAt };
          showRectified(item, rect);
          remember(item, null, rect);
          return;
        }
        err.textContent = r.network ? '网络不通：开具整改需要联网，请稍后再试' : reasonOf(r.body);
        err.hidden = false;
        button.disabled = false;
        button.textContent = '开具整改';
      });
    });
  }

  /** 已开具整改 with its deadline and the 整改报告 link; the finding can no longer be corrected. */
  function showRectified(item, rect) {
    item.setAttribute('data-rectified', '1');
    var box = item.querySelector('[data-rect-box]');
    box.textContent = '已开具整改 · 期限 ' + shanghai(rect.deadlineAt) + ' · ';
    var a = document.createElement('a');
    a.href = '/filings/' + rect.filingId;
    a.setAttribute('data-rect-link', '');
    a.textContent = '整改报告';
    box.appendChild(a);
    var button = item.querySelector('[data-record]');
    if (button) button.remove();
  }

  /** The item's inputs as recorded (a queued record, or what the server stored). */
  function fill(item, e) {
    if (e.passed !== undefined && e.passed !== null && item.getAttribute('data-kind') !== 'SCORE') {
      var radio = item.querySelector('[data-verdict][value="' + (e.passed ? 'pass' : 'fail') + '"]');
      if (radio) radio.checked = true;
    }
    if (e.score !== undefined && e.score !== null && item.querySelector('[data-score]')) item.querySelector('[data-score]').value = String(e.score);
    if (e.severity) item.querySelector('[data-severity]').value = e.severity;
    item.querySelector('[data-notes]').value = e.notes || '';
    syncVerdict(item);
  }

  // ---- talking to the server ----
  function refreshCsrf() {
    return fetch('/api/auth/csrf', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) {
        return r.json();
      })
      .then(function (b) {
        if (b && b.csrfToken) csrf = b.csrfToken;
      })
      .catch(function () {});
  }
  /** { ok, status, body } — or { network: true } when there is no connection. */
  function call(url, opts, retried) {
    var headers = { accept: 'application/json', 'x-csrf-token': csrf };
    if (opts.json) headers['content-type'] = 'application/json';
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: headers, body: opts.json ? JSON.stringify(opts.json) : opts.body })
      .then(
        function (res) {
          return res
            .json()
            .catch(function () {
              return {};
            })
            .then(function (body) {
              return { ok: res.ok, status: res.status, body: body };
            });
        },
        function () {
          return { ok: false, network: true };
        },
      )
      .then(function (r) {
        // A page kept offline may carry an old token: take a fresh one and try once more.
        if (r.status === 403 && r.body && r.body.code === 'CSRF' && !retried) {
          return refreshCsrf().then(function () {
            return call(url, opts, true);
          });
        }
        return r;
      });
  }

  async function sendOne(e, item) {
    if (item) setState(item, '正在发送…');
    var refs = (e.savedRefs || []).slice();
    for (var i = 0; i < e.photos.length; i++) {
      var p = e.photos[i];
      if (!p.ref) {
        statusEl.textContent = '正在上传照片 ' + (i + 1) + '/' + e.photos.length + '…';
        var fd = new FormData();
        fd.append('file', p.blob, p.name);
        var up = await call('/api/files?for=photo', { body: fd });
        if (!up.ok) return up;
        p.ref = { name: up.body.name, mimeType: up.body.mimeType, size: up.body.size, sha256: up.body.sha256 };
        // Uploaded once: a later resend only sends the finding (the file is stored by its SHA-256 anyway).
        await update(e);
      }
      refs.push(p.ref);
    }
    var body = { clientId: e.clientId, unitId: e.unitId, itemKey: e.itemKey, notes: e.notes, photos: refs, recordedAt: e.recordedAt };
    if (e.passed !== undefined) body.passed = e.passed;
    if (e.score !== undefined) body.score = e.score;
    if (e.severity) body.severity = e.severity;
    return call('/api/spot-checks/' + roundId + '/findings', { json: body });
  }

  var sending = null;
  var again = false;
  /** Sends the queue in order; one run at a time (a call during a run makes it go round once more). */
  function sendAll(includeFailed) {
    if (sending) {
      again = true;
      return sending;
    }
    sending = (async function () {
      do {
        again = false;
        var list = await queued();
        var done = 0;
        var total = list.length;
        for (var k = 0; k < list.length; k++) {
          var e = list[k];
          if (e.failed && !includeFailed) continue;
          var item = itemFor(e.unitId, e.itemKey);
          statusEl.textContent = '正在发送 ' + (done + 1) + '/' + total + '…';
          var r = await sendOne(e, item);
          if (r.ok) {
            await remove(e.clientId);
            done++;
            var newer = (await queued()).some(function (x) {
              return x.unitId === e.unitId && x.itemKey === e.itemKey;
            });
            if (item) await remember(item, r.body);
            if (item && !newer) showSaved(item, r.body);
            await showCount();
            continue;
          }
          if (r.network) {
            statusEl.textContent = '网络不通，恢复后自动发送';
            if (item) setState(item, '待发送');
            return;
          }
          if (r.status === 401 || r.status === 429 || r.status >= 500) {
            e.lastError = r.status === 401 ? '登录已失效，请重新登录后点“立即发送”' : '服务器暂时无法处理，稍后自动重试';
            await update(e);
            if (item) setState(item, '发送失败（' + e.lastError + '）', 'warn');
            statusEl.textContent = e.lastError;
            return;
          }
          // Refused (400/403/409): it stays on the phone until corrected; the others go on.
          e.failed = true;
          e.error = reasonOf(r.body);
          await update(e);
          if (item) setState(item, '发送失败（' + e.error + '）', 'warn');
        }
        includeFailed = false;
        statusEl.textContent = done ? '已发送 ' + done + ' 条' : '';
      } while (again);
    })()
      .catch(function (err) {
        statusEl.textContent = '发送中断：' + (err && err.message ? err.message : err);
      })
      .then(function () {
        sending = null;
        return showCount();
      });
    return sending;
  }

  function showCount() {
    return queued().then(function (list) {
      countEl.textContent = '待发送 ' + list.length + ' 条';
      countEl.classList.toggle('warn', list.length > 0);
      sendNow.hidden = list.length === 0;
      return list;
    });
  }
  function showNet() {
    netEl.textContent = navigator.onLine ? '在线' : '离线（记录先存在本机）';
    netEl.classList.toggle('warn', !navigator.onLine);
  }

  // ---- recording ----
  function record(item) {
    showError(item, '');
    var unitId = item.getAttribute('data-unit-id');
    var key = item.getAttribute('data-item');
    var e = { clientId: uuid(), seq: Date.now() + Math.random(), roundId: roundId, unitId: unitId, itemKey: key, recordedAt: new Date().toISOString() };
    if (item.getAttribute('data-kind') === 'SCORE') {
      var input = item.querySelector('[data-score]');
      var v = input.value.trim();
      if (!/^\d+$/.test(v) || Number(v) > Number(input.max)) return showError(item, '请填写得分：0 到 ' + input.max + ' 的整数');
      e.score = Number(v);
    } else {
      var on = item.querySelector('[data-verdict]:checked');
      if (!on) return showError(item, '请选择合格或不合格');
      e.passed = on.value === 'pass';
    }
    var failed = failing(item);
    var evidence = item.getAttribute('data-evidence');
    e.notes = item.querySelector('[data-notes]').value.trim();
    var files = chosen.get(item) || [];
    var saved = savedRefs(item);
    if (failed && evidence === 'NOTE' && !e.notes) return showError(item, '该项不合格，须填写情况说明');
    if (failed && evidence === 'PHOTO' && !files.length && !saved.length) return showError(item, '该项不合格，须拍照取证');
    if (files.length + saved.length > MAX_PHOTOS) return showError(item, '每项最多 ' + MAX_PHOTOS + ' 张照片');
    if (failed) e.severity = item.querySelector('[data-severity]').value;
    e.savedRefs = saved;
    e.photos = files.map(function (f, i) {
      return { name: f.name || '现场照片' + (i + 1) + '.jpg', type: f.type, size: f.size, blob: f };
    });
    // One queued record per item: a newer one replaces one not sent yet.
    queued()
      .then(function (list) {
        return Promise.all(
          list
            .filter(function (x) {
              return x.unitId === unitId && x.itemKey === key;
            })
            .map(function (x) {
              return remove(x.clientId);
            }),
        );
      })
      .then(function () {
        return enqueue(e);
      })
      .then(function () {
        chosen.delete(item);
        showQueuedPhotos(item, e);
        setState(item, '待发送');
        return showCount();
      })
      .then(function () {
        return sendAll();
      })
      .catch(function (err) {
        showError(item, '未能保存在本机：' + (err && err.message ? err.message : err));
      });
  }

  items.forEach(function (item) {
    syncVerdict(item);
    item.addEventListener('change', function (ev) {
      if (ev.target.matches('[data-photo-input]')) {
        var list = chosen.get(item) || [];
        Array.prototype.forEach.call(ev.target.files || [], function (f) {
          list.push(f);
        });
        chosen.set(item, list);
        ev.target.value = '';
        showChosen(item);
      }
      syncVerdict(item);
    });
    item.addEventListener('input', function () {
      syncVerdict(item);
    });
    var button = item.querySelector('[data-record]');
    if (button)
      button.addEventListener('click', function () {
        record(item);
      });
    if (item.hasAttribute('data-finding-id')) offerRectification(item);
  });

  sendNow.addEventListener('click', function () {
    sendAll(true);
  });
  window.addEventListener('online', function () {
    showNet();
    sendAll();
  });
  window.addEventListener('offline', showNet);
  setInterval(function () {
    if (navigator.onLine && !sending) {
      showCount().then(function (list) {
        if (list.length) sendAll();
      });
    }
  }, RETRY_MS);

  // Opened without a connection: the page is the copy the service worker kept.
  if (!navigator.onLine) root.querySelector('[data-offline-copy]').hidden = false;

  // What the phone knows beyond the page: items saved since the page was kept (a reload without connection opens
  // the kept copy), then records still queued — shown on their items, then sent.
  showNet();
  all('saved')
    .then(function (list) {
      list.forEach(function (rec) {
        var item = itemFor(rec.unitId, rec.itemKey);
        if (!item) return;
        if (rec.finding && !item.hasAttribute('data-finding-id')) {
          fill(item, rec.finding);
          showSaved(item, rec.finding);
        }
        if (rec.rectification && !item.hasAttribute('data-rectified')) showRectified(item, rec.rectification);
      });
      return queued();
    })
    .then(function (list) {
      list.forEach(function (e) {
        var item = itemFor(e.unitId, e.itemKey);
        if (!item) return;
        fill(item, e);
        showQueuedPhotos(item, e);
        if (e.failed) setState(item, '发送失败（' + e.error + '）', 'warn');
        else setState(item, '待发送');
      });
      return showCount();
    })
    .then(function () {
      if (isOpen) return sendAll();
    });
})();
