// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  CONVERSION_FIELDS,
  conversionFieldFor,
  isEmailAddress,
  isPlaceholder,
  looseMoneyAmount,
  looseOptInFlag,
  moneyAmount,
  optInFlag,
  readFields,
  signedKeyList,
} from '../../src/core/fields';
import { received } from '../../src/core/errors';

describe('signedKeyList, the one signed_keys parser', () => {
  it('splits on commas, trims each name and skips empty entries', () => {
    expect(signedKeyList('order_number, customer_email')).toEqual(['order_number', 'customer_email']);
    expect(signedKeyList(' a ,, b ,')).toEqual(['a', 'b']);
    expect(signedKeyList(' , ')).toEqual([]);
    expect(signedKeyList(undefined)).toEqual([]);
    expect(signedKeyList(['a', 'b'])).toEqual([]);
  });
});

describe('isEmailAddress, the one email check', () => {
  it.each(['jane@example.com', "o'brien+tag@mail.example.co.uk", 'a@b.co'])('accepts %s', (email) => expect(isEmailAddress(email)).toBe(true));
  it.each(['', 'jane', 'jane@example', 'jane@@example.com', 'jane@.com', 'jane@example.', 'ja ne@example.com', '<email_address>', 42, null])(
    'refuses %j',
    (email) => expect(isEmailAddress(email)).toBe(false),
  );
  it('refuses more than 254 characters, and the old quadratic input, whatever their shape', () => {
    expect(isEmailAddress('a@' + 'b'.repeat(249) + '.com')).toBe(false);
    expect(isEmailAddress('a@' + 'b'.repeat(248) + '.com')).toBe(true);
    expect(isEmailAddress('a@' + '.'.repeat(50000) + '@')).toBe(false);
    expect(isEmailAddress('a@' + '.'.repeat(200) + '@')).toBe(false);
  });
});

describe('money: one rule, strict for programs, lenient (by name) for rendered pages', () => {
  it('moneyAmount takes whole cents only', () => {
    expect([12.5, 0, '12.5', ' 12.89 ', '7'].map(moneyAmount)).toEqual(['12.50', '0.00', '12.50', '12.89', '7.00']);
    for (const value of [12.345, -1, NaN, Infinity, '$12', '12.345', '1,134.65', '', null, undefined, {}]) expect(moneyAmount(value)).toBeUndefined();
  });
  it('looseMoneyAmount drops currency marks and rounds numbers, never guesses separators', () => {
    expect(['$12.50', '12.50 EUR', 'GBP 7', '£ 3.1', 12.345, 3].map(looseMoneyAmount)).toEqual(['12.50', '12.50', '7.00', '3.10', '12.35', '3.00']);
    for (const value of ['1.134,65', '1,134.65', '12.345', '-5', -5, NaN, 'free']) expect(looseMoneyAmount(value)).toBeUndefined();
  });
});

describe('opt-in: one rule, strict for programs, lenient (by name) for rendered pages', () => {
  it('optInFlag takes true and false only', () => {
    expect([true, 'true', false, 'false'].map(optInFlag)).toEqual(['true', 'true', 'false', 'false']);
    for (const value of ['yes', 'TRUE', 1, 0, '', null, undefined]) expect(optInFlag(value)).toBeUndefined();
  });
  it('looseOptInFlag reads what checkboxes and templates print', () => {
    expect(['TRUE', 'yes', ' 1 ', 'on', 'true'].map(looseOptInFlag)).toEqual(Array(5).fill('true'));
    expect(['False', 'no', '0', 'off', 'false'].map(looseOptInFlag)).toEqual(Array(5).fill('false'));
    for (const value of ['maybe', '', 'yes please']) expect(looseOptInFlag(value)).toBeUndefined();
  });
});

describe('isPlaceholder', () => {
  it.each(['{{market}}', 'https://{{ market_domain }}', '<order_number>', '<first_name>, <last_name>', 'bp.your-website.com', 'your-market'])(
    'finds %s',
    (value) => expect(isPlaceholder(value)).toBe(true),
  );
  it.each(['demo', 'o\'brien+</script>"@example.com', 'a < b > c', '{not}', 'https://bp.shop.com'])('leaves %s alone', (value) =>
    expect(isPlaceholder(value)).toBe(false),
  );
});

describe('conversionFieldFor', () => {
  it('names the guide field for case and separator variants only', () => {
    expect(conversionFieldFor('orderNumber')).toBe('order_number');
    expect(conversionFieldFor('ORDER-VALUE')).toBe('order_value');
    expect(conversionFieldFor('voucherCodes')).toBe('voucher_codes');
    expect(conversionFieldFor('currency')).toBeUndefined();
    expect(CONVERSION_FIELDS).toContain('customer_email');
  });
});

describe('readFields', () => {
  it('copies own enumerable string keys once, without a prototype', () => {
    let reads = 0;
    const given = Object.defineProperty({ a: 1 }, 'b', { enumerable: true, get: () => ++reads });
    const copy = readFields(given)!;
    expect({ ...copy }).toEqual({ a: 1, b: 1 });
    expect(reads).toBe(1);
    expect(Object.getPrototypeOf(readFields(JSON.parse('{"__proto__":{"x":1}}')))).toBe(null);
    expect(Object.keys(readFields(JSON.parse('{"__proto__":{"x":1}}'))!)).toEqual(['__proto__']);
  });

  it('gives undefined for what is not a readable object', () => {
    const throwing = Object.defineProperty({}, 'a', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    for (const value of [undefined, null, 42, 'text', Symbol('s'), throwing, trap]) expect(readFields(value)).toBeUndefined();
  });
});

describe('received, the one helper that shows a value', () => {
  it('shows every kind of value, and never throws', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(received('abc')).toBe('"abc"');
    expect(received('x'.repeat(100))).toBe(JSON.stringify('x'.repeat(60) + '…'));
    expect(received(12)).toBe('12');
    expect(received(undefined)).toBe('undefined');
    expect(received(null)).toBe('null');
    expect(received(Symbol('s'))).toBe('Symbol(s)');
    expect(received(10n)).toBe('10');
    expect(received([1])).toBe('a list');
    expect(received({})).toBe('an object');
    expect(received(() => 1)).toBe('a function');
    expect(received(revoked.proxy)).toBe('an object that cannot be read');
  });
});
