/** True in a browser page; false during server-side rendering or in a worker. @internal */
export const hasDom = (): boolean => typeof document === 'object';

/** The page's origin and path, without query or fragment (which may hold personal data). @internal */
export const pagePath = (): string => location.origin + location.pathname;
