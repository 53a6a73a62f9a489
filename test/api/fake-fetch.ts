// An injected fetch that records each request and answers from a script, for unit tests.
import type { FetchLike } from '../../src/api/http';
import type { TrackingOrder } from '../../src/api/referrals';

export interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever JSON was sent
  json?: any;
  form?: FormData;
}

export type Answer = Response | Error | ((request: Recorded) => Response | Error | Promise<Response | Error>);

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const csv = (status: number, text: string) => new Response(text, { status, headers: { 'content-type': 'text/csv' } });

/** A fetch that answers from `answers` in order (the last one repeats). */
export function scriptedFetch(answers: Answer[]): FetchLike & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const request: Recorded = { url, method: init.method ?? 'GET', headers };
    if (typeof init.body === 'string') request.json = JSON.parse(init.body);
    if (init.body instanceof FormData) request.form = init.body;
    calls.push(request);
    const next = answers[Math.min(calls.length - 1, answers.length - 1)];
    const answer = typeof next === 'function' ? await next(request) : next;
    if (answer instanceof Error) throw answer;
    return answer.clone();
  }) as FetchLike & { calls: Recorded[] };
  fetch.calls = calls;
  return fetch;
}

export const MARKET = 'demo';
export const TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';
export const ORDER: TrackingOrder = {
  referrer_email: 'john@doe.com',
  voucher_code: 'BPCRAW1234',
  full_name: 'Jane, Smith',
  email_address: 'jane@smith.com',
  marketing_opt_in: 'true' as const,
  order_value: '12.89',
  order_number: 'ORDER12345678',
  order_timestamp: '1321009871',
  reward_category: '25OFF',
  client_data: { membership_number: '662-56-3593' },
  locale: 'en',
};
