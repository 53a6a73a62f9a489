// The track chunk (dist/chunks/track.<hash>.js): the conversion checks and the outbox, loaded by
// the script tag on first use. It takes the calls written down by src/loader/pending.ts (this
// page's, with their promises, and those an earlier page could not hand over), checks each, and
// moves it into the outbox, whose ledger keeps each order to one conversion however often a call
// is handed over; then it sends what is due.
import { checkConversion, type Conversion } from '../core/conversion';
import { BuyapowaError } from '../core/errors';
import { conversionEvent } from '../core/protocol';
import { isRecord, parseStoredList } from '../core/stored-state';
import { log } from '../browser/log';
import { deliver, flushConversionsNow } from '../browser/outbox';
import { removeItem, setItem } from '../browser/storage';
import { CALLS_KEY, live, readCalls, removeCall, type LiveCall, type PendingCall } from './pending';
import { registerChunk } from './registry';
import { reportConversion } from './report';

/** A stored call this chunk can send; anything else is dropped. */
const isCall = (value: unknown): value is PendingCall =>
  isRecord(value) &&
  typeof value.id === 'string' &&
  typeof value.at === 'number' &&
  typeof value.page === 'string' &&
  typeof value.market === 'string' &&
  typeof value.url === 'string' &&
  (value.referral === null || isRecord(value.referral));

/** Calls being handed over by this page, so a second run does not take them twice. */
const taken = new Set<string>();

/** Checks one call and hands it to the outbox; settles this page's promise, or logs for an earlier page's call. */
function hand(call: PendingCall, caller?: LiveCall): void {
  taken.add(call.id);
  const { fields, errors, warnings } = checkConversion(call.conversion as Conversion);
  // Logged here, worded in full by the explain chunk (this chunk's own texts are short).
  reportConversion(call.conversion, { errors, warnings });
  if (errors[0]) {
    removeCall(call.id);
    // This page's caller gets the rejection, as with the npm `track` (already logged above).
    if (caller)
      caller.reject(
        new BuyapowaError(
          'invalid_conversion',
          errors.map((p) => 'track: ' + p + '. Nothing was sent.'),
        ),
      );
    return;
  }
  const event = { ...conversionEvent(call.id, call.market, fields, call.referral, call.page), created_at: call.at };
  log('debug', 'track: conversion', event);
  deliver({ event, url: call.url, due: 0 }).then((result) => {
    removeCall(call.id);
    if (caller) caller.resolve(result);
  });
}

/**
 * Hands over every waiting call (earlier pages' first, then this page's, in order), then sends what
 * is due; conversions of `market` kept for a missing endpoint go to `endpoint`.
 */
function run(market?: string, endpoint?: string): void {
  const { items, discarded } = parseStoredList(readCalls(), isCall);
  // Something else wrote there: what is not a call goes, or every page would load this chunk.
  if (discarded) {
    log('debug', `discarded what ${CALLS_KEY} held that is not a list of track calls`);
    if (items.length) setItem(CALLS_KEY, JSON.stringify(items));
    else removeItem(CALLS_KEY);
  }
  for (const call of items) if (!taken.has(call.id) && !live.has(call.id)) hand(call);
  for (const caller of live.values()) if (!taken.has(caller.call.id)) hand(caller.call, caller);
  flushConversionsNow(market, endpoint);
}

registerChunk('track', { run });
