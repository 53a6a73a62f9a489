// The SDK's server helpers, from the build, as a merchant's server would import them.
// The specifier is a variable so that type-checking needs no build: the types are the source's.
const BUILT = '../../dist/server.js';

/** @type {typeof import('../../src/server')} */
let server;
try {
  server = await import(BUILT);
} catch (error) {
  throw new Error(`examples/platform needs the built SDK (dist/server.js): run \`npm run build\` first. (${/** @type {Error} */ (error).message})`);
}

export const { verify, encryptBpE, decryptBpE } = server;
