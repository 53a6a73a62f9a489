// Test campaign `silent`: the script of a campaign page that does not speak the SDK's
// handshake (docs/protocol.md §1). It runs and tells its parent its height in a protocol of
// its own (iframe-resizer's message format), never `ready`, so the SDK shows it as it is.
(function () {
  'use strict';
  var parentOrigin = new URLSearchParams(location.search).get('parent_origin') || '';
  if (window.parent === window || !/^https?:\/\/[^/?#\s]+$/.test(parentOrigin)) return;
  var height = Math.ceil(document.documentElement.scrollHeight);
  window.parent.postMessage('[iFrameSizer]silent:' + height + ':0:init', parentOrigin); // never '*'
})();
