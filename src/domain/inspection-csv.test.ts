import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { assembleFleetArrays } from './fleet';
import { emptyLog, mergeLog } from './fleet-workspace';
import { INSPECTION_SCHEMA, logToCsv, parseWorkspaceExport, readInspections, readLog, readMeta } from './fleet-workspace-record';
import { parseIsoDay } from './history';
import { inspectionsToCsv, parseInspectionsCsv } from './inspection-csv';

const spec = getDomain('device').inspections!;

describe('inspections from a maintenance export', () => {
  it('reads aliased columns and outcome words, lists bad rows by line and column, keeps the good ones', () => {
    const text = [
      'ASSETNUM,ACTFINISH,Result,Remarks',
      'S1F01085,2015-10-30,No fault found,checked bearings',
      '',
      'S1F0166B,30/10/2015,Replaced,',
      ',2015-10-31,maybe,',
      'W1F0Z1W9,2015-11-01,fault found and fixed,"belt, tensioned"',
    ].join('\r\n');
    const r = parseInspectionsCsv(text, spec);
    if (!r.ok) throw new Error(r.message);
    expect(r.columns).toEqual({ entity: 'ASSETNUM', date: 'ACTFINISH', outcome: 'Result', note: 'Remarks' });
    expect(r.rowsRead).toBe(4);
    expect(r.inspections).toEqual([
      { entity: 'S1F01085', day: parseIsoDay('2015-10-30'), outcome: 'nothing_found', note: 'checked bearings' },
      { entity: 'W1F0Z1W9', day: parseIsoDay('2015-11-01'), outcome: 'fixed', note: 'belt, tensioned' },
    ]);
    expect(r.rejected.map((x) => [x.line, x.errors.map((e) => e.column)])).toEqual([
      [4, ['ACTFINISH']],
      [5, ['ASSETNUM', 'Result']],
    ]);
    expect(r.rejected[0]!.errors[0]!.message).toMatch(/^Line 4: ACTFINISH /);
    expect(r.rejected[1]!.errors[1]!.message).toBe(
      'Line 5: Result "maybe" is not an outcome this app knows ("Nothing found", "Fault found and fixed", "Replaced", "Failed before inspection")',
    );
  });

  it('refuses a file without a device, date or outcome column, naming what it needs', () => {
    const r = parseInspectionsCsv('device,when\nA,2015-01-01\n', spec);
    expect(r).toEqual({ ok: false, message: expect.stringContaining('needs a column for the date (one of "date"') });
    expect(!r.ok && r.message).toContain('and the outcome (one of "outcome"');
  });

  it('writes what it reads, spreadsheet-safe', () => {
    const rows = [{ entity: '=cmd', day: parseIsoDay('2015-10-30')!, outcome: 'nothing_found', note: '+1 belt' }];
    const csv = inspectionsToCsv(rows, spec, 'device');
    expect(csv).toBe("device,date,outcome,note\r\n'=cmd,2015-10-30,Nothing found,'+1 belt\r\n");
    const back = parseInspectionsCsv(csv, spec);
    expect(back.ok && back.inspections[0]).toEqual({ ...rows[0], entity: "'=cmd", note: "'+1 belt" });
  });
});

describe('workspace records', () => {
  const meta = {
    schema: 3,
    domain: 'device',
    model: { id: 'device-fleet', version: 'v', sha256: 'ab' },
    inputs: ['m1', 'm2'],
    labelColumn: 'failure',
    columns: { entity: 'device', date: 'date' },
    files: [],
    readings: 0,
    devices: 0,
    updatedAt: '2026-12-05T00:00:00Z',
    note: null,
    deltas: [],
  };
  it('reads a valid meta record and names what is wrong with another', () => {
    expect(readMeta(meta)).toEqual({ ok: true, value: meta, migrated: false });
    const { deltas: _, ...v1 } = meta;
    expect(readMeta({ ...v1, schema: 1 })).toEqual({ ok: true, value: meta, migrated: true });
    expect(readMeta({ ...meta, schema: 2 })).toEqual({ ok: true, value: meta, migrated: true });
    expect(readMeta({ ...meta, schema: 99 })).toEqual({ ok: false, problem: expect.stringContaining('schema') });
    expect(readMeta({ ...meta, inputs: 'm1' })).toEqual({ ok: false, problem: expect.stringContaining('inputs') });
  });

  it('checks the kept log array by array', () => {
    const days = [16436, 16437];
    const log = mergeLog(
      emptyLog(),
      { fleet: assembleFleetArrays(['A'], [0, 0], days, [2, 3]), day: days, label: [0, 1], line: [2, 3], values: [1, 2, 3, 4] },
      2,
      0,
    ).log;
    expect(readLog(log, 2).ok).toBe(true);
    expect(readLog({ ...log, p1: Array.from(log.p1) }, 2)).toEqual({ ok: false, problem: 'log.p1 is not a Float32Array' });
    expect(readLog(log, 3)).toEqual({ ok: false, problem: 'log.values has 4 numbers for 2 readings of 3' });
    expect(logToCsv(log, { inputs: ['m1', 'm2'], labelColumn: 'failure', columns: { entity: 'device', date: 'date' } })).toBe(
      'date,device,failure,m1,m2\n2015-01-01,A,0,1,2\n2015-01-02,A,1,3,4\n',
    );
  });

  it('keeps an inspection record that does not validate, with its problem', () => {
    const good = {
      schema: INSPECTION_SCHEMA,
      id: 'a',
      domain: 'device',
      entity: 'A',
      date: '2015-01-01',
      outcome: 'nothing_found',
      note: '',
      recordedAt: 'x',
    };
    const r = readInspections([
      ['a', good],
      ['b', { ...good, id: 'b', date: '01/02/2015' }],
      ['c', 'garbage'],
    ]);
    expect(r.records).toEqual([good]);
    expect(r.unreadable.map((u) => [u.key, u.problem])).toEqual([
      ['b', 'date: not a calendar date YYYY-MM-DD'],
      ['c', expect.any(String)],
    ]);
    expect(r.unreadable[1]!.raw).toBe('garbage');
  });

  it('refuses a file that is not a workspace export in one sentence', () => {
    expect(parseWorkspaceExport('{')).toEqual({ ok: false, message: 'This file is not a Prognos workspace export (it is not JSON).' });
    expect(parseWorkspaceExport('{"a":1}')).toEqual({ ok: false, message: expect.stringContaining('no "format"') });
  });
});
