import { describe, expect, it } from 'vitest';
import { BatchRows } from './batch-rows';

describe('BatchRows', () => {
  it('finds row i across chunks and keeps errors', () => {
    const rows = new BatchRows();
    rows.add(
      { lines: Int32Array.of(2, 3), p1: Float32Array.of(0.25, 0.5), truth: Int8Array.of(0, 1), cellsJson: JSON.stringify([['a'], ['b']]) },
      [],
    );
    rows.add({ lines: Int32Array.of(), p1: Float32Array.of(), truth: Int8Array.of(), cellsJson: null }, [
      { line: 4, column: 'age', value: 'x', message: 'Age must be a number' },
    ]);
    rows.add({ lines: Int32Array.of(5), p1: Float32Array.of(0.75), truth: Int8Array.of(-1), cellsJson: null }, []);
    expect(rows.length).toBe(3);
    expect(rows.row(0)).toEqual({ line: 2, p1: 0.25, truth: 0, cells: ['a'] });
    expect(rows.row(1)).toEqual({ line: 3, p1: 0.5, truth: 1, cells: ['b'] });
    expect(rows.row(2)).toEqual({ line: 5, p1: 0.75, truth: -1, cells: null });
    expect(rows.errors).toHaveLength(1);
  });
});
