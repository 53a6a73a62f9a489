// Size budgets (gzip -9 of minified output), ceilings that only move down.
// The npm rows are built like a merchant's production bundle: esbuild with
// `process.env.NODE_ENV` defined as "production", so development-only messages are left out.
// The script-tag rows are measured as shipped (the loader, each chunk, and what each kind of page
// downloads); `npm run bench` measures the same pages in Chromium.
const production = (config) => ({ ...config, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });
const asShipped = { gzip: true, disablePlugins: ['@size-limit/esbuild'] };

module.exports = [
  // The brief's bar for track is 5,120 B; this is where it stands (it was 7.05 kB).
  { name: 'import { track }', path: 'dist/index.js', import: '{ track }', gzip: true, limit: '6510 B', modifyEsbuildConfig: production },
  {
    name: 'import { embedReferAFriend }',
    path: 'dist/index.js',
    import: '{ embedReferAFriend }',
    gzip: true,
    limit: '3584 B',
    modifyEsbuildConfig: production,
  },
  { name: 'import { captureReferral }', path: 'dist/index.js', import: '{ captureReferral }', gzip: true, limit: '3072 B', modifyEsbuildConfig: production },
  // The embed's page-params moved into the embed chunk, and the embed-explain chunk is pinned by the embed chunk, not by the loader's table.
  { name: 'script tag loader (dist/embedding.min.js): all a landing page fetches', path: 'dist/embedding.min.js', limit: '5350 B', ...asShipped },
  { name: 'script tag track chunk (dist/chunks/track.*.js)', path: 'dist/chunks/track.*.js', limit: '5210 B', ...asShipped },
  // Short messages: its lines are worded in full by the embed-explain chunk, loaded only when an embed has something to say (was 3,423 B).
  { name: 'script tag embed chunk (dist/chunks/embed.*.js)', path: 'dist/chunks/embed.*.js', limit: '3040 B', ...asShipped },
  // Fetched only on a page where the loader refused a config or an option: not counted on the pages below.
  { name: 'script tag explain chunk (dist/chunks/explain.*.js)', path: 'dist/chunks/explain.*.js', limit: '3210 B', ...asShipped },
  { name: 'thank-you page: loader + track chunk', path: ['dist/embedding.min.js', 'dist/chunks/track.*.js'], limit: '10560 B', ...asShipped },
  { name: 'refer-a-friend page: loader + embed chunk', path: ['dist/embedding.min.js', 'dist/chunks/embed.*.js'], limit: '8390 B', ...asShipped },
  // Fetched only when an embed on the page was refused, failed, got no handshake or has advice: not counted on the pages above.
  {
    name: 'script tag embed-explain chunk (dist/chunks/embed-explain.*.js): only when an embed has something to say',
    path: 'dist/chunks/embed-explain.*.js',
    limit: '2520 B',
    ...asShipped,
  },
  {
    name: 'script tag consent chunk (dist/chunks/consent.*.js): only when a platform is named',
    path: 'dist/chunks/consent.*.js',
    limit: '2250 B',
    ...asShipped,
  },
  { name: 'Shopify custom pixel', path: 'dist/shopify-pixel.js', limit: '4890 B', ...asShipped },
  {
    name: 'import { embedReferAFriend, captureReferral, track, setConsent } (what buyapowa-sdk/react wraps)',
    path: 'dist/index.js',
    import: '{ embedReferAFriend, captureReferral, track, setConsent }',
    gzip: true,
    limit: '9510 B',
    modifyEsbuildConfig: production,
  },
  {
    name: "import { ReferAFriend, BuyapowaProvider, useReferralCapture, useTrack } from 'buyapowa-sdk/react' (at most 1,024 B over the row above)",
    path: 'dist/react.js',
    import: '{ ReferAFriend, BuyapowaProvider, useReferralCapture, useTrack }',
    ignore: ['react'],
    gzip: true,
    limit: '10060 B',
    modifyEsbuildConfig: production,
  },
  {
    name: "import 'buyapowa-sdk/element' (at most 1,024 B over embedReferAFriend)",
    path: 'dist/element.js',
    gzip: true,
    limit: '4170 B',
    modifyEsbuildConfig: production,
  },
  { name: 'dist/element.min.js (script tag, beside the loader)', path: 'dist/element.min.js', limit: '5280 B', ...asShipped },
];
