// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkConversion } from '../../src/core/conversion';

const base = { customer_email: 'jane@smith.com', order_number: 'ORDER123' };

describe('checkConversion', () => {
  it('accepts the guide tracking tag with real values, without a warning', () => {
    const result = checkConversion({
      customer_name: 'John, Doe',
      customer_email: 'john@doe.com',
      marketing_opt_in: 'true',
      order_number: 'ORDER123',
      order_value: '12.89',
      reward_category: '25OFF',
      voucher_code: 'BPCRAW1234',
      signed_keys: 'order_number, customer_email, reward_category',
      signature: '351381bad6a8c4c3ca0baff383bf64b5248e6ba467314b88c84e3d5e9c91da33',
      locale: 'en',
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.fields.order_value).toBe('12.89');
  });

  it('refuses a conversion without order_number or customer_email, naming each field', () => {
    const { errors } = checkConversion({ order_value: '10.00' } as never);
    expect(errors).toEqual([
      '"customer_email" expected an email address like "jane@example.com", received undefined',
      '"order_number" expected your unique order id, received undefined',
    ]);
  });

  it('refuses an email that is not one, showing what arrived', () => {
    expect(checkConversion({ ...base, customer_email: '<email_address>' }).errors).toEqual([
      '"customer_email" expected an email address like "jane@example.com", received "<email_address>" (a placeholder from the integration guide was left in)',
    ]);
  });

  it.each([
    [12.5, '12.50'],
    ['12.5', '12.50'],
    ['12', '12.00'],
    [0, '0.00'],
    ['£12.89', '12.89'],
    [' $ 99.9 ', '99.90'],
    ['EUR 7.10', '7.10'],
    [1234.567, '1234.57'],
  ])('normalises the unambiguous order_value %j to %j', (value, expected) => {
    const { fields, warnings } = checkConversion({ ...base, order_value: value });
    expect(fields.order_value).toBe(expected);
    expect(warnings).toEqual([]);
  });

  it.each(['1.134,65', '1,134.65', '12,50', '12.345', '-5', 'ten'])('reports the ambiguous order_value %j and sends it as given', (value) => {
    const { fields, warnings, errors } = checkConversion({ ...base, order_value: value });
    expect(errors).toEqual([]);
    expect(fields.order_value).toBe(value);
    expect(warnings).toEqual([`"order_value" expected a decimal like "12.89", received ${JSON.stringify(value)}, so it is sent as given`]);
  });

  it.each([
    [true, 'true'],
    [false, 'false'],
    ['TRUE', 'true'],
    [' no ', 'false'],
    ['1', 'true'],
  ])('normalises marketing_opt_in %j to %j', (value, expected) => {
    expect(checkConversion({ ...base, marketing_opt_in: value }).fields.marketing_opt_in).toBe(expected);
  });

  it('leaves out an unrecognised marketing_opt_in, with a warning', () => {
    const { fields, warnings } = checkConversion({ ...base, marketing_opt_in: '<true_or_false>' });
    expect(fields).not.toHaveProperty('marketing_opt_in');
    expect(warnings[0]).toBe(
      '"marketing_opt_in" expected true or false, received "<true_or_false>" (a placeholder from the integration guide was left in), so it is left out',
    );
  });

  it('turns numbers into strings and trims strings', () => {
    const { fields } = checkConversion({ ...base, order_number: 1001, customer_name: '  Jane, Smith ' });
    expect(fields.order_number).toBe('1001');
    expect(fields.customer_name).toBe('Jane, Smith');
  });

  it('accepts voucher_codes as an array or a comma-separated string', () => {
    expect(checkConversion({ ...base, voucher_codes: [' CODE1', 'CODE2 ', ''] }).fields.voucher_codes).toEqual(['CODE1', 'CODE2']);
    expect(checkConversion({ ...base, voucher_codes: 'CODE1, CODE2' as never }).fields.voucher_codes).toEqual(['CODE1', 'CODE2']);
  });

  it('drops empty fields, such as the Shopify snippet renders for a guest', () => {
    const { fields } = checkConversion({ ...base, voucher_code: '', customer_name: ' ', reward_category: undefined });
    expect(fields).toEqual(base);
  });

  it('refuses an object where a string is expected', () => {
    expect(checkConversion({ ...base, customer_name: { first: 'Jane' } as never }).errors).toEqual(['"customer_name" expected a string, received an object']);
  });

  it('sends signed fields exactly as given, type and whitespace included', () => {
    const { fields, errors } = checkConversion({
      customer_email: ' John@Doe.com',
      order_number: 123,
      order_value: 12.5,
      signed_keys: 'customer_email,order_number,order_value',
      signature: 'abc',
    });
    expect(errors).toEqual([]);
    expect(fields.customer_email).toBe(' John@Doe.com');
    expect(fields.order_number).toBe(123);
    expect(fields.order_value).toBe(12.5);
  });

  it('warns when signed_keys omits order_number or customer_email', () => {
    const { warnings } = checkConversion({ ...base, signed_keys: 'order_number', signature: 'abc' });
    expect(warnings).toEqual(['"signed_keys" expected to include "customer_email", received "order_number"']);
  });

  it('warns when reward_category is sent but not signed', () => {
    const { warnings } = checkConversion({ ...base, reward_category: '25OFF', signed_keys: 'order_number, customer_email', signature: 'abc' });
    expect(warnings).toEqual(['"signed_keys" expected to include "reward_category", received "order_number, customer_email"']);
  });

  it('warns about a signed key the conversion lacks, and a missing signature', () => {
    const { warnings } = checkConversion({ ...base, signed_keys: 'order_number, customer_email, locale' });
    expect(warnings).toEqual([
      '"signed_keys" expected only fields of the conversion, received "locale"',
      '"signature" expected the signature of the signed keys, received undefined',
    ]);
  });

  it('lowercases an unsigned hex signature', () => {
    expect(checkConversion({ ...base, signed_keys: 'order_number, customer_email', signature: 'ABCDEF' }).fields.signature).toBe('abcdef');
  });

  it('sends unknown fields as given', () => {
    expect(checkConversion({ ...base, currency: 'EUR' }).fields.currency).toBe('EUR');
  });

  it('reports a conversion that is not an object', () => {
    expect(checkConversion(null as never).errors).toHaveLength(2);
  });
});

describe('checkConversion, with fields the guide does not know', () => {
  const base = { customer_email: 'jane@smith.com', order_number: 'ORDER123' };

  it.each([
    ['orderNumber', 'order_number'],
    ['ordervalue', 'order_value'],
    ['CustomerName', 'customer_name'],
    ['voucher-code', 'voucher_code'],
  ])('sends %s under the guide name %s, with one "did you mean" warning', (key, known) => {
    const { fields, warnings, errors } = checkConversion({ ...base, order_number: undefined as never, [key]: key === 'ordervalue' ? 12.5 : 'X1' });
    expect(warnings).toEqual([`"${key}" is not a field of the integration guide: did you mean "${known}"? It is sent as "${known}"`]);
    expect(fields).not.toHaveProperty(key);
    expect(fields[known]).toBe(key === 'ordervalue' ? '12.50' : 'X1');
    expect(errors).toEqual(key === 'orderNumber' ? [] : ['"order_number" expected your unique order id, received undefined']);
  });

  it('keeps the guide name when both are given, and sends the other spelling as given', () => {
    const { fields, warnings } = checkConversion({ ...base, order_value: '1.00', orderValue: '2.00' });
    expect(fields.order_value).toBe('1.00');
    expect(fields.orderValue).toBe('2.00');
    expect(warnings).toEqual(['"orderValue" is not a field of the integration guide: did you mean "order_value"? It is sent as given']);
  });

  it('never renames a signed field, as that would break the signature', () => {
    const { fields } = checkConversion({ ...base, orderValue: '2', signed_keys: 'order_number, customer_email, orderValue', signature: 'ab' });
    expect(fields.orderValue).toBe('2');
    expect(fields).not.toHaveProperty('order_value');
  });

  it('names the known fields for a field it cannot place', () => {
    const { fields, warnings } = checkConversion({ ...base, currency: 'EUR' });
    expect(fields.currency).toBe('EUR');
    expect(warnings).toEqual([
      '"currency" is not a field of the integration guide (known: customer_name, customer_email, marketing_opt_in, order_number, order_value, reward_category, voucher_code, voucher_codes, signed_keys, signature, locale, campaign). It is sent as given',
    ]);
  });

  it('keeps a field named __proto__ as an ordinary field, and leaves Object.prototype alone', () => {
    const { fields } = checkConversion(JSON.parse('{"customer_email":"a@b.co","order_number":"1","__proto__":"x"}'));
    expect(Object.getPrototypeOf(fields)).toBe(null);
    expect(Object.keys(fields)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('checkConversion, with the guide snippet left as it is', () => {
  it('gives one problem per field, each saying a placeholder was left in', () => {
    const { errors, warnings, fields } = checkConversion({
      customer_name: '<first_name>, <last_name>',
      customer_email: '<email_address>',
      marketing_opt_in: '<true_or_false>',
      order_number: '<unique_identifier>',
      order_value: '<order_value>',
      reward_category: '<reward_category>',
      voucher_code: '<voucher_code>',
      signed_keys: '<signed_keys>',
      signature: '<signature>',
      locale: '<locale>',
    });
    const note = '(a placeholder from the integration guide was left in)';
    expect(errors).toEqual([
      `"customer_email" expected an email address like "jane@example.com", received "<email_address>" ${note}`,
      `"order_number" expected your unique order id, received "<unique_identifier>" ${note}`,
    ]);
    expect(warnings).toHaveLength(8);
    for (const warning of warnings) expect(warning).toContain(note + ', so it is left out');
    expect(Object.keys(fields)).toEqual([]);
  });
});

describe('checkConversion, with hostile values', () => {
  const base = { customer_email: 'jane@smith.com', order_number: 'ORDER123' };

  it('checks a 50,000-character email in linear time: refused, not frozen', () => {
    const { errors } = checkConversion({ ...base, customer_email: 'a@' + '.'.repeat(50000) + '@' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^"customer_email" expected an email address like "jane@example.com", received "a@\.{58}…"$/);
  });

  it('reports Symbols, functions, Proxies and throwing getters as problems, never throwing', () => {
    const throwing = Object.defineProperty({ ...base }, 'customer_name', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const trap = new Proxy(base, {
      ownKeys: () => {
        throw new Error('trap');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const codes = new Proxy(['A'], {
      get: () => {
        throw new Error('trap');
      },
    });
    expect(checkConversion({ ...base, customer_name: Symbol('x') as never }).errors).toEqual(['"customer_name" expected a string, received Symbol(x)']);
    expect(checkConversion({ ...base, locale: (() => 1) as never }).errors).toEqual(['"locale" expected a string, received a function']);
    expect(checkConversion({ ...base, voucher_codes: [Symbol('c')] as never }).errors).toEqual([
      '"voucher_codes" expected a list of voucher codes, received a list',
    ]);
    expect(checkConversion({ ...base, voucher_codes: codes }).errors).toEqual(['"conversion" expected fields that can be read, received an object']);
    for (const input of [throwing, trap, revoked.proxy, Symbol('c'), 42])
      expect(checkConversion(input as never).errors[0]).toMatch(
        /^"conversion" expected an object like \{ order_number, customer_email \} whose fields can be read, received /,
      );
    expect(checkConversion({ ...base, customer_email: revoked.proxy as never }).errors).toEqual([
      '"customer_email" expected a string, received an object that cannot be read',
      '"customer_email" expected an email address like "jane@example.com", received an object that cannot be read',
    ]);
  });
});
