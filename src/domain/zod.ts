import { z } from 'zod';

/**
 * zod, configured once, before any schema is built: every module imports z from here.
 * Jitless: zod 4 otherwise probes `new Function` to decide whether it may compile parsers,
 * and under the shipped Content-Security-Policy (no 'unsafe-eval') that probe is reported
 * as a violation even though zod catches it. Parsing is the same, without the compiled path.
 */
z.config({ jitless: true });

export { z };
