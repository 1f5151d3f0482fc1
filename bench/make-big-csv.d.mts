export function bigCsvPath(rows?: number): string;
export function makeBigCsv(opts?: { rows?: number; seed?: number; out?: string }): {
  path: string;
  rows: number;
  bytes: number;
  failures: number | null;
  cached?: boolean;
};
