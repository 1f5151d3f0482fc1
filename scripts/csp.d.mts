// Types of csp.mjs (plain JavaScript, read by vite.config.ts and the e2e tests alike).
export const cspDirectives: string[];
export const headerOnlyDirectives: string[];
export const metaPolicy: string;
export const headerPolicy: string;
export const otherHeaders: Record<string, string>;
export function cspMeta(): import('vite').Plugin;
