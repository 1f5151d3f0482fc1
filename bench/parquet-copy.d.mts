export type CopyType = 'DOUBLE' | 'INT32' | 'STRING' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';
export function parquetCopy(
  text: string,
  opts?: { types?: Record<string, CopyType>; rowGroupSize?: number; codec?: 'SNAPPY' | 'UNCOMPRESSED'; csv?: true },
): { parquet: ArrayBuffer; csv: string; rows: number };
export function fleetTypes(dates?: 'DATE' | 'TIMESTAMP' | 'STRING'): Record<string, CopyType>;
