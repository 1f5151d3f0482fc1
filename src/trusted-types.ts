/**
 * Trusted Types (the CSP has `require-trusted-types-for 'script'`): a script URL must come
 * from a policy. The app's own policy, `prognos`, and a `default` policy that the browser
 * calls for code that passes plain strings or URL objects (Vite's `new Worker(new URL(...))`,
 * workbox-window registering the service worker) both allow only script URLs of this
 * origin. Nothing in the app builds HTML or script text, so both refuse those outright.
 * Imported first by every entry (main.tsx), before anything creates a worker.
 */

interface TrustedTypePolicyOptions {
  createScriptURL?: (input: string) => string;
  createHTML?: (input: string) => string;
  createScript?: (input: string) => string;
}
interface TrustedTypesFactory {
  createPolicy(name: string, options: TrustedTypePolicyOptions): { createScriptURL(input: string): unknown };
  defaultPolicy: unknown;
}

/** The URL, absolute, when it is of this origin; throws otherwise. */
export function sameOriginScriptUrl(input: string, base: string = self.location.href): string {
  const url = new URL(input, base);
  if (url.origin !== new URL(base).origin) throw new TypeError(`Trusted Types: script URL ${url.origin} is not of this site`);
  return url.href;
}

const refuse = (what: string) => () => {
  throw new TypeError(`Trusted Types: the app creates no ${what} from strings`);
};

const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
const rules: TrustedTypePolicyOptions = {
  createScriptURL: (input) => sameOriginScriptUrl(input),
  createHTML: refuse('HTML'),
  createScript: refuse('script'),
};
export const prognosPolicy = tt?.createPolicy('prognos', rules) ?? null;
if (tt && !tt.defaultPolicy) tt.createPolicy('default', rules);
