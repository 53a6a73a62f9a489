// Types of the dev platform's module API (platform.js), for the TypeScript browser tests.

export interface PlatformOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Where share links land: the merchant's landing page. */
  merchantUrl?: string;
  /** Markets by id; default: markets.json. */
  markets?: Record<string, MarketConfig>;
  /** Log a line per request to stdout. */
  verbose?: boolean;
}

export interface MarketConfig {
  name: string;
  secret: string;
  authToken: string;
  requireSignature?: boolean;
  locale?: string;
  merchantUrl?: string;
  campaigns: Record<string, CampaignConfig>;
}

/** A campaign's words. `friendOffer` speaks to the friend ("£10 off your first order"), `friendGets` about them ("£10 off their first order"). */
export interface CampaignWords {
  title: string;
  description: string;
  friendOffer: string;
  friendGets?: string;
}

/** A campaign: its words (the market's locale), and the same words in other locales (`fr`, `de`). */
export interface CampaignConfig extends CampaignWords {
  /** The page's script instead of /static/campaign.js (a test campaign's behaviour). */
  script?: string;
  locales?: Record<string, Partial<CampaignWords>>;
}

export interface Referrer {
  code: string;
  market: string;
  name: string;
  first_name: string;
  last_name: string;
  email: string;
  referral_count: number;
  vouchers: string[];
  share_path: string;
  created_at: number;
}

export interface Attribution {
  referrer: { code: string | null; name: string; email: string; referral_count?: number } | null;
  via: 'landing' | 'voucher_code' | null;
  voucher_code?: string | null;
  note?: string;
}

export interface ConversionRecord {
  id: string;
  market: string;
  event_id: string | null;
  fields: Record<string, unknown>;
  signature: 'valid' | 'invalid' | 'absent';
  warnings: string[];
  attribution: Attribution;
  transport: 'fetch' | 'beacon' | 'shopify-pixel' | 'pixel' | string;
  attempt: number;
  sdk?: string;
  page?: string;
  origin: string | null;
  cookies: string[];
  referral: { tokens: Record<string, string>; captured_at: number } | null;
  created_at?: number;
  sent_at?: number;
  received_at: number;
}

export interface PlatformState {
  version: number;
  merchant_url: string | null;
  control: { down: boolean; pending: number };
  conversions: ConversionRecord[];
  duplicates: Array<{
    received_at: number;
    market: string;
    order_number: string;
    event_id: string | null;
    reason: 'event_id' | 'order_number';
    transport: string;
    attempt?: number;
    conversion_id: string;
    fields: Record<string, unknown>;
  }>;
  rejected: Array<{
    received_at: number;
    path: string;
    status: number;
    reason: string;
    errors?: string[];
    market?: string;
    fields?: Record<string, unknown>;
    signature?: 'invalid' | 'absent';
    event_id?: string | null;
  }>;
  clicks: Array<{
    received_at: number;
    market: string;
    event_id: string;
    tokens: Record<string, string>;
    captured_at: number;
    page: string;
    referrer: Attribution['referrer'];
    voucher_code: string | null;
    note: string | null;
    origin: string | null;
    cookies: string[];
  }>;
  visits: Array<{
    at: number;
    code: string;
    market?: string;
    referrer: { code: string; name: string; email: string } | null;
    voucher_code: string | null;
    location: string | null;
  }>;
  referrers: Referrer[];
  logins: Array<{ at: number; market: string; campaign: string; kind: 'session' | 'signup'; email: string; status: string; reason?: string }>;
  /** Every POST /track (and pixel) as it arrived, with what happened to it: one per event of a batch. */
  deliveries: Array<{
    at: number;
    event_id: string | null;
    attempt: number | null;
    transport: string | null;
    /** The number of events of the batch this one came in (protocol §2.4); absent for a single event. */
    batch?: number;
    outcome: string;
  }>;
}

/** A scripted answer for POST /track: a status, a status with Retry-After (seconds), or a dropped connection. */
export type ScriptedAnswer = number | 'drop' | { status: number; retryAfter?: number | string; body?: unknown };

export interface Platform {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
  state(market?: string): PlatformState;
  reset(): void;
  setMerchantUrl(url: string, market?: string): void;
  createReferrer(referrer: { market?: string; name: string; email: string }): { code: string; share_path: string };
}

export function createPlatform(options?: PlatformOptions): Promise<Platform>;
