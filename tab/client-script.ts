/**
 * The tab's only client code, served as /tab/static/tab.js: get a Teams SSO token through the
 * Teams JavaScript client library, fetch a server-rendered view with it, put it in <main>, and move
 * focus to its heading. Plain ES2017, no build step, no framework.
 */
export const TAB_SCRIPT = `(function () {
  'use strict';
  var main = document.getElementById('innehall');
  var ready;
  function teamsReady() {
    if (!ready) {
      ready = new Promise(function (resolve, reject) {
        var teams = window.microsoftTeams;
        if (!teams) { reject(new Error('no-teams')); return; }
        var timer = setTimeout(function () { reject(new Error('timeout')); }, 8000);
        teams.app.initialize().then(function () { clearTimeout(timer); resolve(teams); }, function (e) { clearTimeout(timer); reject(e); });
      });
    }
    return ready;
  }
  function token() {
    return teamsReady().then(function (teams) { return teams.authentication.getAuthToken(); });
  }
  function authorizedFetch(url) {
    return token().then(function (t) { return fetch(url, { headers: { Authorization: 'Bearer ' + t } }); });
  }
  function show(html) {
    main.innerHTML = html;
    main.setAttribute('aria-busy', 'false');
    var heading = main.querySelector('h2');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
  }
  function problem(text) {
    show('<h2>Översikten kunde inte visas</h2><p role="alert">' + text + '</p>');
  }
  function route() {
    var hash = decodeURIComponent(location.hash.replace(/^#/, '')) || 'uppgifter';
    var view = hash.split('?')[0].split('/')[0];
    var query = hash.indexOf('?') >= 0 ? hash.slice(hash.indexOf('?')) : '';
    var links = document.querySelectorAll('nav a[data-view]');
    var known = view === 'arende';
    for (var k = 0; k < links.length; k++) if (links[k].getAttribute('data-view') === view) known = true;
    // The skip link's #innehall and other in-page anchors are not views.
    if (!known) return;
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('data-view') === view) links[i].setAttribute('aria-current', 'page');
      else links[i].removeAttribute('aria-current');
    }
    var url = view === 'arende' ? '/tab/api/arende/' + encodeURIComponent(hash.slice('arende/'.length)) : '/tab/api/vy/' + encodeURIComponent(view) + query;
    main.setAttribute('aria-busy', 'true');
    authorizedFetch(url).then(function (res) {
      if (res.status === 401) { problem('Inloggningen via Teams kunde inte verifieras. Öppna fliken på nytt.'); return; }
      return res.text().then(function (html) { if (res.ok) show(html); else problem('Något gick fel hos Boendelotsen (' + res.status + ').'); });
    }, function () {
      problem('Fliken fick ingen inloggning från Teams. Öppna den i Microsoft Teams.');
    });
  }
  function download(link) {
    authorizedFetch(link.getAttribute('href')).then(function (res) {
      if (!res.ok) { problem('Filen kunde inte hämtas (' + res.status + ').'); return; }
      return res.blob().then(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = link.getAttribute('data-download');
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
    }, function () { problem('Filen kunde inte hämtas.'); });
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-download]');
    if (link) { event.preventDefault(); download(link); }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.matches('form[data-view]')) return;
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form)).toString();
    location.hash = '#' + form.getAttribute('data-view') + (params ? '?' + params : '');
  });
  window.addEventListener('hashchange', route);
  route();
})();
`;

/** /tab/static/tab-config.js: the team tab's configuration page saves the overview as the channel's tab. */
export const CONFIG_SCRIPT = `(function () {
  'use strict';
  var status = document.getElementById('status');
  var teams = window.microsoftTeams;
  if (!teams) { status.textContent = 'Sidan öppnas från Microsoft Teams.'; return; }
  teams.app.initialize().then(function () {
    teams.pages.config.registerOnSaveHandler(function (save) {
      var base = location.origin;
      teams.pages.config.setConfig({ entityId: 'boendelotsen-oversikt', contentUrl: base + '/tab', websiteUrl: base + '/tab', suggestedDisplayName: 'Översikt' })
        .then(function () { save.notifySuccess(); }, function (e) { save.notifyFailure(String(e)); });
    });
    teams.pages.config.setValidityState(true);
    status.textContent = 'Klart att spara.';
  }, function () { status.textContent = 'Sidan öppnas från Microsoft Teams.'; });
})();
`;
