// The SDK's server helpers, from the build, as a merchant's server would import them.
/** @type {typeof import('../../dist/server.js')} */
let server;
try {
  server = await import('../../dist/server.js');
} catch (error) {
  throw new Error(`examples/platform needs the built SDK (dist/server.js): run \`npm run build\` first. (${error instanceof Error ? error.message : error})`);
}

export const { verify, encryptBpE, decryptBpE } = server;
