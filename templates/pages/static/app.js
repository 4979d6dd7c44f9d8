// Small progressive enhancements; every page works without them.
(function () {
  /** A random key (crypto.getRandomValues works on plain http too, unlike randomUUID). */
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      })
      .join('');
  }
  window.djIdempotencyKey = newKey;
  // `path` with this page's way back (?from=, the inbox or 收文 it was opened from), for a reload or a move the script
  // makes itself; the server rebuilds it from known values, so it only ever leads back there.
  window.djKeepFrom = function (path) {
    var from = new URLSearchParams(window.location.search).get('from');
    return from ? path + (path.indexOf('?') < 0 ? '?' : '&') + 'from=' + encodeURIComponent(from) : path;
  };
  /** An uploaded file's name, opening it in a new tab (GET /api/files/:sha256), marked with the given attribute. */
  window.djFileLink = function (ref, attribute) {
    var open = document.createElement('a');
    open.href = '/api/files/' + ref.sha256;
    open.target = '_blank';
    open.rel = 'noopener';
    open.setAttribute(attribute, '');
    open.textContent = ref.name;
    return open;
  };
  /** An uploaded file in a 填报 form's list: its reference kept on the item, its name opening it (GET /api/files/:sha256). */
  window.djFileItem = function (ref) {
    var li = document.createElement('li');
    li.setAttribute('data-file-ref', JSON.stringify(ref));
    li.appendChild(window.djFileLink(ref, 'data-file-link'));
    li.appendChild(document.createTextNode('（' + Math.max(1, Math.round(ref.size / 1024)) + ' KB） '));
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'link';
    remove.setAttribute('data-file-remove', '');
    remove.textContent = '删除';
    li.appendChild(remove);
    return li;
  };
  // Each form acts once however often its button is pressed: every post of this page's form carries the same key, and
  // the server answers a repeat with the first answer (IdempotencyInterceptor). File forms are left as they are.
  document.addEventListener(
    'submit',
    function (e) {
      var form = e.target;
      if (!(form instanceof HTMLFormElement) || (form.method || '').toLowerCase() !== 'post' || form.enctype === 'multipart/form-data') return;
      if (form.querySelector('input[name="_idem"]')) return;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = '_idem';
      input.value = newKey();
      form.appendChild(input);
    },
    true,
  );
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
  // 退出 clears what this site kept on the phone (Clear-Site-Data), the inspector's unsent records and the 填报 changes not
  // yet saved with it: ask first.
  document.querySelectorAll('form[action="/logout"]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (form.getAttribute('data-confirmed')) return;
      e.preventDefault();
      (window.indexedDB && indexedDB.databases ? unsentRecords() : Promise.resolve(0)).then(function (n) {
        if (
          n > 0 &&
          !window.confirm(
            '本机还有 ' + n + ' 条检查记录没有发送到服务器，退出后会从本机清除。\n\n建议先取消，联网后打开检查页面，等“待发送”清空再退出。仍要退出吗？',
          )
        )
          return;
        var filings = unsavedFilings();
        if (
          filings > 0 &&
          !window.confirm(
            '本机还有 ' + filings + ' 份填报的修改没有保存到服务器，退出后会从本机清除。\n\n建议先取消，打开该填报，等显示“已自动保存”再退出。仍要退出吗？',
          )
        )
          return;
        form.setAttribute('data-confirmed', '1');
        form.submit();
      });
    });
  });
  // Where the 填报 block below keeps a filing's unsaved changes on this phone: per person (data-me) as well as per filing,
  // so a phone shared in the branch (a session that ran out, then someone else logging in without 退出, which clears
  // it) never puts one person's unsaved changes into another's filing under their name.
  window.djKeptKey = function (filingId) {
    return 'dj-filing-unsaved:' + (document.body.getAttribute('data-me') || '') + ':' + filingId;
  };
  /** 填报 forms whose changes are kept on this phone until the server confirms them, for the person signed in. */
  function unsavedFilings() {
    try {
      return Object.keys(localStorage).filter(function (k) {
        return k.indexOf(window.djKeptKey('')) === 0;
      }).length;
    } catch (err) {
      return 0;
    }
  }
  /** Records in the inspector's queue (spot-checks-inspect.js); 0 when this phone has none, without creating the database. */
  function unsentRecords() {
    return indexedDB
      .databases()
      .then(function (dbs) {
        if (
          !dbs.some(function (d) {
            return d.name === 'dj-spot-checks';
          })
        )
          return 0;
        return new Promise(function (resolve) {
          var req = indexedDB.open('dj-spot-checks');
          req.onerror = function () {
            resolve(0);
          };
          req.onsuccess = function () {
            var db = req.result;
            if (!db.objectStoreNames.contains('queue')) {
              db.close();
              return resolve(0);
            }
            var count = db.transaction('queue', 'readonly').objectStore('queue').count();
            count.onsuccess = count.onerror = function () {
              db.close();
              resolve(count.result || 0);
            };
          };
        });
      })
      .catch(function () {
        return 0;
      });
  }
  // A field in root whose value differs from what the page was rendered with (typed, chosen, ticked, a row added); also
  // what live.js asks (window.djFieldsChanged) before it refreshes a page. A list with no option marked selected shows its
  // first option (请选择): that is its rendered value, not a change.
  function selectChanged(el) {
    if (el.multiple) {
      for (var j = 0; j < el.options.length; j++) if (el.options[j].selected !== el.options[j].defaultSelected) return true;
      return false;
    }
    var first = -1;
    var marked = -1;
    for (var k = 0; k < el.options.length; k++) {
      if (first < 0 && !el.options[k].disabled) first = k;
      if (el.options[k].defaultSelected) marked = k;
    }
    return el.selectedIndex !== (marked >= 0 ? marked : first);
  }
  function fieldsChanged(root) {
    var fields = root.querySelectorAll('input, textarea, select');
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      var type = (el.type || '').toLowerCase();
      if (type === 'hidden' || type === 'submit' || type === 'button' || type === 'file') continue;
      if (type === 'checkbox' || type === 'radio') {
        if (el.checked !== el.defaultChecked) return true;
      } else if (el.tagName === 'SELECT') {
        if (selectChanged(el)) return true;
      } else if (el.value !== el.defaultValue) return true;
    }
    return false;
  }
  window.djFieldsChanged = fieldsChanged;
  // A form that is saved by posting it (the directive editor): leaving with changes not yet saved asks first. Changed means
  // a field differs from what the page was rendered with — or the page itself says the shown values are not saved (the
  // form answered a post: a refused save, an import, a version conflict answered with the person's own values).
  document.querySelectorAll('form[data-warn-unsaved]').forEach(function (form) {
    var posting = false;
    form.addEventListener('submit', function () {
      posting = true;
    });
    // 采用另一处的: the person chose to drop their version.
    document.querySelectorAll('[data-take-theirs]').forEach(function (a) {
      a.addEventListener('click', function () {
        posting = true;
      });
    });
    function changed() {
      return form.hasAttribute('data-unsaved') || !!document.querySelector('[data-conflict]') || fieldsChanged(form);
    }
    window.addEventListener('beforeunload', function (e) {
      if (posting || !changed()) return;
      e.preventDefault();
      e.returnValue = '';
    });
  });
  // CSV import: read the chosen file into the textarea so it is posted with the form.
  document.querySelectorAll('[data-csv-form]').forEach(function (form) {
    var file = form.querySelector('[data-csv-file]');
    var text = form.querySelector('textarea[name=csv]');
    if (!file || !text) return;
    file.addEventListener('change', function () {
      var f = file.files && file.files[0];
      if (!f) return;
      var reader = new FileReader();
      reader.onload = function () {
        text.value = String(reader.result || '');
      };
      reader.readAsText(f, 'utf-8');
    });
  });
})();

// 发文 and 待办: live red-header preview, scaled documents, distribution choices, receipt progress, inbox counts, 加载更多.
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  // The document is print HTML: lay it out at A4 width with the page margins, then scale it to the width available.
  var PAGE_PX = 794;
  function fit(frame) {
    var iframe = frame.querySelector('iframe');
    var doc = iframe && iframe.contentDocument;
    if (!doc || !doc.body) return;
    doc.body.style.padding = '140px 98px 100px 106px';
    doc.documentElement.style.background = '#fff';
    iframe.style.width = PAGE_PX + 'px';
    var h = doc.documentElement.scrollHeight;
    var scale = Math.min(1, frame.clientWidth / PAGE_PX);
    iframe.style.height = h + 'px';
    iframe.style.transform = 'scale(' + scale + ')';
    frame.style.height = Math.ceil(h * scale) + 'px';
  }
  // A frame whose document waits in data-srcdoc gets it once the frame is shown (at a desk, not on a phone).
  var wide = window.matchMedia ? window.matchMedia('(min-width: 701px)') : { matches: true };
  function load(iframe) {
    var src = iframe.getAttribute('data-srcdoc');
    if (src === null || !wide.matches) return;
    iframe.removeAttribute('data-srcdoc');
    iframe.srcdoc = src;
  }
  document.querySelectorAll('[data-doc-frame]').forEach(function (frame) {
    var iframe = frame.querySelector('iframe');
    iframe.addEventListener('load', function () {
      fit(frame);
    });
    load(iframe);
    if (iframe.contentDocument && iframe.contentDocument.readyState === 'complete') fit(frame);
    window.addEventListener('resize', function () {
      load(iframe);
      fit(frame);
    });
  });

  var form = document.querySelector('form[data-directive-form]');
  var live = document.querySelector('[data-live-preview]');
  if (form && live) {
    var status = document.querySelector('[data-preview-status]');
    var timer = null;
    var seq = 0;
    var last = '';
    var readingBox = document.querySelector('[data-live-reading]');
    // On a phone the preview is the text reflowed in readable type, not the A4 page shrunk to the screen.
    var narrow = window.matchMedia ? window.matchMedia('(max-width: 700px)') : { matches: false };
    var refresh = function () {
      var mine = ++seq;
      var data = new URLSearchParams(new FormData(form));
      data.delete('text');
      if (status) status.textContent = '正在更新预览…';
      var reading = narrow.matches && readingBox;
      fetch(live.getAttribute('data-live-preview') + (reading ? '?view=reading' : ''), {
        method: 'POST',
        body: data,
        headers: { 'x-csrf-token': csrf },
        credentials: 'same-origin',
      })
        .then(function (r) {
          return r.text().then(function (t) {
            return { ok: r.ok, text: t };
          });
        })
        .then(function (r) {
          if (mine !== seq) return;
          if (r.ok) {
            // Reloading identical HTML would only make the page flicker.
            if (r.text !== last) {
              // The reading view is this server's own escaped HTML (partials/doc-reading).
              if (reading) readingBox.innerHTML = r.text;
              else live.querySelector('iframe').srcdoc = r.text;
            }
            last = r.text;
            if (status) status.textContent = '预览已更新。';
          } else if (status) status.textContent = r.text || '预览暂不可用。';
        })
        .catch(function () {
          if (status && mine === seq) status.textContent = '网络不通，预览暂未更新。';
        });
    };
    var later = function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 700);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    if (narrow.addEventListener)
      narrow.addEventListener('change', function () {
        last = '';
        refresh();
      });
    refresh();
  }

  // A page waiting for the workflow to catch up reloads itself (without the one-time notice in the query).
  var settling = document.querySelector('[data-reload-after]');
  if (settling) {
    setTimeout(
      function () {
        window.location.replace(window.djKeepFrom(window.location.pathname));
      },
      Number(settling.getAttribute('data-reload-after')) * 1000,
    );
  }

  // Only the branch checkboxes of the chosen distribution mode are shown.
  document.querySelectorAll('[data-distribution]').forEach(function (set) {
    var sync = function () {
      var checked = set.querySelector('input[name=mode]:checked');
      set.querySelectorAll('[data-when-mode]').forEach(function (el) {
        el.hidden = !checked || checked.value !== el.getAttribute('data-when-mode');
      });
    };
    set.addEventListener('change', sync);
    sync();
  });

  // Receipt progress, refreshed without reloading the page.
  document.querySelectorAll('[data-receipts]').forEach(function (box) {
    var url = box.getAttribute('data-receipts');
    var set = function (key, v) {
      var el = box.querySelector('[data-r="' + key + '"]');
      if (el) el.textContent = String(v);
    };
    var poll = function () {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (r) {
          if (!r) return;
          set('expected', r.expected);
          set('acknowledged', r.acknowledged);
          set('open', r.open);
          set('overdue', r.overdue);
          var pct = r.expected ? Math.round((r.acknowledged / r.expected) * 100) : 0;
          var bar = box.querySelector('[data-r-bar]');
          if (bar) bar.style.width = pct + '%';
          var pb = box.querySelector('[role=progressbar]');
          if (pb) pb.setAttribute('aria-valuenow', String(pct));
          var list = box.querySelector('[data-r-missing]');
          if (list) {
            list.innerHTML = '';
            r.missing.forEach(function (m) {
              var li = document.createElement('li');
              li.textContent = m.name;
              if (m.overdue) {
                li.className = 'overdue';
                var tag = document.createElement('span');
                tag.className = 'tag warn';
                tag.textContent = '逾期';
                li.appendChild(tag);
              }
              list.appendChild(li);
            });
          }
          var none = box.querySelector('[data-r-none]');
          if (none) {
            none.hidden = r.missing.length > 0;
            none.textContent = r.distributed ? '全部支部已签收。' : '正在分发，请稍候…';
          }
        })
        .catch(function () {});
    };
    setInterval(poll, 3000);
  });

  // Inbox filters: choosing a directive applies it at once (the 筛选 button is there only without script, <noscript>).
  document.querySelectorAll('[data-filter-form]').forEach(function (f) {
    f.querySelector('[data-directive-filter]').addEventListener('change', function () {
      f.submit();
    });
  });

  // 加载更多: append the next page instead of leaving this one.
  document.addEventListener('click', function (e) {
    var more = e.target && e.target.closest ? e.target.closest('[data-more]') : null;
    if (!more) return;
    e.preventDefault();
    more.textContent = '正在加载…';
    fetch(more.getAttribute('href'), { credentials: 'same-origin' })
      .then(function (r) {
        return r.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        var list = document.querySelector('[data-task-list]');
        next.querySelectorAll('[data-task-list] > li').forEach(function (li) {
          // A task already shown (its deadline moved while reading) is not shown twice.
          var id = li.getAttribute('data-task-id');
          if (id && list.querySelector('[data-task-id="' + id + '"]')) return;
          list.appendChild(document.importNode(li, true));
        });
        var nextMore = next.querySelector('[data-more]');
        if (nextMore) {
          more.setAttribute('href', nextMore.getAttribute('href'));
          more.textContent = '加载更多';
        } else more.parentNode.removeChild(more);
      })
      .catch(function () {
        more.textContent = '加载失败，点此重试';
      });
  });
})();

// 填报: the form from its definition — rows added and removed, autosave of the draft, submit with errors shown next to each field.
(function () {
  var form = document.querySelector('form[data-filing-form]');
  if (!form) return;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var id = form.getAttribute('data-filing-id');
  var status = form.querySelector('[data-autosave]');
  var general = form.querySelector('[data-form-error]');
  var finished = false;
  var dirty = false;
  var timer = null;
  var saving = null;

  function scalar(box) {
    var type = box.getAttribute('data-type');
    var inputs = Array.prototype.slice.call(box.querySelectorAll('[data-v]'));
    if (type === 'multipleChoice') {
      var picked = inputs
        .filter(function (i) {
          return i.checked;
        })
        .map(function (i) {
          return i.value;
        });
      return picked.length ? picked : undefined;
    }
    if (type === 'singleChoice' && inputs.length && inputs[0].type === 'radio') {
      var on = inputs.filter(function (i) {
        return i.checked;
      })[0];
      return on ? on.value : undefined;
    }
    var v = inputs.length ? inputs[0].value : '';
    if (v.trim() === '') return undefined;
    if (type === 'number') {
      var n = Number(v.trim().replace(/，/g, '.'));
      return isFinite(n) ? n : v.trim();
    }
    return v;
  }

  function rowsOf(box) {
    return Array.prototype.slice.call(box.querySelectorAll('[data-rows] > [data-row]'));
  }

  function collect() {
    var values = {};
    form.querySelectorAll('[data-field]').forEach(function (box) {
      var key = box.getAttribute('data-field');
      var type = box.getAttribute('data-type');
      if (type === 'files') {
        var refs = Array.prototype.slice.call(box.querySelectorAll('[data-file-ref]')).map(function (li) {
          return JSON.parse(li.getAttribute('data-file-ref'));
        });
        if (refs.length) values[key] = refs;
        return;
      }
      if (type === 'table') {
        values[key] = rowsOf(box).map(function (row) {
          var out = {};
          row.querySelectorAll('[data-col]').forEach(function (cell) {
            var v = scalar(cell);
            if (v !== undefined) out[cell.getAttribute('data-col')] = v;
          });
          return out;
        });
        return;
      }
      var v = scalar(box);
      if (v !== undefined) values[key] = v;
    });
    return values;
  }

  // Messages name fields for developers too (“字段“年度目标”（goals）”); people need only the label.
  function plain(message) {
    return String(message).replace(/（[A-Za-z][A-Za-z0-9_]*）/g, '');
  }

  function clearErrors() {
    form.querySelectorAll('[data-error],[data-row-error],[data-field-error]').forEach(function (el) {
      el.hidden = true;
      el.textContent = '';
    });
    form.querySelectorAll('.has-error').forEach(function (el) {
      el.classList.remove('has-error');
    });
    general.hidden = true;
  }

  function show(el, box, message) {
    if (!el) return false;
    el.textContent = el.textContent ? el.textContent + '；' + message : message;
    el.hidden = false;
    if (box) box.classList.add('has-error');
    return true;
  }

  function placeError(f) {
    var message = plain(f.message);
    var m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d+)\](?:\.([A-Za-z][A-Za-z0-9_]*))?)?$/.exec(f.field || '');
    var box = m && form.querySelector('[data-field="' + m[1] + '"]');
    if (!box) return false;
    if (m[2] === undefined) {
      return show(box.querySelector(box.getAttribute('data-type') === 'table' ? '[data-field-error]' : '[data-error]'), box, message);
    }
    var row = rowsOf(box)[Number(m[2])];
    if (!row) return show(box.querySelector('[data-field-error]'), box, message);
    if (m[3] === undefined) return show(row.querySelector('[data-row-error]'), row, message);
    var cell = row.querySelector('[data-col="' + m[3] + '"]');
    return cell ? show(cell.querySelector('[data-error]'), cell, message) : show(row.querySelector('[data-row-error]'), row, message);
  }

  function showErrors(body) {
    clearErrors();
    var fields = (body && body.fields) || [];
    var unplaced = fields.filter(function (f) {
      return !placeError(f);
    });
    general.textContent =
      fields.length > 0
        ? '有 ' +
          fields.length +
          ' 处需要修改，请看各项下方的红字。' +
          unplaced
            .map(function (f) {
              return plain(f.message);
            })
            .join('；')
        : (body && body.message) || '提交失败，请稍后重试。';
    general.hidden = false;
    var first = form.querySelector('.has-error') || general;
    first.scrollIntoView({ block: 'center' });
  }

  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  }

  // What this page sends with every save: the draft version it started from (the page's own saves move it on) and
  // a key of its own, so its saves never conflict with each other — only with another page's.
  var base = Number(form.getAttribute('data-draft-version') || '0');
  var editor = window.djIdempotencyKey();
  var failed = false;
  var conflict = null;
  var again = false;
  // Parts the server did not keep (invalid), by path; a part is dropped from here once its field is edited again.
  var skipped = [];

  // 本机: every change the server has not confirmed is also kept on the phone (localStorage), with the draft version it
  // builds on and this page's key — a page left offline, or within the autosave's delay while the network is down, loses
  // nothing: the next opening puts it back and saves it. Forgotten once a save of those very values succeeds.
  var KEPT = window.djKeptKey(id);
  // Kept before it was per person (by filing only): taken over by whoever opens the filing first, as it was then.
  try {
    var legacy = 'dj-filing-unsaved:' + id;
    if (localStorage.getItem(legacy) !== null) {
      if (localStorage.getItem(KEPT) === null) localStorage.setItem(KEPT, localStorage.getItem(legacy));
      localStorage.removeItem(legacy);
    }
  } catch (err) {
    // Storage refused (private mode): nothing was kept.
  }
  var offlineNote = form.querySelector('[data-offline]');
  var restoredNote = form.querySelector('[data-restored]');
  var restoredAt = null;
  var netDown = false;

  function kept() {
    try {
      var entry = JSON.parse(localStorage.getItem(KEPT) || 'null');
      return entry && entry.values ? entry : null;
    } catch (err) {
      return null;
    }
  }
  function keep() {
    try {
      localStorage.setItem(KEPT, JSON.stringify({ values: collect(), base: base, editor: editor, at: Date.now() }));
    } catch (err) {
      // Storage full or refused (private mode): the page still saves to the server as before.
    }
  }
  // Only what was confirmed: a change typed while the save was on its way stays kept.
  function forget(values) {
    var entry = kept();
    if (entry && (values === undefined || same(entry.values, values))) localStorage.removeItem(KEPT);
  }
  // Key order aside: a file reference rendered by the server and the one the upload answered name their parts differently.
  function canonical(v) {
    if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
    if (v && typeof v === 'object')
      return (
        '{' +
        Object.keys(v)
          .sort()
          .map(function (k) {
            return JSON.stringify(k) + ':' + canonical(v[k]);
          })
          .join(',') +
        '}'
      );
    return JSON.stringify(v);
  }
  function same(a, b) {
    return canonical(a) === canonical(b);
  }

  function showNet() {
    var down = netDown || !navigator.onLine;
    if (offlineNote) offlineNote.hidden = !down;
    if (down && status && (dirty || kept())) {
      status.textContent = '网络已断开，修改先保存在本机，联网后自动保存。';
      status.classList.add('warn');
    }
  }

  function when(ms) {
    var parts = {};
    new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
      .formatToParts(new Date(ms))
      .forEach(function (p) {
        parts[p.type] = p.value;
      });
    return parts.month + '月' + parts.day + '日 ' + parts.hour + ':' + parts.minute;
  }
  function tellRestored(rest) {
    restoredNote.textContent = '已恢复您上次离开时尚未保存的内容（' + when(restoredAt) + '）' + rest;
    restoredNote.hidden = false;
  }

  function putScalar(box, v) {
    box.querySelectorAll('[data-v]').forEach(function (el) {
      if (el.type === 'checkbox') el.checked = Array.isArray(v) && v.indexOf(el.value) >= 0;
      else if (el.type === 'radio') el.checked = v === el.value;
      else el.value = v === undefined ? '' : String(v);
    });
  }
  // The form shows the given values: each field, the table rows rebuilt from the row template, the files' list.
  function put(values) {
    form.querySelectorAll('[data-field]').forEach(function (box) {
      var v = values[box.getAttribute('data-field')];
      var type = box.getAttribute('data-type');
      if (type === 'files') {
        var list = box.querySelector('[data-file-list]');
        list.textContent = '';
        (v || []).forEach(function (ref) {
          list.appendChild(window.djFileItem(ref));
        });
      } else if (type === 'table') {
        var holder = box.querySelector('[data-rows]');
        var tpl = box.querySelector('template[data-row-template]');
        rowsOf(box).forEach(function (row) {
          holder.removeChild(row);
        });
        (v || []).forEach(function (cells) {
          var row = tpl.content.firstElementChild.cloneNode(true);
          holder.appendChild(row);
          row.querySelectorAll('[data-col]').forEach(function (cell) {
            putScalar(cell, cells[cell.getAttribute('data-col')]);
          });
        });
        renumber(box);
      } else putScalar(box, v);
    });
  }

  // Opening the page with changes kept here: unless the server already holds them (a save whose answer never came),
  // they are put back and saved. Built on an older draft, the save goes with that version and the page that made them:
  // the server takes it when only that page saved since, and otherwise shows both versions to choose from.
  function restore() {
    var entry = kept();
    if (!entry) return;
    if (same(entry.values, collect())) return forget();
    put(entry.values);
    if (entry.base !== base) {
      base = entry.base;
      editor = entry.editor || editor;
    }
    restoredAt = entry.at;
    tellRestored('，正在保存…');
    dirty = true;
    save(false);
  }

  function request(method, path, values, keepalive, idempotencyKey) {
    var headers = { 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      keepalive: !!keepalive,
      headers: headers,
      body: JSON.stringify({ values: values, baseVersion: base, editor: editor }),
    }).then(function (r) {
      return r
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          return { ok: r.ok, status: r.status, body: body };
        });
    });
  }

  function keyOf(path) {
    var m = /^([A-Za-z][A-Za-z0-9_]*)/.exec(path || '');
    return m ? m[1] : '';
  }

  // “未保存” under each part the server left out, beside (not instead of) any error from a submission.
  function showSkipped() {
    form.querySelectorAll('[data-autosave-note]').forEach(function (el) {
      el.parentNode.removeChild(el);
    });
    skipped.forEach(function (f) {
      var m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d+)\](?:\.([A-Za-z][A-Za-z0-9_]*))?)?$/.exec(f.field || '');
      var box = m && form.querySelector('[data-field="' + m[1] + '"]');
      if (!box) return;
      var at = box;
      if (m[2] !== undefined) {
        var row = rowsOf(box)[Number(m[2])];
        var cell = row && m[3] !== undefined ? row.querySelector('[data-col="' + m[3] + '"]') : null;
        at = cell || row || box;
      }
      var note = document.createElement('p');
      note.className = 'field-error';
      note.setAttribute('role', 'alert');
      note.setAttribute('data-autosave-note', '');
      note.textContent = '未保存：' + f.message;
      at.appendChild(note);
    });
  }

  // A number box holding something that is not a number in its range: known to be refused before the server says so.
  function looksInvalid() {
    var bad = false;
    form.querySelectorAll('[data-type="number"] [data-v]').forEach(function (el) {
      var v = el.value.trim();
      if (!v) return;
      var n = Number(v.replace(/，/g, '.'));
      var min = el.getAttribute('data-min');
      var max = el.getAttribute('data-max');
      if (
        !isFinite(n) ||
        (el.hasAttribute('data-integer') && Math.floor(n) !== n) ||
        (min !== null && min !== '' && n < Number(min)) ||
        (max !== null && max !== '' && n > Number(max))
      )
        bad = true;
    });
    return bad;
  }

  function text(v) {
    return v === '' ? '（未填写）' : v;
  }

  // Another page of this branch saved the draft since this one opened: both versions side by side, and a choice.
  function showConflict(detail, message) {
    conflict = detail;
    failed = true;
    var old = document.querySelector('[data-conflict]');
    if (old) old.parentNode.removeChild(old);
    var box = document.createElement('div');
    box.className = 'alert warn conflict';
    box.setAttribute('role', 'alert');
    box.setAttribute('data-conflict', '');
    var p = document.createElement('p');
    p.textContent = message || '这份草稿已在另一处保存过，请选择保留哪一份。';
    box.appendChild(p);
    var table = document.createElement('table');
    table.className = 'compare';
    var head = table.createTHead().insertRow();
    ['项目', '本页填写的（我的）', '另一处保存的'].forEach(function (t) {
      var th = document.createElement('th');
      th.textContent = t;
      head.appendChild(th);
    });
    var body = table.createTBody();
    (detail.fields || []).forEach(function (f) {
      var tr = body.insertRow();
      tr.setAttribute('data-conflict-field', f.key);
      [f.label, text(f.mine), text(f.theirs)].forEach(function (t, i) {
        var td = tr.insertCell();
        td.textContent = t;
        if (i === 1) td.setAttribute('data-mine', '');
        if (i === 2) td.setAttribute('data-theirs', '');
      });
    });
    box.appendChild(table);
    var buttons = document.createElement('div');
    buttons.className = 'buttons';
    var mine = document.createElement('button');
    mine.type = 'button';
    mine.className = 'primary';
    mine.setAttribute('data-keep-mine', '');
    mine.textContent = '保留我的，覆盖保存';
    mine.addEventListener('click', function () {
      base = detail.draftVersion;
      conflict = null;
      failed = false;
      box.parentNode.removeChild(box);
      dirty = true;
      save(false);
    });
    var theirs = document.createElement('button');
    theirs.type = 'button';
    theirs.setAttribute('data-take-theirs', '');
    theirs.textContent = '采用另一处的（重新载入）';
    theirs.addEventListener('click', function () {
      finished = true;
      forget();
      window.location.replace(window.djKeepFrom(window.location.pathname));
    });
    buttons.appendChild(mine);
    buttons.appendChild(theirs);
    box.appendChild(buttons);
    form.insertBefore(box, form.firstChild);
    if (status) {
      status.textContent = '暂未保存：另一处已修改这份草稿，请在上方选择。';
      status.classList.add('warn');
    }
    box.scrollIntoView({ block: 'center' });
  }

  function saved(body) {
    base = body.draftVersion;
    failed = false;
    skipped = body.skipped || [];
    showSkipped();
    if (!status || finished) return;
    status.textContent =
      '已自动保存 ' +
      hhmm(body.draftSavedAt) +
      (skipped.length
        ? '（' +
          skipped
            .map(function (f) {
              return f.message;
            })
            .join('；') +
          '。这几项没有保存，请修改）'
        : '');
    status.classList.toggle('warn', skipped.length > 0);
  }

  // One save at a time from this page (the next waits for the answer), except when the page is being left: then at once,
  // in one request the browser finishes after the page is gone (keepalive); the server keeps every valid field of it.
  function save(keepalive) {
    if (finished || conflict || !dirty) return Promise.resolve();
    if (saving && !keepalive) {
      again = true;
      return saving;
    }
    dirty = false;
    var values = collect();
    if (status) status.textContent = '正在保存…';
    var mine = request('PUT', '/api/filings/' + id + '/draft', values, keepalive)
      .then(function (r) {
        netDown = false;
        showNet();
        if (finished) return;
        if (r.ok) {
          // A part the server refused stays kept here too: it comes back with the page, under its “未保存”.
          if (!(r.body.skipped || []).length) forget(values);
          if (restoredAt) tellRestored((r.body.skipped || []).length ? '，已保存；标有“未保存”的几项请修改。' : '，已保存。');
          return saved(r.body);
        }
        failed = true;
        if (r.status === 409 && r.body.detail) {
          // The same values on both sides: nothing to choose, this page simply goes on from the stored version.
          if (!(r.body.detail.fields || []).length) {
            base = r.body.detail.draftVersion;
            failed = false;
            forget(values);
            if (restoredAt) tellRestored('，已保存。');
            return;
          }
          if (restoredAt) tellRestored('。这份草稿此后在别处保存过，请选择保留哪一份。');
          return showConflict(r.body.detail, r.body.message);
        }
        dirty = true;
        if (status) {
          status.textContent = '暂未保存：' + ((r.body && r.body.message) || '请检查网络');
          status.classList.add('warn');
        }
      })
      .catch(function () {
        failed = true;
        dirty = true;
        netDown = true;
        showNet();
        // Still “online” but the server out of reach: try again in a while (an 'online' event saves at once).
        if (navigator.onLine && !timer && !finished) {
          timer = setTimeout(function () {
            timer = null;
            save(false);
          }, 15000);
        }
      })
      .then(function () {
        if (saving === mine) saving = null;
        if (again) {
          again = false;
          return save(false);
        }
      });
    if (!keepalive) saving = mine;
    return mine;
  }

  function changed(e) {
    dirty = true;
    keep();
    var box = e && e.target && e.target.closest ? e.target.closest('[data-field]') : null;
    if (box) {
      var key = box.getAttribute('data-field');
      skipped = skipped.filter(function (f) {
        return keyOf(f.field) !== key;
      });
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      save(false);
    }, 1500);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  // Offline nothing is sent (it would fail, or leave later than the page knows): the changes wait on the phone (keep())
  // for the 'online' event or the next opening of this filing.
  function flush() {
    clearTimeout(timer);
    timer = null;
    if (navigator.onLine) save(true);
  }
  // Leaving: what is valid is sent now; the browser asks first when something would still be lost — a part the server
  // could not keep, a save that failed, a conflict not yet decided, or a number that cannot be saved as typed.
  // Offline, the changes are kept on this phone (above) but not yet on the server: asked too.
  window.addEventListener('beforeunload', function (e) {
    if (finished) return;
    var unsent = dirty;
    flush();
    if (conflict || failed || skipped.length || looksInvalid() || (unsent && !navigator.onLine)) {
      e.preventDefault();
      e.returnValue = '';
    }
  });
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('offline', showNet);
  window.addEventListener('online', function () {
    netDown = false;
    showNet();
    if (kept()) dirty = true;
    clearTimeout(timer);
    timer = null;
    save(false);
  });

  // Table rows: 添加一行 / 删除, renumbered 第 N 行.
  function renumber(box) {
    var rows = rowsOf(box);
    rows.forEach(function (row, i) {
      var t = row.querySelector('[data-row-title]');
      if (t) t.textContent = '第 ' + (i + 1) + ' 行';
    });
    var add = box.querySelector('[data-add-row]');
    if (add) add.disabled = rows.length >= Number(box.getAttribute('data-max-rows') || 1000);
  }
  form.querySelectorAll('[data-type="table"]').forEach(function (box) {
    renumber(box);
    box.addEventListener('click', function (e) {
      var t = e.target;
      if (t.closest('[data-add-row]')) {
        var tpl = box.querySelector('template[data-row-template]');
        var row = tpl.content.firstElementChild.cloneNode(true);
        box.querySelector('[data-rows]').appendChild(row);
        renumber(box);
        var first = row.querySelector('[data-v]');
        if (first) first.focus();
        changed();
      } else if (t.closest('[data-del-row]')) {
        var r = t.closest('[data-row]');
        var filled = Array.prototype.some.call(r.querySelectorAll('[data-v]'), function (i) {
          return i.type === 'checkbox' ? i.checked : i.value.trim() !== '';
        });
        if (filled && !window.confirm('删除这一行？已填的内容会一并删除。')) return;
        r.parentNode.removeChild(r);
        renumber(box);
        changed();
      }
    });
  });

  // One key for this page's submission: a retry after a lost answer is answered, not submitted again.
  var submitKey = window.djIdempotencyKey();
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (conflict) {
      document.querySelector('[data-conflict]').scrollIntoView({ block: 'center' });
      return;
    }
    var button = form.querySelector('[data-filing-submit]');
    var label = button.textContent;
    button.disabled = true;
    button.textContent = '正在提交…';
    clearTimeout(timer);
    timer = null;
    Promise.resolve(saving)
      .then(function () {
        return request('POST', '/api/filings/' + id + '/submit', collect(), false, submitKey);
      })
      .then(function (r) {
        if (r.ok) {
          finished = true;
          forget();
          // 202: accepted, still being completed (the page then says so, and shows the result when it is in).
          window.location.href = window.djKeepFrom('/filings/' + id + '?done=' + (r.status === 202 ? 'pending' : 'submitted'));
          return;
        }
        button.disabled = false;
        button.textContent = label;
        if (r.status === 409 && r.body.detail) {
          // A new key: the next submission (after choosing) is a new request, not a repeat of this refused one.
          submitKey = window.djIdempotencyKey();
          return showConflict(r.body.detail, r.body.message);
        }
        showErrors(r.body);
      })
      .catch(function () {
        showErrors({ message: '网络不通，未能提交。填写的内容仍在本页，请稍后再试。' });
        button.disabled = false;
        button.textContent = label;
      });
  });
  restore();
  showNet();
})();

// 填报情况: completion chart (statuses, and branches that had submitted by each day).
(function () {
  var box = document.querySelector('[data-filing-chart]');
  if (!box) return;
  var fallback = document.querySelector('[data-chart-fallback]');
  if (!window.echarts) {
    if (fallback) fallback.textContent = '图表暂不可用，请看下面的表格。';
    return;
  }
  var data = JSON.parse(box.getAttribute('data-filing-chart'));
  var chart = window.echarts.init(box, null, { renderer: 'svg' });
  var series = [
    {
      type: 'bar',
      name: '支部数',
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: data.statuses.map(function (s) {
        return s.value;
      }),
      itemStyle: { color: '#c8161d' },
      label: { show: true, position: 'top' },
    },
  ];
  var grids = [{ left: 36, right: 12, top: 30, height: 130 }];
  var xAxes = [
    {
      type: 'category',
      gridIndex: 0,
      data: data.statuses.map(function (s) {
        return s.name;
      }),
    },
  ];
  var yAxes = [{ type: 'value', gridIndex: 0, minInterval: 1, max: data.total || null }];
  var titles = [{ text: '当前状态', left: 0, top: 0, textStyle: { fontSize: 14 } }];
  if (data.submitted.length) {
    grids.push({ left: 36, right: 12, top: 230, height: 120 });
    xAxes.push({
      type: 'category',
      gridIndex: 1,
      data: data.submitted.map(function (p) {
        return p.day.slice(5).replace('-', '月') + '日';
      }),
    });
    yAxes.push({ type: 'value', gridIndex: 1, minInterval: 1, max: data.total || null });
    titles.push({ text: '累计提交', left: 0, top: 198, textStyle: { fontSize: 14 } });
    series.push({
      type: 'line',
      name: '累计提交',
      xAxisIndex: 1,
      yAxisIndex: 1,
      step: 'end',
      data: data.submitted.map(function (p) {
        return p.count;
      }),
      itemStyle: { color: '#1d7a3a' },
      label: { show: true },
    });
  }
  box.style.height = (data.submitted.length ? 380 : 190) + 'px';
  chart.resize();
  chart.setOption({ animation: false, title: titles, grid: grids, xAxis: xAxes, yAxis: yAxes, series: series, tooltip: { trigger: 'axis' } });
  if (fallback) fallback.hidden = true;
  window.addEventListener('resize', function () {
    chart.resize();
  });
})();

// 附件: each chosen file is uploaded (POST /api/files, stored once by SHA-256); the form keeps only the reference.
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.querySelectorAll('[data-file-input]').forEach(function (input) {
    var box = input.closest('[data-type="files"]');
    var list = box.querySelector('[data-file-list]');
    var status = box.querySelector('[data-file-status]');
    var changed = function () {
      box.dispatchEvent(new Event('input', { bubbles: true }));
    };
    var add = function (ref) {
      list.appendChild(window.djFileItem(ref));
    };
    list.addEventListener('click', function (e) {
      if (e.target && e.target.hasAttribute('data-file-remove')) {
        e.target.closest('li').remove();
        changed();
      }
    });
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files || []);
      var room = Number(input.getAttribute('data-max-count') || 99) - list.children.length;
      if (files.length > room) {
        status.textContent = '最多还能上传 ' + Math.max(room, 0) + ' 个文件';
        input.value = '';
        return;
      }
      var done = 0;
      status.textContent = '正在上传 0/' + files.length + '…';
      files
        .reduce(function (chain, file) {
          return chain.then(function () {
            var body = new FormData();
            body.append('file', file);
            return fetch('/api/files', {
              method: 'POST',
              credentials: 'same-origin',
              headers: { 'x-csrf-token': meta ? meta.content : '', accept: 'application/json' },
              body: body,
            }).then(function (r) {
              return r.json().then(function (b) {
                if (!r.ok) throw new Error(file.name + '：' + (b.message || '上传失败'));
                add(b);
                done++;
                status.textContent = '正在上传 ' + done + '/' + files.length + '…';
              });
            });
          });
        }, Promise.resolve())
        .then(function () {
          status.textContent = '已上传 ' + done + ' 个文件';
          changed();
        })
        .catch(function (err) {
          status.textContent = err.message;
          changed();
        })
        .finally(function () {
          input.value = '';
        });
    });
  });
})();

// 待办 / 逾期 counts in the menu, on the inbox tabs and in the window title (“(3) 待办”), refreshed without reloading:
// every 25 s while the page is visible, at once when it becomes visible again, not at all while it is hidden.
(function () {
  var url = document.body.getAttribute('data-inbox-counts');
  if (!url) return;
  var PERIOD = 25000;
  var timer = null;
  var busy = false;
  var stopped = false;

  function show(el, n, text) {
    el.textContent = n ? text : '';
    el.hidden = !n;
  }
  function apply(c) {
    document.querySelectorAll('[data-nav-count="todo"]').forEach(function (el) {
      show(el, c.todo, String(c.todo));
      el.title = '待办 ' + c.todo + ' 项';
    });
    document.querySelectorAll('[data-nav-count="overdue"]').forEach(function (el) {
      show(el, c.overdue, '逾期 ' + c.overdue);
      el.title = '逾期 ' + c.overdue + ' 项';
    });
    document.querySelectorAll('[data-count]').forEach(function (el) {
      var v = c[el.getAttribute('data-count')];
      if (v !== undefined) el.textContent = String(v);
    });
    var open = c.todo + c.overdue;
    var base = document.title.replace(/^\(\d+\) /, '');
    document.title = open ? '(' + open + ') ' + base : base;
  }
  function stop() {
    clearInterval(timer);
    timer = null;
  }
  function refresh() {
    if (busy || stopped) return;
    busy = true;
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) {
        // Logged out or no capacity any more: stop asking; the next page load says why.
        if (r.status === 401 || r.status === 403) {
          stopped = true;
          stop();
        }
        return r.ok ? r.json() : null;
      })
      .then(function (c) {
        if (c) apply(c);
      })
      .catch(function () {})
      .then(function () {
        busy = false;
      });
  }
  function start() {
    if (!timer && !stopped) timer = setInterval(refresh, PERIOD);
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      refresh();
      start();
    } else stop();
  });
  // Back to a page kept in the browser's cache: its counts are as old as the page.
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) refresh();
  });
  if (document.visibilityState !== 'hidden') {
    if (!document.body.hasAttribute('data-counts-rendered')) refresh();
    start();
  }
})();

// 发文的附件: each chosen file is uploaded (POST /api/files); its row keeps the name printed in the 附件说明 and the
// file's reference, in the order shown (上移 / 删除), and the form posts them as attTitle / attFile / attBody.
(function () {
  var box = document.querySelector('[data-attachments]');
  if (!box) return;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var rows = box.querySelector('[data-attach-rows]');
  var input = box.querySelector('[data-attach-input]');
  var status = box.querySelector('[data-attach-status]');
  var changed = function () {
    Array.prototype.forEach.call(rows.querySelectorAll('[data-attach-n]'), function (el, i) {
      el.textContent = String(i + 1);
    });
    box.dispatchEvent(new Event('input', { bubbles: true }));
  };
  var hidden = function (name, value) {
    var el = document.createElement('input');
    el.type = 'hidden';
    el.name = name;
    el.value = value;
    return el;
  };
  var button = function (text, attr) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.setAttribute(attr, '');
    b.textContent = text;
    return b;
  };
  var add = function (ref) {
    var li = document.createElement('li');
    li.setAttribute('data-attach-row', '');
    var label = document.createElement('label');
    label.appendChild(document.createTextNode('附件 '));
    var n = document.createElement('span');
    n.setAttribute('data-attach-n', '');
    label.appendChild(n);
    label.appendChild(document.createTextNode(' 名称'));
    var title = document.createElement('input');
    title.name = 'attTitle';
    title.maxLength = 200;
    title.value = ref.name.replace(/\.[^.]+$/, '');
    label.appendChild(title);
    li.appendChild(label);
    li.appendChild(hidden('attFile', JSON.stringify({ sha256: ref.sha256, name: ref.name, size: ref.size, mimeType: ref.mimeType })));
    li.appendChild(hidden('attBody', ''));
    var file = document.createElement('span');
    file.className = 'muted';
    file.appendChild(document.createTextNode('文件：'));
    file.appendChild(window.djFileLink(ref, 'data-attach-file'));
    file.appendChild(document.createTextNode('（' + Math.max(1, Math.round(ref.size / 1024)) + ' KB）'));
    li.appendChild(file);
    var buttons = document.createElement('span');
    buttons.className = 'row-buttons';
    buttons.appendChild(button('上移', 'data-attach-up'));
    buttons.appendChild(button('删除', 'data-attach-remove'));
    li.appendChild(buttons);
    rows.appendChild(li);
  };
  rows.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    var li = t.closest('[data-attach-row]');
    if (t.hasAttribute('data-attach-remove')) {
      li.remove();
      changed();
    } else if (t.hasAttribute('data-attach-up') && li.previousElementSibling) {
      rows.insertBefore(li, li.previousElementSibling);
      changed();
    }
  });
  input.addEventListener('change', function () {
    var files = Array.prototype.slice.call(input.files || []);
    var done = 0;
    status.textContent = '正在上传 0/' + files.length + '…';
    files
      .reduce(function (chain, file) {
        return chain.then(function () {
          var body = new FormData();
          body.append('file', file);
          return fetch('/api/files', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'x-csrf-token': meta ? meta.content : '', accept: 'application/json' },
            body: body,
          }).then(function (r) {
            return r.json().then(function (b) {
              if (!r.ok) throw new Error(file.name + '：' + (b.message || '上传失败'));
              add(b);
              done++;
              status.textContent = '正在上传 ' + done + '/' + files.length + '…';
            });
          });
        });
      }, Promise.resolve())
      .then(function () {
        status.textContent = '已上传 ' + done + ' 个文件，保存草稿后生效';
        changed();
      })
      .catch(function (err) {
        status.textContent = err.message;
        changed();
      })
      .finally(function () {
        input.value = '';
      });
  });
})();

// 填报要求: the field list is for a custom form only; shown when 自定义表单 is chosen.
(function () {
  document.querySelectorAll('[data-requirement-row]').forEach(function (row) {
    var select = row.querySelector('[data-req-template]');
    var fields = row.querySelector('[data-req-fields]');
    if (!select || !fields) return;
    var show = function () {
      fields.hidden = select.value !== 'CUSTOM';
    };
    select.addEventListener('change', show);
    show();
  });
})();
