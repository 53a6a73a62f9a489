// The built custom pixel (dist/shopify-pixel.js) as a string; resolved by a rollup plugin in
// rollup.config.mjs. Tests mock src/shopify/pixel-source.ts instead.
declare module 'virtual:shopify-pixel' {
  const source: string;
  export default source;
}
