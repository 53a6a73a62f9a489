// Reloads the dashboard when the platform's state changes. The page is rendered and escaped
// on the server; this script never writes HTML.
(function () {
  'use strict';
  var version = document.body.getAttribute('data-version');
  function poll() {
    fetch('/api/version', { cache: 'no-store' })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (String(answer.version) !== version) location.reload();
        else setTimeout(poll, 1000);
      })
      .catch(function () {
        setTimeout(poll, 3000);
      });
  }
  setTimeout(poll, 1000);
})();
