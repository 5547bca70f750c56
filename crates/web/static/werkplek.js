// Gastvrij werkplek: live search while typing and keyboard shortcuts. Progressive
// enhancement only: every step also works with plain forms without this script.
(function () {
  'use strict';

  // Live search: a field with data-live-search="/url" fills the element its aria-controls
  // names with the results fragment (url?q=…&deel=1), at most one request in flight; the
  // latest text always wins.
  function liveSearch(field) {
    var target = document.getElementById(field.getAttribute('aria-controls'));
    if (!target) return;
    var url = field.getAttribute('data-live-search');
    var timer = null;
    var seq = 0;
    function run() {
      var q = field.value.trim();
      var mine = ++seq;
      if (q.length < 2) { target.innerHTML = ''; return; }
      fetch(url + (url.indexOf('?') < 0 ? '?' : '&') + 'deel=1&q=' + encodeURIComponent(q), { credentials: 'same-origin' })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine !== seq) return;
          target.innerHTML = html;
          target.setAttribute('data-query', q);
          document.dispatchEvent(new CustomEvent('gastvrij:results', { detail: { query: q } }));
        })
        .catch(function () { /* the plain search page still works */ });
    }
    field.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 15);
    });
  }

  document.querySelectorAll('[data-live-search]').forEach(liveSearch);

  function typing(el) {
    return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
  }

  document.addEventListener('keydown', function (e) {
    // Alt+N: a new contact.
    if (e.altKey && !e.ctrlKey && (e.key === 'n' || e.key === 'N')) {
      e.preventDefault();
      var channel = document.getElementById('kanaal');
      if (channel) channel.focus(); else window.location.href = '/werkplek';
      return;
    }
    // Alt+1…9: open search result n.
    if (e.altKey && !e.ctrlKey && e.key >= '1' && e.key <= '9') {
      var link = document.querySelector('[data-result="' + e.key + '"]');
      if (link) { e.preventDefault(); link.focus(); link.click(); }
      return;
    }
    // Ctrl+Enter: send the form the focus is in.
    if (e.ctrlKey && e.key === 'Enter' && document.activeElement && document.activeElement.form) {
      e.preventDefault();
      document.activeElement.form.requestSubmit();
      return;
    }
    // "/": to the search field, unless typing.
    if (e.key === '/' && !e.altKey && !e.ctrlKey && !typing(document.activeElement)) {
      var field = document.querySelector('[data-live-search]') || document.getElementById('zoek');
      if (field) { e.preventDefault(); field.focus(); }
    }
  });
})();
