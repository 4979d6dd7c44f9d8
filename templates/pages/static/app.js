// Small progressive enhancements; every page works without them.
(function () {
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
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
  document.querySelectorAll('[data-doc-frame]').forEach(function (frame) {
    var iframe = frame.querySelector('iframe');
    iframe.addEventListener('load', function () {
      fit(frame);
    });
    if (iframe.contentDocument && iframe.contentDocument.readyState === 'complete') fit(frame);
    window.addEventListener('resize', function () {
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
    var refresh = function () {
      var mine = ++seq;
      var data = new URLSearchParams(new FormData(form));
      data.delete('text');
      if (status) status.textContent = '正在更新预览…';
      fetch(live.getAttribute('data-live-preview'), { method: 'POST', body: data, headers: { 'x-csrf-token': csrf }, credentials: 'same-origin' })
        .then(function (r) {
          return r.text().then(function (t) {
            return { ok: r.ok, text: t };
          });
        })
        .then(function (r) {
          if (mine !== seq) return;
          if (r.ok) {
            // Reloading identical HTML would only make the page flicker.
            if (r.text !== last) live.querySelector('iframe').srcdoc = r.text;
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
    refresh();
  }

  // A page waiting for the workflow to catch up reloads itself (without the one-time notice in the query).
  var settling = document.querySelector('[data-reload-after]');
  if (settling) {
    setTimeout(
      function () {
        window.location.replace(window.location.pathname);
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

  // Inbox counts.
  if (document.querySelector('[data-count]')) {
    setInterval(function () {
      fetch('/api/inbox/counts', { credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (c) {
          if (!c) return;
          document.querySelectorAll('[data-count]').forEach(function (el) {
            var v = c[el.getAttribute('data-count')];
            if (v !== undefined) el.textContent = String(v);
          });
        })
        .catch(function () {});
    }, 10000);
  }

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
