// Debian's Chromium through playwright-core, as the browser tests and the bench launch it.
// Plain JS so `node bench/run.js` needs no compiler.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless, no background traffic (this machine's network is closed), test host names on loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.shop.test 127.0.0.1, MAP *.co.uk 127.0.0.1, MAP *.platform.test 127.0.0.1',
];

/** Launches Chromium with CHROMIUM_ARGS plus `extraArgs`. */
export const launchChromium = (extraArgs = []) => chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
