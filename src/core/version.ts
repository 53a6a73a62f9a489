declare const __VERSION__: string;

/** The SDK version, injected at build time. */
export const VERSION: string = __VERSION__;
