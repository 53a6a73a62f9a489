// @vitest-environment node
// The buyapowa CLI against the dev platform over HTTP (needs `npm run build` for dist/api.js).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPlatform } from '../../examples/platform/platform.js';
import markets from '../../examples/platform/markets.json';
// @ts-expect-error: plain JS without types
import * as cli from '../../bin/buyapowa.js';

/** A stored conversion's fields, as the platform keeps them (strings, and client_data). */
const fieldsOf = (c: { fields: Record<string, unknown> }) => c.fields as Record<string, string> & { client_data: Record<string, string> };

// The cases run the CLI in-process (its exported `run`, the one the bin calls); one case spawns
// the bin as a merchant runs it. A generous limit for a busy machine, not a timing assertion.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const BIN = fileURLToPath(new URL('../../bin/buyapowa.js', import.meta.url));
const TOKEN = markets.demo.authToken;
const CREDENTIALS = { BUYAPOWA_MARKET: 'demo', BUYAPOWA_AUTH_TOKEN: TOKEN };
let platform: Awaited<ReturnType<typeof createPlatform>>;
const dir = mkdtempSync(join(tmpdir(), 'buyapowa-cli-'));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with `args` and only `env` as its environment. */
async function run(args: string[], env: Record<string, string | undefined> = CREDENTIALS): Promise<Outcome> {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => ((out.stdout += text), true) },
    stderr: { write: (text: string) => ((out.stderr += text), true) },
    env,
  };
  const code = await cli.run([...args, '--base-url', platform.url], io);
  return { code, ...out };
}

/** Runs bin/buyapowa.js in its own Node process, as a merchant does. */
function spawnBin(args: string[], env: Record<string, string | undefined> = CREDENTIALS) {
  return new Promise<Outcome>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--base-url', platform.url], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  platform = await createPlatform({ port: 0 });
});
afterAll(() => platform.close());
/** POST /__control/api: scripts the platform's API answers. */
const controlApi = async (body: object) =>
  expect((await fetch(platform.url + '/__control/api', { method: 'POST', body: JSON.stringify(body) })).status).toBe(200);

beforeEach(async () => {
  platform.reset();
  // John signs up first. The download answers 200 at once here: the 202 poll (a 1 s wait) is
  // the signups case's to go through, not every case's setup.
  await controlApi({ signupPolls: 0 });
  const signup = await run(['signups', 'refer-a-friend', file('referrers.csv', 'Email,FirstName,LastName\njohn@doe.com,John,Doe\n')]);
  expect(signup.code).toBe(0);
  await controlApi({ signupPolls: 1 });
});

describe('buyapowa CLI', () => {
  it('signups writes the generated CSV with ShareURL and DashboardURL on stdout (the bin in its own process)', async () => {
    const { code, stdout, stderr } = await spawnBin([
      'signups',
      'refer-a-friend',
      file('signups.csv', 'Email,FirstName,LastName,ClientData_customer_id\njane@smith.com,Jane,"Smith, Jr",552\n'),
    ]);
    expect(code).toBe(0);
    const [row] = parse(stdout, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ Email: 'jane@smith.com', LastName: 'Smith, Jr', ClientData_customer_id: '552' });
    expect(row.ShareURL).toMatch(/\/r\/[a-z0-9]+$/);
    expect(stderr).toContain('1 signup(s)');
  });

  it('track: the guide CSV round trip; a repeated order exits 1 with one line per problem', async () => {
    const csv = file(
      'orders.csv',
      'ReferrerEmail,VoucherCode,FullName,EmailAddress,MarketingOptIn,OrderValue,OrderNumber,OrderTimestamp,RewardCategory,ClientData_membership_number,Locale\n' +
        'john@doe.com,,"Jane, ""JJ"" Smith",jane@smith.com,true,12.89,ORDER123,1321009871,25OFF,662-56-3593,en\n' +
        'john@doe.com,,"Zoë\nNewline",zoe@example.com,false,45.99,ORDER124,1321009892,50OFF,662-57-3241,pt\n',
    );
    const first = await run(['track', csv]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 2, chunks: [{ firstRow: 1, lastRow: 2, status: 201 }], problems: [] });
    const stored = platform.state('demo').conversions;
    expect(stored.map((c) => [fieldsOf(c).full_name, fieldsOf(c).client_data.membership_number])).toEqual([
      ['Jane, "JJ" Smith', '662-56-3593'],
      ['Zoë\nNewline', '662-57-3241'],
    ]);
    const again = await run(['track', csv]);
    expect(again.code).toBe(1);
    expect(again.stderr.split('\n').filter((l) => l.includes('already tracked'))).toEqual([
      'buyapowa: row 1: Referral not created: order_number ORDER123 was already tracked',
      'buyapowa: row 2: Referral not created: order_number ORDER124 was already tracked',
    ]);
  });

  it('track --dry-run checks every row and sends nothing', async () => {
    const jsonl = file('orders.jsonl', JSON.stringify({ email_address: 'a@b.co', order_value: 5, order_number: 'J1', order_timestamp: 1700000000 }) + '\n');
    const { code, stdout } = await run(['track', jsonl, '--dry-run'], {});
    expect(code).toBe(0);
    expect(stdout).toBe(
      '# rows 1-1: would be sent as this CSV\nReferrerEmail,VoucherCode,FullName,EmailAddress,MarketingOptIn,OrderValue,OrderNumber,OrderTimestamp,RewardCategory,Locale\n,,,a@b.co,,5.00,J1,1700000000,,\n',
    );
    expect(platform.state('demo').conversions).toHaveLength(0);
    const bad = await run(['reconcile', file('bad.csv', 'OrderNumber,Status\nA,shipped\nB,\n'), '--dry-run'], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('buyapowa: "row 1.status" expected one of confirmed, failed, manual-pass, restore, received "shipped"');
    expect(bad.stderr).toContain('buyapowa: "row 2.status" expected one of confirmed, failed, manual-pass, restore (required), received undefined');
  });

  it('credentials only from the environment; 401 exits 1 without printing the token', async () => {
    const none = await run(['forget', 'john@doe.com'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('expected BUYAPOWA_MARKET (your market ID) and BUYAPOWA_AUTH_TOKEN (your auth token) in the environment');
    const wrong = await run(['forget', 'john@doe.com'], { BUYAPOWA_MARKET: 'demo', BUYAPOWA_AUTH_TOKEN: 'wrong-token-123' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('buyapowa: unauthorized (HTTP 401)\nbuyapowa: The wrong auth_id/auth_token combination is given\n');
    expect(wrong.stderr + wrong.stdout).not.toContain('wrong-token-123');
  });

  it('subscribe / unsubscribe an email, friends from a file, reports to a file', async () => {
    expect((await run(['unsubscribe', 'john@doe.com'])).code).toBe(0);
    const friends = await run([
      'friends',
      'refer-a-friend',
      file('friends.csv', 'ReferrerEmail,FriendEmail,FriendFirstName\njohn@doe.com,kim@example.com,Kim\n'),
      '--distribute-voucher',
    ]);
    expect(friends.code).toBe(0);
    const out = join(dir, 'vouchers.csv');
    const report = await run(['reports', 'friend_voucher_distribution', 'refer-a-friend', '--from', '2020-01-01', '--out', out]);
    expect(report.code).toBe(0);
    const rows = parse(await import('node:fs').then((fs) => fs.readFileSync(out, 'utf8')), { columns: true });
    expect(rows.map((r) => (r as Record<string, string>).FriendEmail)).toEqual(['kim@example.com']);
    expect(report.stderr).toContain('1 row(s) of friend_voucher_distribution');
  });

  it('reports a bad report type as one clear line', async () => {
    const { code, stderr } = await run(['reports', 'everything', 'refer-a-friend']);
    expect(code).toBe(1);
    expect(stderr).toContain('buyapowa: "report_type" expected one of signups, friend_voucher_distribution');
  });
});
