// The dashboard's only script: live updates over server-sent events. Everything else works without it.
// Rows arrive already rendered (and escaped) by the server, so this code only swaps elements.

/** Served at /assets/app.js. */
export const CLIENT_SCRIPT = `'use strict';
(function () {
  var root = document.querySelector('[data-live]');
  var status = document.getElementById('live');
  function setStatus(on, label) {
    if (!status) return;
    status.className = on ? 'live on' : 'live';
    status.textContent = label;
  }
  function fmt(ms) {
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var t = Math.round(s), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), r = t % 60;
    return h > 0 ? h + ' h ' + String(m).padStart(2, '0') + ' m' : m + ' m ' + String(r).padStart(2, '0') + ' s';
  }
  setInterval(function () {
    document.querySelectorAll('[data-since]').forEach(function (el) {
      el.textContent = fmt(Date.now() - Number(el.getAttribute('data-since')));
    });
  }, 1000);
  if (!root || !window.EventSource) return;

  function placeRow(body, row) {
    var created = Number(row.getAttribute('data-created'));
    var rows = body.querySelectorAll('tr[data-created]');
    for (var i = 0; i < rows.length; i++) {
      if (Number(rows[i].getAttribute('data-created')) < created) { body.insertBefore(row, rows[i]); return; }
    }
    body.appendChild(row);
  }
  function onRows(data) {
    var body = document.getElementById('job-rows');
    if (!body) return;
    var from = Number(body.getAttribute('data-live-from') || '0');
    var first = body.getAttribute('data-first-page') === '1';
    data.rows.forEach(function (r) {
      var old = document.getElementById('job-' + r.id);
      if (r.html === null) { if (old) old.remove(); return; }
      var tpl = document.createElement('template');
      tpl.innerHTML = r.html;
      var row = tpl.content.firstElementChild;
      row.classList.add('flash');
      if (old) old.replaceWith(row);
      else if (first && r.createdAt >= from) {
        placeRow(body, row);
        var count = document.getElementById('job-count');
        if (count) {
          var n = Number(count.getAttribute('data-count')) + 1;
          count.setAttribute('data-count', String(n));
          count.textContent = n + (n === 1 ? ' job' : ' jobs');
        }
      }
    });
    var empty = document.getElementById('no-jobs');
    if (empty && body.querySelector('tr[data-created]')) empty.remove();
  }
  var refreshing = false, again = false;
  function onJob() {
    var part = document.getElementById('job-live');
    if (!part) return;
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(part.getAttribute('data-src'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var tpl = document.createElement('template');
        tpl.innerHTML = text;
        var next = tpl.content.firstElementChild;
        if (next) document.getElementById('job-live').replaceWith(next);
      })
      .catch(function () {})
      .finally(function () { refreshing = false; if (again) { again = false; onJob(); } });
  }

  var source = new EventSource(root.getAttribute('data-live'));
  source.addEventListener('open', function () { setStatus(true, 'live'); });
  source.addEventListener('error', function () { setStatus(false, 'reconnecting…'); });
  source.addEventListener('rows', function (e) { onRows(JSON.parse(e.data)); });
  source.addEventListener('job', function () { onJob(); });
  source.addEventListener('reload', function () { location.reload(); });
  window.addEventListener('pagehide', function () { source.close(); });
})();
`;
