// Live status: a page with [data-live] polls its small status endpoint (ETag, 304 when unchanged) and, when the
// version moves (核稿 done, 签发, a filing reviewed), reloads itself — or, when the person has typed something not
// yet sent, says so and offers the reload instead of throwing the edits away.
(function () {
  var box = document.querySelector('[data-live]');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-live');
  var version = box.getAttribute('data-live-version');
  var EVERY = 3000;
  var timer = null;
  var stopped = false;
  var failures = 0;

  // A field of a form whose value differs from what the page was rendered with is an unsaved edit (app.js's check, the
  // one the leave prompt uses; without it, every page counts as edited and is offered, never reloaded, here).
  function dirty() {
    if (typeof window.djFieldsChanged !== 'function') return true;
    var forms = document.querySelectorAll('form');
    for (var i = 0; i < forms.length; i++) if (window.djFieldsChanged(forms[i])) return true;
    return !!document.querySelector('[data-dirty]');
  }

  // The same address, query included: the confirmation of what the person just did (?done=…) stays on the page that
  // follows the lifecycle, instead of vanishing a second after it was shown. Only "still being completed"
  // (done=pending) goes: the change that moved the page is most likely that very action, now done.
  function reload() {
    var query = new URLSearchParams(window.location.search);
    if (query.get('done') === 'pending') query.delete('done');
    var search = query.toString();
    window.location.replace(window.location.pathname + (search ? '?' + search : '') + window.location.hash);
  }

  function offer() {
    if (document.querySelector('[data-live-changed]')) return;
    var note = document.createElement('div');
    note.className = 'alert warn';
    note.setAttribute('role', 'status');
    note.setAttribute('data-live-changed', '');
    note.appendChild(document.createTextNode('本页的办理状态已更新。您填写的内容尚未提交，刷新前请先保存或复制。 '));
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = '刷新本页';
    button.addEventListener('click', reload);
    note.appendChild(button);
    box.insertBefore(note, box.firstChild);
  }

  function schedule(ms) {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(poll, ms);
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', cache: 'no-cache', headers: { accept: 'application/json' } })
      .then(function (r) {
        // Logged out, no longer allowed, gone: nothing more to follow here.
        if (r.status === 401 || r.status === 403 || r.status === 404) {
          stopped = true;
          return null;
        }
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        failures = 0;
        if (stopped) return; // a form went off meanwhile: its answer is the next page

        if (s && s.version && s.version !== version) {
          if (dirty()) {
            version = s.version;
            offer();
          } else return reload();
        }
        schedule(EVERY);
      })
      .catch(function () {
        // Offline or the server restarting: try again, less often.
        failures++;
        schedule(Math.min(EVERY * Math.pow(2, failures), 60000));
      });
  }

  // Once the person sends a form, the page is on its way to the answer: a refresh now would cancel the submission.
  document.addEventListener(
    'submit',
    function () {
      stopped = true;
      clearTimeout(timer);
    },
    true,
  );

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) schedule(0);
    else clearTimeout(timer);
  });
  schedule(EVERY);
})();
