/**
 * buyapowa-sdk/shopify: generates the Shopify theme files and custom pixel.
 *
 * @packageDocumentation
 */
export {};
