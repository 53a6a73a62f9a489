/**
 * The registrable domain of `host` ("www.shop.co.uk" → "shop.co.uk"), found by the
 * shortest-first cookie probe, so no public suffix list is shipped: the browser refuses a
 * cookie on a public suffix, and the first suffix it accepts is the registrable domain.
 * Returns "" for localhost, IP addresses, and when no suffix is accepted (use a host-only cookie).
 * The probe cookie lives for one statement. Each call probes anew (a few cookie writes); callers
 * keep the answer (src/browser/attribution.ts probes once per page).
 * @internal
 */
export function registrableDomain(host: string = location.hostname): string {
  const labels = host.split('.');
  let domain = '';
  if (!/^[\d.]+$|[:\]]/.test(host))
    for (let i = labels.length - 1; !domain && i--;) {
      const candidate = labels.slice(i).join('.');
      const probe = 'bp_probe=' + Math.random();
      const attributes = ';path=/;SameSite=Lax;domain=' + candidate;
      document.cookie = probe + attributes;
      if (document.cookie.includes(probe)) {
        document.cookie = probe + attributes + ';max-age=0';
        domain = candidate;
      }
    }
  return domain;
}
