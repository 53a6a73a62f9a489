import { session } from './session';

/** The page's `bp_*` query parameters, including any stripped from the address bar. @internal */
export function pageParams(): Record<string, string> {
  const params: Record<string, string> = { ...session().strippedParams };
  new URLSearchParams(location.search).forEach((value, key) => /^bp_/.test(key) && (params[key] = value));
  return params;
}
