// The loader's js-cookie stand-in (src/loader/cookies.ts) reads and writes exactly as js-cookie
// does, for the calls the SDK makes: the same document.cookie strings, the same values read back.
import Cookies from 'js-cookie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Lean from '../../src/loader/cookies';

/** The strings each library assigns to document.cookie while `run` runs. */
function writes(run: (jar: typeof Cookies) => void, jar: typeof Cookies): string[] {
  const seen: string[] = [];
  const spy = vi.spyOn(document, 'cookie', 'set').mockImplementation((value: string) => void seen.push(value));
  try {
    run(jar);
  } finally {
    spy.mockRestore();
  }
  return seen;
}

afterEach(() => {
  for (const name of Object.keys(Cookies.get())) Cookies.remove(name);
});

describe('the loader cookie jar', () => {
  const calls: Array<[string, (jar: typeof Cookies) => void]> = [
    [
      'the referral write of attribution.ts',
      (jar) => {
        const cookies = jar.withConverter<string>({ write: (value) => value }).withAttributes({ path: '/', sameSite: 'Lax', secure: false });
        cookies.remove('bp_ref');
        cookies.set('bp_ref', '%7B%22v%22%3A1%7D', { domain: 'shop.com', 'max-age': '2592000' });
        cookies.remove('bp_ref', { domain: 'shop.com' });
      },
    ],
    [
      'a secure cookie without domain',
      (jar) =>
        jar
          .withConverter<string>({ write: (value) => value })
          .withAttributes({ path: '/', sameSite: 'Lax', secure: true })
          .set('bp_ref', 'x', { domain: undefined, 'max-age': '5' }),
    ],
    ['default encoding of odd names and values', (jar) => jar.set('a b(c);', 'é;=,"x"', { expires: 2 })],
  ];
  for (const [name, run] of calls)
    it(`writes what js-cookie writes: ${name}`, () => {
      vi.useFakeTimers({ now: new Date('2026-12-02T12:00:00Z') });
      try {
        expect(writes(run, Lean as unknown as typeof Cookies)).toEqual(writes(run, Cookies));
      } finally {
        vi.useRealTimers();
      }
    });

  it('reads what js-cookie reads: URI-encoded JSON, quoted values, the first of two, a malformed neighbour', () => {
    document.cookie = 'bad%E0=1';
    document.cookie = 'bp_ref=%7B%22v%22%3A1%2C%22t%22%3A%7B%7D%7D';
    document.cookie = 'quoted="a%20b"';
    for (const name of ['bp_ref', 'quoted', 'missing']) expect(Lean.get(name)).toBe(Cookies.get(name));
    expect(Lean.get('bp_ref')).toBe('{"v":1,"t":{}}');
  });
});
