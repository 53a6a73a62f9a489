/** `bp_*` parameters removed from the address bar by `stripReferralParams`, kept for this page. @internal */
export const strippedParams: Record<string, string> = {};

/** The page's `bp_*` query parameters, including any stripped from the address bar. @internal */
export function pageParams(): Record<string, string> {
  const params: Record<string, string> = { ...strippedParams };
  new URLSearchParams(location.search).forEach((value, key) => /^bp_/.test(key) && (params[key] = value));
  return params;
}
