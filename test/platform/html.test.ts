// @vitest-environment node
// The examples' shared helpers: the auto-escaping html template and same-origin redirects.
import { describe, expect, test } from 'vitest';
import { html, raw, text } from '../../examples/html.js';
import { sameOriginPath } from '../../examples/http.js';

describe('html', () => {
  test('escapes every interpolated value, in content and attributes', () => {
    const name = '<img src=x onerror="alert(1)">';
    expect(String(html`<p title="${name}">${name}</p>`)).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>',
    );
  });

  test('nested templates and raw() are kept; arrays are joined; false, null and undefined insert nothing', () => {
    const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    expect(String(html`<ul>${items}</ul>${false}${null}${undefined}${raw('<br>')}`)).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul><br>');
  });

  test('values whose toString is not a function are shown as JSON, never thrown', () => {
    const hostile = JSON.parse('{"toString":1}');
    expect(text(hostile)).toBe('{"toString":1}');
    expect(String(html`${hostile}`)).toBe('{&quot;toString&quot;:1}');
    expect(text(0)).toBe('0');
  });
});

describe('sameOriginPath', () => {
  test.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard?x=1#top', '/dashboard?x=1#top'],
    ['/a/../b', '/b'],
  ])('%s stays on this origin as %s', (value, path) => {
    expect(sameOriginPath(value)).toBe(path);
  });

  test.each(['/\\evil.example', '//evil.example', '/\\/evil.example', 'https://evil.example/', 'javascript:alert(1)', 'dashboard', '', null])(
    '%j is refused',
    (value) => {
      expect(sameOriginPath(value)).toBeNull();
    },
  );
});
