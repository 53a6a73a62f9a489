// @vitest-environment node
// src/core/protocol.ts: the conversion event and the body of each attempt (docs/protocol.md, section 2).
import { describe, expect, it } from 'vitest';
import { conversionEvent, eventBody } from '../../src/core/protocol';
import { VERSION } from '../../src/core/version';

describe('protocol', () => {
  it('builds a version 1 conversion event, with the referral tokens and capture time', () => {
    const event = conversionEvent('id1', 'demo', { order_number: 'A' }, { v: 1, t: { bp_e: 'tok' }, at: 5, exp: 9 }, 'https://www.shop.com/thanks');
    expect(event).toEqual({
      v: 1,
      type: 'conversion',
      event_id: 'id1',
      market: 'demo',
      created_at: expect.any(Number),
      sdk: 'js/' + VERSION,
      page: 'https://www.shop.com/thanks',
      conversion: { order_number: 'A' },
      referral: { tokens: { bp_e: 'tok' }, captured_at: 5 },
    });
    expect(JSON.parse(JSON.stringify(conversionEvent('id1', 'demo', {}, null, 'p')))).not.toHaveProperty('referral');
  });

  it('adds attempt, transport and sent_at per attempt, leaving the event as it was', () => {
    const event = conversionEvent('id1', 'demo', { order_number: 'A' }, null, 'p');
    const body = JSON.parse(eventBody(event, 3, 'beacon'));
    expect(body).toMatchObject({ event_id: 'id1', attempt: 3, transport: 'beacon', sent_at: expect.any(Number) });
    expect(event).not.toHaveProperty('attempt');
  });
});
