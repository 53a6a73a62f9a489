// The thank-you page's delivery log: the SDK dispatches `buyapowa:delivered`, `buyapowa:queued`,
// `buyapowa:rejected` and `buyapowa:failed` on window as each conversion's outcome is known (also
// for conversions a later page delivers). Loaded before the tracking tag, so no event is missed.
// Values are written with textContent only: the reason comes from the platform's answer.
(function () {
  var STATUSES = ['delivered', 'queued', 'rejected', 'failed'];
  /** @type {Record<string, string>} */
  var WORDS = {
    delivered: 'Delivered: the platform recorded the conversion',
    queued: 'Queued: the platform could not be reached; the SDK retries, also from the next page',
    rejected: 'Rejected: the platform refused the conversion',
    failed: 'Failed: given up after the last retry',
    already_tracked: 'Already tracked: this order was sent before, so nothing was sent again',
  };

  /** @param {{ status: string, order: string, reason?: string } | undefined} result */
  function show(result) {
    var list = document.getElementById('delivery-log');
    if (!list || !result) return;
    var waiting = document.getElementById('delivery-waiting');
    if (waiting) waiting.remove();
    var item = document.createElement('li');
    item.className = 'delivery status-' + result.status;
    var time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    var what = document.createElement('strong');
    what.textContent = WORDS[result.status] || result.status;
    item.append(time, ' ', what);
    var detail = ['order ' + result.order].concat(result.reason ? ['answer: ' + result.reason] : []).join(', ');
    var small = document.createElement('span');
    small.className = 'muted';
    small.textContent = ' (' + detail + ')';
    item.append(small);
    list.append(item);
  }

  STATUSES.forEach(function (status) {
    addEventListener('buyapowa:' + status, function (event) {
      show(/** @type {CustomEvent} */ (event).detail);
    });
  });
  // A repeated order dispatches no event: the tracking tag's promise says so.
  // The tracking tag's `var tracked` (its promise) is window.tracked.
  var page = /** @type {Window & { tracked?: Promise<{ status: string, order: string, reason?: string } | undefined> }} */ (window);
  document.addEventListener('DOMContentLoaded', function () {
    if (page.tracked && page.tracked.then)
      page.tracked.then(function (result) {
        if (result && result.status === 'already_tracked') show(result);
      });
  });
})();
