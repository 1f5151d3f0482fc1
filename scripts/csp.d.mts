// Types of csp.mjs (plain JavaScript, read by vite.config.ts and the e2e tests alike).
export const cspDirectives: string[];
export const headerOnlyDirectives: string[];
export const metaPolicy: string;
export const headerPolicy: string;
export const otherHeaders: Record<string, string>;
export function withConnectSources(policy: string, origins: readonly string[]): string;
export function buildConnectSources(env?: Record<string, string | undefined>): string[];
export const exampleRecordOrigins: string[];
export function cspMeta(): import('vite').Plugin;
export function hostBlocks(): Record<'headers' | 'nginx' | 'caddy' | 'apache' | 'netlify' | 'fhir-header', string>;
export function markedCopies(text: string): { name: string; content: string }[];
export function withFreshCopies(text: string): string;
export function copyFiles(root: string): string[];
export function staleCopies(root: string): string[];
export function writeCopies(root: string): string[];
