// Types of chromium.mjs (plain JavaScript so that Node runs it before anything is built).
type Env = Record<string, string | undefined>;
export function isExecutableFile(file: string): boolean;
export function which(name: string, env?: Env): string | undefined;
export function systemChromium(env?: Env): string | undefined;
export function chromiumExecutable(env?: Env): string | undefined;
export const disabledFeatures: string[];
export function chromiumArgs(moreDisabled?: string[]): string[];
