// @vitest-environment node
// dist/api.worker.js, the ./api build for fetch-only runtimes (needs `npm run build`):
// no node: imports, no global Buffer, and the same calls work with report streaming falling back.
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromGuideCsv } from '../../src/api';
import { MARKET, ORDER, TOKEN, csv, json, scriptedFetch } from './fake-fetch';

const WORKER = new URL('../../dist/api.worker.js', import.meta.url);

describe('dist/api.worker.js', () => {
  it('imports nothing from node: and needs no global Buffer', () => {
    const code = readFileSync(WORKER, 'utf8');
    expect(code).not.toMatch(/from\s*['"]node:|import\(\s*['"]node:|require\(/);
    expect(code).not.toMatch(/\bimport\s*\(\s*['"]csv-parse\/stream['"]\s*\)/);
  });

  it('tracks a batch and streams a report in a realm without Buffer or process', async () => {
    // A fresh V8 context holds only the web globals a fetch-only runtime has (as in workerd without
    // nodejs_compat); the bundle's ESM export line becomes an assignment so vm.Script can run it.
    const code = readFileSync(WORKER, 'utf8').replace(/export \{([^}]*)\};/, 'globalThis.__api = { $1 };');
    const web = {
      URL,
      URLSearchParams,
      Response,
      Request,
      Headers,
      FormData,
      Blob,
      TextEncoder,
      TextDecoder,
      AbortController,
      setTimeout,
      clearTimeout,
      ReadableStream,
      TransformStream,
      console,
    };
    const realm = vm.createContext({ ...web });
    expect(vm.runInContext('typeof Buffer + "/" + typeof process + "/" + typeof require', realm)).toBe('undefined/undefined/undefined');
    // (The bundle declares its own Buffer polyfill, from the CSV libraries' browser builds.)
    vm.runInContext(code, realm);
    const { BuyapowaApi } = realm.__api;
    const fetch = scriptedFetch([json(201, {}), csv(200, 'Email,Name\na@b.co,"Zoë, ""Z"""\n')]);
    const api = new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch });
    const result = await api.referrals.trackBatch([ORDER]);
    expect(result.chunks[0].created).toBe(true);
    expect(await (fetch.calls[0].form!.get('csv') as Blob).text()).toContain('"Jane, Smith"');
    const rows = [];
    for await (const row of api.reports.stream('signups', 'refer-a-friend')) rows.push({ ...row });
    expect(rows).toEqual([{ Email: 'a@b.co', Name: 'Zoë, "Z"' }]);
  });
});

describe('fromGuideCsv', () => {
  it('maps the guide headings to the JSON keys, ClientData_ columns into client_data', () => {
    expect(fromGuideCsv('track', { OrderNumber: 'O1', EmailAddress: 'a@b.co', ClientData_membership_number: '662', VoucherCode: '' })).toEqual({
      order_number: 'O1',
      email_address: 'a@b.co',
      client_data: { membership_number: '662' },
    });
    expect(fromGuideCsv('signups', { Email: 'a@b.co', CustomField: '0712' })).toEqual({ email: 'a@b.co', custom_field_value: '0712' });
    expect(fromGuideCsv('friends', { Shoe: '9' })).toEqual({ Shoe: '9' });
  });
});
