// Shopify custom pixel (built to dist/shopify-pixel.js). Filled in by the Shopify issue.
export {};
