// A TCF CMP for the consent-platform browser tests: the IAB Tech Lab's own CMP API
// (@iabtechlabtcf/cmpapi) answering with real TC strings encoded by @iabtechlabtcf/core.
// test/chromium/consent-platforms.test.ts bundles it with esbuild into the test page.
import { CmpApi } from '@iabtechlabtcf/cmpapi';
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';

/** The vendor id the tests give Buyapowa. */
const VENDOR = 42;
const purpose = (id: number, name: string) => ({ id, name, description: name, illustrations: [] });

// A one-vendor Global Vendor List, given as an object: no network.
const gvl = new GVL({
  gvlSpecificationVersion: 3,
  vendorListVersion: 1,
  tcfPolicyVersion: 5,
  lastUpdated: '2026-01-01T00:00:00Z',
  purposes: { 1: purpose(1, 'Store and/or access information on a device') },
  specialPurposes: {},
  features: {},
  specialFeatures: {},
  stacks: {},
  dataCategories: {},
  vendors: {
    [VENDOR]: {
      id: VENDOR,
      name: 'Buyapowa (test)',
      purposes: [1],
      legIntPurposes: [],
      flexiblePurposes: [],
      specialPurposes: [],
      features: [],
      specialFeatures: [],
      cookieMaxAgeSeconds: 2592000,
      usesCookies: true,
      cookieRefresh: false,
      usesNonCookieAccess: false,
      deviceStorageDisclosureUrl: 'https://bp.shop.test/storage.json',
      urls: [{ langId: 'en', privacy: 'https://bp.shop.test/privacy' }],
    },
  },
} as never);

const cmp = new CmpApi(10, 1, true);

/** A service-specific TC string with the given consents. */
function tcString(consents: { publisher?: boolean; vendor?: boolean; purpose?: boolean }): string {
  const model = new TCModel(gvl);
  model.cmpId = 10;
  model.cmpVersion = 1;
  model.isServiceSpecific = true;
  if (consents.publisher) model.publisherConsents.set(1);
  if (consents.purpose) model.purposeConsents.set(1);
  if (consents.vendor) model.vendorConsents.set(VENDOR);
  return TCString.encode(model);
}

(window as unknown as { testCmp: unknown }).testCmp = {
  /** The banner is shown to a new visitor. */
  showBanner: () => cmp.update('', true),
  /** The visitor made a choice (or one was loaded from the CMP's cookie). */
  decide: (consents: { publisher?: boolean; vendor?: boolean; purpose?: boolean }, shown = false) => cmp.update(tcString(consents), shown),
  /** GDPR does not apply to this visitor. */
  gdprDoesNotApply: () => cmp.update(null),
};
