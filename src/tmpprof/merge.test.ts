import { it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { historyInputs } from '@/domain/history';
import { mergeLog, type KeptLog } from '@/domain/fleet-workspace';

const spec = getDomain('device').history!;
const nIn = historyInputs(spec).length;
const D = 8000, DAYS = 125;
function big(): KeptLog {
  const n = D * DAYS;
  const entityStart = new Int32Array(D + 1);
  const day = new Int32Array(n), values = new Float64Array(n * nIn);
  let k = 0;
  for (let e = 0; e < D; e++) { entityStart[e] = k; for (let d = 0; d < DAYS; d++, k++) { day[k] = 16436 + d; values[k * nIn] = k; } }
  entityStart[D] = k;
  return { entities: Array.from({ length: D }, (_, e) => `D${e}`), entityStart, day, label: new Int8Array(n), line: new Int32Array(n), source: new Uint16Array(n), values, p1: new Float32Array(n) };
}
it('merge', () => {
  const kept = big();
  const inc = {
    fleet: { entities: kept.entities, entityStart: Int32Array.from({ length: D + 1 }, (_, i) => i), order: Int32Array.from({ length: D }, (_, i) => i), duplicates: [] },
    day: new Int32Array(D).fill(16436 + DAYS), label: new Int8Array(D), line: Int32Array.from({ length: D }, (_, i) => i),
    values: Float64Array.from({ length: D * nIn }, (_, i) => i % 997),
  };
  for (let r = 0; r < 6; r++) { const t = performance.now(); mergeLog(kept, inc as never, nIn, 1); console.log('merge', (performance.now() - t).toFixed(1)); }
});
