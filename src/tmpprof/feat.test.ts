import { it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { historyInputs } from '@/domain/history';
import { featureRows, type KeptLog } from '@/domain/fleet-workspace';

const spec = getDomain('device').history!;
const inputs = historyInputs(spec);
const nIn = inputs.length;
const D = 8000, DAYS = 126;
function big(): KeptLog {
  const n = D * DAYS;
  const entityStart = new Int32Array(D + 1);
  const day = new Int32Array(n), values = new Float64Array(n * nIn);
  let k = 0; let s = 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let e = 0; e < D; e++) { entityStart[e] = k; for (let d = 0; d < DAYS; d++, k++) { day[k] = 16436 + d; for (let j = 0; j < nIn; j++) values[k * nIn + j] = Math.floor(rnd() * 1000); } }
  entityStart[D] = k;
  return { entities: [], entityStart, day, label: new Int8Array(n), line: new Int32Array(n), source: new Uint16Array(n), values, p1: new Float32Array(n) };
}
it('feat', () => {
  const log = big();
  const pos = Int32Array.from({ length: D }, (_, e) => log.entityStart[e + 1]! - 1);
  const fi = spec.features.map((_, j) => j);
  for (let r = 0; r < 8; r++) { const t = performance.now(); featureRows(spec, inputs, log, pos, fi); console.log('feat', (performance.now() - t).toFixed(1)); }
});
