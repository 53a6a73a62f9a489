import { getJSON, setItem } from './storage';

// Orders already tracked, per market: what makes a second `track` for an order a no-op
// across reloads and pages of the same origin. Newest 200 kept.
const KEY = 'bp_ledger';

/** Records an order (`true`), or removes it (`false`) after the platform refused it. Returns whether it was new. @internal */
export function ledger(market: string, order: string, add: boolean): boolean {
  const id = market + ' ' + order;
  const orders = getJSON<string[]>(KEY, []);
  const known = orders.includes(id);
  setItem(KEY, JSON.stringify(orders.filter((o) => o != id).concat(add ? id : []).slice(-200)));
  return !known;
}
