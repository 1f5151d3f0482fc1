import type { z } from '@/domain/zod';

/**
 * Records kept in the browser, read back: the ones that validate, and the others named with what
 * is wrong (an older schema, a damaged entry). Nothing kept is dropped without a word: the
 * unreadable ones are listed until the user deletes or exports them.
 */
export interface UnreadableRecord {
  key: string;
  problem: string;
  raw: unknown;
}

/** "path.to.key: message" of a zod error's first issue. */
export function zodProblem(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i?.path.join('.') || '(record)'}: ${i?.message ?? 'not valid'}`;
}

export function partitionRecords<T>(entries: readonly [string, unknown][], schema: z.ZodType<T>): { records: T[]; unreadable: UnreadableRecord[] } {
  const records: T[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const [key, raw] of entries) {
    const r = schema.safeParse(raw);
    if (r.success) records.push(r.data);
    else unreadable.push({ key, problem: zodProblem(r.error), raw });
  }
  return { records, unreadable };
}
