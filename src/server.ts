/**
 * buyapowa-sdk/server: signing and `bp_e` for your server (Node 20+ and edge runtimes).
 * Never bundle this entry for the browser: it handles your secret and auth token.
 *
 * @packageDocumentation
 */
export {};
