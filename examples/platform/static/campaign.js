// The campaign page's script (docs/protocol.md §1). Served as a file so the page runs under a
// strict CSP. It talks only to the exact parent_origin from its URL, on its channel, and it
// writes text with textContent, never innerHTML.
(function () {
  'use strict';
  var query = new URLSearchParams(location.search);
  var channel = query.get('channel') || '';
  var parentOrigin = query.get('parent_origin') || '';
  var body = document.body;
  var data = body.dataset;
  var embedded = window.parent !== window && /^https?:\/\/[^/?#\s]+$/.test(parentOrigin) && /^[\w-]{8,}$/.test(channel);

  // The page's words in its locale, from data-text-* attributes (English when absent).
  /** @param {string} key @param {string} english @returns {string} */
  function say(key, english) {
    return data['text' + key.charAt(0).toUpperCase() + key.slice(1)] || english;
  }
  // An element of the page. Typed as an input, the widest of them; the ones a page may lack are
  // checked for first.
  /** @param {string} id */
  function $(id) {
    return /** @type {HTMLInputElement} */ (document.getElementById(id));
  }
  /** @param {Record<string, unknown>} message */
  function post(message) {
    if (!embedded) return;
    message.bp = 1;
    message.channel = channel;
    window.parent.postMessage(message, parentOrigin); // never '*'
  }

  // An unknown market or campaign: say so, and nothing else.
  if (data.errorCode) {
    post({ type: 'error', code: data.errorCode, message: data.errorMessage || data.errorCode });
    return;
  }

  var api = '/iaf/' + encodeURIComponent(/** @type {string} */ (data.campaign)) + '/';
  var marketQuery = '?market=' + encodeURIComponent(/** @type {string} */ (data.market));

  /** @param {string} text */
  function notice(text) {
    var box = $('notice');
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }
  /** @param {string} state */
  function setState(state) {
    body.setAttribute('data-state', state);
  }
  /** @param {{ name?: unknown, email?: unknown }} fields */
  function prefill(fields) {
    if (!$('name')) return;
    if (fields.name) $('name').value = String(fields.name);
    if (fields.email) $('email').value = String(fields.email);
  }
  /** @param {{ name: string, share_url: string, referral_count?: number }} person */
  function showDashboard(person) {
    if (!$('dashboard')) return;
    $('who').textContent = person.name;
    $('share-url').value = person.share_url;
    $('count').textContent = String(person.referral_count || 0);
    $('signup').hidden = true;
    $('dashboard').hidden = false;
    notice('');
    setState('signed-in');
  }
  // The platform's JSON answer, with its HTTP status. Only a `signed_in` answer names the person.
  /**
   * @param {string} path @param {object} fields
   * @returns {Promise<{ status: string, errors?: string[], httpStatus: number, name: string, email?: string, share_url: string, referral_count?: number }>}
   */
  function postJson(path, fields) {
    return fetch(api + path + marketQuery, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(fields),
      credentials: 'same-origin',
    }).then(function (response) {
      return response.json().then(function (json) {
        json.httpStatus = response.status;
        return json;
      });
    });
  }
  /** @param {object} fields */
  function signUp(fields) {
    var error = $('form-error');
    error.hidden = true;
    setState('signing-up');
    return postJson('signup', fields).then(
      function (answer) {
        if (answer.status === 'signed_in') return showDashboard(answer);
        error.textContent = (answer.errors || [say('signupFailed', 'Sign-up failed.')]).join(' ');
        error.hidden = false;
        setState('signup');
      },
      function () {
        error.textContent = say('unreachable', 'The platform could not be reached. Try again.');
        error.hidden = false;
        setState('signup');
      },
    );
  }

  // Seamless login: the platform checks the signature (protocol §1.3).
  /** @param {object} login */
  function seamlessLogin(login) {
    setState('signing-in');
    notice(say('signingIn', 'Signing you in…'));
    return postJson('session', login).then(
      function (answer) {
        if (answer.status === 'signed_in') return showDashboard(answer);
        setState('signup');
        if (answer.status === 'prefill') {
          notice('');
          return prefill(answer);
        }
        notice(
          answer.status === 'invalid_signature'
            ? say('autoFailedSignature', 'We could not sign you in automatically (invalid signature). Please sign up below.')
            : say('autoFailed', 'We could not sign you in automatically. Please sign up below.'),
        );
      },
      function () {
        setState('signup');
        notice(say('autoFailed', 'We could not sign you in automatically. Please sign up below.'));
      },
    );
  }

  // bp_p: plain auto sign-up details (JSON, base64 JSON, or a query string).
  /** @param {unknown} value */
  function parsePlain(value) {
    var text = String(value || '');
    try {
      return JSON.parse(text);
    } catch (e) {
      // not JSON: base64 or a query string below
    }
    try {
      return JSON.parse(atob(text));
    } catch (e) {
      // not base64 JSON: a query string below
    }
    /** @type {Record<string, string>} */
    var out = {};
    new URLSearchParams(text).forEach(function (v, k) {
      out[k] = v;
    });
    return out;
  }

  var initialised = false;
  /** @param {{ login?: { email?: string, name?: string }, params?: { bp_p?: string } }} message */
  function onInit(message) {
    if (initialised) return;
    initialised = true;
    if (data.variant === 'friend') return;
    // login holds the embed's parameters as given: seamless login only when they name someone.
    var login = message.login;
    if (login && typeof login === 'object' && (login.email || login.name)) return seamlessLogin(login);
    var plain = message.params && message.params.bp_p ? parsePlain(message.params.bp_p) : null;
    if (plain && plain.email) {
      prefill(plain);
      if (String(plain.auto) === 'true') signUp({ name: plain.name, email: plain.email });
    }
  }

  var form = $('signup-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      signUp({ name: $('name').value, email: $('email').value, marketing_opt_in: $('marketing').checked ? 'true' : 'false' });
    });
    // An auto sign-up link (bp_e with auto=true): the server pre-filled the form.
    if (data.autoSignup === 'true') signUp({ name: $('name').value, email: $('email').value });
  }
  var copy = $('copy');
  if (copy) {
    copy.addEventListener('click', function () {
      var input = $('share-url');
      var done = function () {
        $('copied').hidden = false;
      };
      if (navigator.clipboard)
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select();
        });
      else input.select();
    });
  }

  window.addEventListener('message', function (event) {
    if (!embedded || event.origin !== parentOrigin || event.source !== window.parent) return;
    var message = event.data;
    if (!message || message.bp !== 1 || message.channel !== channel) return;
    if (message.type === 'init') onInit(message);
  });

  // The content height, once per animation frame and only when it changed.
  var lastHeight = 0;
  var frame = 0;
  function measure() {
    frame = 0;
    var height = Math.ceil(body.getBoundingClientRect().height);
    if (height > 0 && height !== lastHeight) {
      lastHeight = height;
      post({ type: 'resize', height: height });
    }
  }
  function schedule() {
    if (!frame) frame = requestAnimationFrame(measure);
  }

  post({ type: 'ready', campaign: data.campaign });
  if (window.ResizeObserver) new ResizeObserver(schedule).observe(body);
  schedule();
})();
