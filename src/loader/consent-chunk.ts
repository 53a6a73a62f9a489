// The consent chunk (dist/chunks/consent.<hash>.js): the consent platform adapters and what
// follows them (src/browser/consent-platforms/), loaded by the script tag's hook
// (consent-platforms/hook.ts) only when `data-consent`, a `consent` option or `setConsent` names
// "tcf", "google" or "shopify". See docs/consent.md.
import { takeOver } from '../browser/consent-platforms/follow';
import { google } from '../browser/consent-platforms/google';
import { shopify } from '../browser/consent-platforms/shopify';
import { tcf } from '../browser/consent-platforms/tcf';
import { registerChunk } from './registry';

registerChunk('consent', { takeOver, tcf, google, shopify });
