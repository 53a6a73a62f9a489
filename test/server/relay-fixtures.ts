// Shared by the relay, webhook and workerd tests: the guide's credentials, a referral bp_e, and a
// fake Referral tracking API as an injectable fetch that records what it receives.
import { encryptBpE, signFields } from '../../src/server';

/** The guide's example auth token and secret. */
export const AUTH_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';
export const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';
export const MARKET = 'demo';
export const UPSTREAM = 'https://api.test';

/** The referral metadata of a share-link landing (the guide's "Referral Metadata"). */
export const METADATA = { referral_count: 0, email: 'john@doe.com', first_name: 'John', last_name: 'Doe', voucher_code: 'FRIENDCODE1' };
export const BP_E = encryptBpE(METADATA, AUTH_TOKEN);

/** One scripted upstream answer: a status, a JSON body and headers, or 'network' for a failure. */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network';

export interface FakeUpstream {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  calls: { url: string; method: string; headers: Record<string, string>; body: unknown }[];
  /** Answers for the next calls, in order; afterwards 201 `{ status: 'created' }`. */
  answers: Answer[];
}

export function fakeUpstream(answers: Answer[] = []): FakeUpstream {
  const upstream: FakeUpstream = {
    calls: [],
    answers,
    fetch: async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => (headers[key] = value));
      upstream.calls.push({ url: String(input), method: init.method || 'GET', headers, body: init.body ? JSON.parse(String(init.body)) : undefined });
      const answer = upstream.answers.shift() ?? { status: 201, body: { status: 'created' } };
      if (answer === 'network') throw new TypeError('fetch failed');
      return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers } });
    },
  };
  return upstream;
}

/** A signed conversion as the SDK sends it (docs/protocol.md §2.1). */
export function conversionEvent(overrides: { conversion?: Record<string, unknown>; referral?: unknown; market?: string; sign?: boolean } = {}) {
  const fields = {
    customer_name: 'Jane, Smith',
    customer_email: 'jane@smith.com',
    marketing_opt_in: 'true',
    order_number: 'ORDER123',
    order_value: '12.89',
    reward_category: '25OFF',
    locale: 'en',
    ...overrides.conversion,
  };
  const conversion = overrides.sign === false ? fields : signFields(fields, ['order_number', 'customer_email'], SECRET);
  return {
    v: 1,
    type: 'conversion',
    event_id: '0b6c8a1e-7c2f-4a43-9d5e-3f1a2b9c4d5e',
    market: overrides.market ?? MARKET,
    created_at: 1795410000000,
    sent_at: 1795410000042,
    attempt: 1,
    transport: 'fetch',
    sdk: 'js/0.1.0',
    page: 'https://www.shop.test/thanks',
    conversion,
    referral: overrides.referral === undefined ? { tokens: { bp_e: BP_E }, captured_at: 1795400000000 } : overrides.referral,
  };
}

/** The guide's single-upload JSON the relay should send for {@link conversionEvent}. */
export const EXPECTED_ORDER = {
  referrer_email: 'john@doe.com',
  voucher_code: 'FRIENDCODE1',
  full_name: 'Jane, Smith',
  email_address: 'jane@smith.com',
  marketing_opt_in: 'true',
  order_value: '12.89',
  order_number: 'ORDER123',
  order_timestamp: '1795410000',
  reward_category: '25OFF',
  locale: 'en',
};

/** A POST with a text/plain JSON body, as sendBeacon and the SDK's fetch send it. */
export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
  });
