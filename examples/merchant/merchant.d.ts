// Types of the example merchant's module API (merchant.js), for the TypeScript browser tests.
import type { IncomingMessage } from 'node:http';

export interface MerchantOptions {
  port?: number;
  host?: string;
  /** The market domain as the browser sees it, e.g. http://bp.shop.test:8787. */
  platformUrl: string;
  market?: string;
  campaign?: string;
  locale?: string;
  markets?: Record<string, { secret: string; authToken: string; campaigns: Record<string, { friendOffer?: string }> }>;
}

export interface Merchant {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Adds or replaces a page (HTML, or a function of the request returning HTML). */
  addPage(path: string, page: string | ((req: IncomingMessage, url: URL) => string | Promise<string>)): void;
  /** Orders made by POST /checkout, by order number. */
  orders: Map<string, { first: string; last: string; email: string; voucher: string; value: string }>;
}

export const CUSTOMERS: Record<'john' | 'jane' | 'zoe', { first: string; last: string; email: string }>;
export function esc(value: unknown): string;
export function jsString(value: unknown): string;
export function createMerchant(options: MerchantOptions): Promise<Merchant>;
