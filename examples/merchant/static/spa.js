// A single-page app without a framework: history routing, and the ESM build imported through
// the page's import map. The "Refer a friend" route embeds the campaign on enter and destroys
// the embed on leave; every route change captures referral parameters.
import { captureReferral, embedReferAFriend } from 'buyapowa-sdk';

// The SPA shell (merchant.js) always sets these three.
const { platform, market, campaign } = /** @type {{ platform: string, market: string, campaign: string }} */ (document.body.dataset);
const config = { url: platform, market };
const view = /** @type {HTMLElement} */ (document.getElementById('view'));
let leave = () => {};

/** @param {string} tag @param {object} props @param {...(Node | string)} children @returns {HTMLElement} */
function h(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

/** @type {Record<string, () => (() => void) | void>} */
const routes = {
  '/spa': () => {
    view.replaceChildren(
      h('h1', {}, 'SPA Shop'),
      h('p', {}, 'A single-page app. Open "Refer a friend", leave it, come back: there is only ever one campaign iframe.'),
    );
  },
  '/spa/about': () => {
    view.replaceChildren(h('h1', {}, 'About'), h('p', {}, 'Nothing to see here; the referral embed was destroyed when you left its route.'));
  },
  '/spa/refer-a-friend': () => {
    view.replaceChildren(h('h1', {}, 'Refer a friend'), h('div', { id: 'bp_error', hidden: true }, 'Sorry, something went wrong'), h('div', { id: 'bp_div' }));
    const embed = embedReferAFriend({ ...config, container: 'bp_div', errorContainer: 'bp_error' }, { campaign, locale: 'en' });
    embed.ready.catch(() => {}); // the error container says it; nothing else to do
    return () => embed.destroy();
  },
};

function render() {
  leave();
  leave = () => {};
  captureReferral(config);
  const path = location.pathname.replace(/\/+$/, '');
  const route = routes[path] || routes['/spa'];
  leave = route() || (() => {});
  document.body.dataset.route = path;
}

document.addEventListener('click', (event) => {
  const target = /** @type {Element} */ (event.target);
  const link = /** @type {HTMLAnchorElement | null} */ (target.closest && target.closest('a[data-route]'));
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  if (link.pathname + link.search !== location.pathname + location.search) history.pushState(null, '', link.href);
  render();
});
addEventListener('popstate', render);
render();
