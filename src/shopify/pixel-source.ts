// The built custom pixel (dist/shopify-pixel.js) as a string. A module of its own so tests can
// replace it (vi.mock) without a bundler plugin for `virtual:shopify-pixel`.
import source from 'virtual:shopify-pixel';

/** The minified pixel, built from src/shopify/pixel.ts by rollup before the ./shopify entry. @internal */
export const pixelSource: string = source;
