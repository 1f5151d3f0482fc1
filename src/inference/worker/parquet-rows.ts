import { parquetMetadataAsync, parquetScan, parquetSchema, type AsyncBuffer, type DecodedArray, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType, RowSource } from '@/domain/csv/row-source';
import { FileProblem } from '@/domain/csv/text-source';

/**
 * A Parquet file (Blob) as a RowSource for streamRows: hyparquet reads the footer, then one
 * row group at a time, column by column (parquetScan), and hands the rows on in pieces of
 * PIECE_ROWS with every cell as text, so the same row checks as a CSV file's apply. Loaded
 * only when a Parquet file is chosen (see file-rows.ts): CSV jobs never load it.
 */

/** Rows handed on at a time: a row group's columns stay typed arrays; only this many rows become text. */
const PIECE_ROWS = 8192;

// The page puts "The file could not be read: " before these, so each is the end of one sentence.
const NOT_PARQUET = 'it is not a Parquet file, or it is damaged or cut short.';

function blobBuffer(file: Blob): AsyncBuffer {
  return { byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
}

/** What a top-level column holds, as the row checks see it, and its type as the file names it. */
export function columnType(node: SchemaTree): ColumnType {
  const el = node.element;
  const logical = el.logical_type?.type;
  const note = logical ?? el.converted_type;
  const found = node.children.length > 0 ? `a group (${node.children.length} fields)` : `${el.type ?? 'untyped'}${note ? ` (${note})` : ''}`;
  if (node.children.length > 0 || el.repetition_type === 'REPEATED') return { kind: 'other', found };
  if (
    logical === 'DATE' ||
    logical === 'TIMESTAMP' ||
    el.converted_type === 'DATE' ||
    el.converted_type?.startsWith('TIMESTAMP') ||
    el.type === 'INT96'
  )
    return { kind: 'date', found };
  if (logical === 'STRING' || logical === 'ENUM' || logical === 'JSON' || el.converted_type === 'UTF8' || el.converted_type === 'ENUM')
    return { kind: 'text', found };
  if (logical === 'TIME' || logical === 'INTERVAL' || logical === 'UUID' || logical === 'VARIANT') return { kind: 'other', found };
  if (el.type === 'BOOLEAN') return { kind: 'boolean', found };
  if (el.type === 'INT32' || el.type === 'INT64' || el.type === 'FLOAT' || el.type === 'DOUBLE' || logical === 'DECIMAL' || logical === 'FLOAT16')
    return { kind: 'number', found };
  // A plain BYTE_ARRAY is decoded as UTF-8 text by hyparquet (utf8: true).
  if (el.type === 'BYTE_ARRAY') return { kind: 'text', found };
  return { kind: 'other', found };
}

/** A date as the CSV rules read it: YYYY-MM-DD at midnight UTC (a DATE, a day's TIMESTAMP), else the full ISO time. */
function dateText(d: Date): string {
  const t = d.getTime();
  if (!Number.isFinite(t)) return '';
  const iso = d.toISOString();
  return t % 86_400_000 === 0 ? iso.slice(0, 10) : iso;
}

/** A cell as text, as it would be written in a CSV copy of the file. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return dateText(v);
  return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? String(x) : x)) ?? '';
}

async function openMetadata(file: Blob): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(blobBuffer(file));
  } catch {
    throw new FileProblem(NOT_PARQUET);
  }
}

/** A Parquet file's rows, one row group at a time. */
export function parquetRows(file: Blob): RowSource {
  return async (progress) => {
    progress.totalBytes = file.size;
    const metadata = await openMetadata(file);
    let columns: SchemaTree[];
    try {
      columns = parquetSchema(metadata).children;
    } catch {
      throw new FileProblem(NOT_PARQUET);
    }
    const header = columns.map((c) => c.element.name);
    const types = columns.map(columnType);
    const total = Number(metadata.num_rows);
    async function* pieces(): AsyncGenerator<string[][]> {
      if (total === 0) return;
      let scan: Awaited<ReturnType<typeof parquetScan>>;
      try {
        scan = await parquetScan({ file: blobBuffer(file), metadata, compressors });
      } catch {
        throw new FileProblem(NOT_PARQUET);
      }
      const groups = scan.ranges.length;
      for (let g = 0; g < groups; g++) {
        const { rowStart, rowEnd } = scan.ranges[g]!;
        let data: DecodedArray[];
        try {
          data = await Promise.all(header.map((column) => scan.readColumn({ column, rowStart, rowEnd })));
        } catch {
          throw new FileProblem(
            `row group ${g + 1} of ${groups} (rows ${(rowStart + 1).toLocaleString('en-US')} to ${rowEnd.toLocaleString('en-US')}) of this Parquet file is damaged or cut short.`,
          );
        }
        for (let r0 = 0; r0 < rowEnd - rowStart; r0 += PIECE_ROWS) {
          const n = Math.min(PIECE_ROWS, rowEnd - rowStart - r0);
          const rows: string[][] = new Array<string[]>(n);
          for (let r = 0; r < n; r++) rows[r] = data.map((col) => cellText(col[r0 + r]));
          progress.bytesRead = Math.round((file.size * (rowStart + r0 + n)) / total);
          yield rows;
        }
      }
    }
    return { header, types, pieces: pieces() };
  };
}
