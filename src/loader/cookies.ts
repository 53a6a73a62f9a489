// The part of js-cookie's API the SDK uses (src/browser/attribution.ts, stored-referral.ts), for
// the script tag's loader only: rollup.config.mjs resolves `js-cookie` to this file there, so the
// landing page carries a few lines instead of the whole library. Same reading and writing rules
// as js-cookie 3: names URI-encoded, values through the converter (by default, `%xx` sequences
// decoded on read, quotes around a value dropped), attributes as `; name=value`, `expires` in days.

/** Cookie attributes, as js-cookie takes them. */
type Attributes = Record<string, string | number | boolean | Date | undefined>;
interface Converter {
  read(value: string, name: string): string;
  write(value: string, name: string): string;
}

const defaultConverter: Converter = {
  read: (value) => (value[0] === '"' ? value.slice(1, -1) : value).replace(/(%[\dA-F]{2})+/gi, decodeURIComponent),
  write: (value) => encodeURIComponent(value).replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent),
};

/** A cookie jar with a converter and default attributes, like the object js-cookie exports. */
function jar(converter: Converter, defaults: Attributes) {
  function set(name: string, value: string, attributes?: Attributes): void {
    const all: Attributes = { ...defaults, ...attributes };
    if (typeof all.expires === 'number') all.expires = new Date(Date.now() + all.expires * 864e5);
    if (all.expires instanceof Date) all.expires = all.expires.toUTCString();
    let text = '';
    for (const key in all) if (all[key]) text += '; ' + key + (all[key] === true ? '' : '=' + String(all[key]).split(';')[0]);
    name = encodeURIComponent(name)
      .replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent)
      .replace(/[()]/g, escape);
    document.cookie = name + '=' + converter.write(value, name) + text;
  }
  return {
    set,
    get(name: string): string | undefined {
      for (const pair of document.cookie ? document.cookie.split('; ') : []) {
        const [key, ...rest] = pair.split('=');
        try {
          if (decodeURIComponent(key) === name) return converter.read(rest.join('='), name);
        } catch {
          // a cookie whose name is not URI-encoded: not ours
        }
      }
    },
    remove: (name: string, attributes?: Attributes) => set(name, '', { ...attributes, expires: -1 }),
    withAttributes: (attributes: Attributes) => jar(converter, { ...defaults, ...attributes }),
    withConverter: <T extends string>(more: Partial<Converter>) => jar({ ...converter, ...more } as Converter, defaults) as ReturnType<typeof jar> & { _?: T },
  };
}

/** The default jar: `path=/`, as js-cookie's. */
export default jar(defaultConverter, { path: '/' });
