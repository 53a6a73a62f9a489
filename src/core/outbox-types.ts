// The outbox core's contract (src/core/outbox-core.ts): the store it works over, what it keeps,
// what it needs from its host (the browser page or the Shopify pixel) and what it offers.
import type { ConversionEvent } from './protocol';

/** The async key-value store the core keeps its state in. Implementations never throw. @internal */
export interface KeyValueStore {
  get(key: string): Promise<string | null | undefined>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A conversion waiting for the platform's confirmation, as stored. @internal */
export interface OutboxEntry {
  /** The request body; its `attempt` counts the attempts made, on every page. */
  event: ConversionEvent;
  /** The track endpoint. */
  url: string;
  /** Earliest time of the next attempt (epoch ms). */
  due: number;
  /** The platform asked to wait (Retry-After): no beacon before `due`. */
  wait?: boolean;
  /** Left once by sendBeacon: the next fetch confirms it, no page hide beacons it again. */
  beaconed?: boolean;
  /**
   * `url` answered 404 or 405: there is no endpoint there (a configuration error). Kept, waiting
   * (`wait`) a minute; a page whose endpoint for its market is another one sends it there at once.
   */
  dead?: boolean;
}

/** How an attempt or an entry ended. `queued`: it will be retried. @internal */
export type OutboxStatus = 'delivered' | 'rejected' | 'queued' | 'failed';

/** What the core needs from its host. @internal */
export interface OutboxOptions {
  store: KeyValueStore;
  /** Key of the pending conversions (a versioned name, e.g. `bp_outbox:v2`). */
  outboxKey: string;
  /** Key of the ledger of orders already tracked. */
  ledgerKey: string;
  /** `transport` of a fetch attempt. */
  transport: 'fetch' | 'shopify-pixel';
  /** Sends per entry on one page, after which it waits for the next page. Default: no limit. */
  sendsPerPage?: number;
  /** Whether sending is allowed now (the pixel: marketing consent). Default: always. */
  maySend?(): boolean;
  /** An entry's outcome: `queued` after each failed attempt that will be retried (with the delay). */
  report(entry: OutboxEntry, status: OutboxStatus, reason: string, retryInMs?: number): void;
  /** One debug line. */
  debug(message: string): void;
  /** `url` answered 404 or 405 (`reason`), for each conversion sent there; they are kept. */
  configError?(url: string, reason: string): void;
  /** This page's track endpoint for `market`, if it has one: the market's `dead` entries go there. */
  endpointFor?(market: string): string | undefined;
}

/** The outbox over one store. @internal */
export interface Outbox {
  /**
   * Records an order in the ledger under `ledgerKeys` and writes its conversion to the outbox,
   * before any send; then starts a pass. Resolves false (nothing written) when one of the keys
   * is already in the ledger.
   */
  add(ledgerKeys: string[], entry: OutboxEntry): Promise<boolean>;
  /** Sends what is due, for one market or all. */
  flush(market?: string): Promise<void>;
  /** Makes every entry due now (the browser is back online), then flushes. */
  retryNow(): Promise<void>;
  /**
   * Runs `change` as one task of the serial queue, over the stored entries (entries in flight on
   * this page left out); writes them back when it returns true. Never rejects. For passes kept
   * outside the core, such as the browser's beacon pass.
   */
  update(change: (entries: OutboxEntry[], takesBatches: (url: string) => boolean) => boolean): Promise<void>;
}
