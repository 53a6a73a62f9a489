import { getJSON, setItem } from './storage';

// Orders already tracked, per market: what makes a second `track` for an order a no-op,
// across reloads and pages of the same origin.
const KEY = 'bp_ledger';
const LIMIT = 200;
const key = (market: string, order: string) => market + ' ' + order;
const load = () => getJSON<Record<string, number>>(KEY, {});

/** Records an order; false when it was already recorded. @internal */
export function remember(market: string, order: string): boolean {
  const ledger = load();
  if (ledger[key(market, order)]) return false;
  ledger[key(market, order)] = Date.now();
  const keys = Object.keys(ledger);
  // Oldest first: drop what exceeds the limit.
  keys.sort((a, b) => ledger[a] - ledger[b]).slice(0, Math.max(0, keys.length - LIMIT)).forEach((k) => delete ledger[k]);
  setItem(KEY, JSON.stringify(ledger));
  return true;
}

/** Forgets an order the platform refused, so a corrected `track` can send it. @internal */
export function forget(market: string, order: string): void {
  const ledger = load();
  delete ledger[key(market, order)];
  setItem(KEY, JSON.stringify(ledger));
}
