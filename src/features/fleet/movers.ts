import { num } from '@/components/ui/format';
import type { Mover } from '@/domain/fleet-rank';

/** "metric2 +56 in 7 d": a counter's move over its window (or since the previous reading). */
export function moverText(m: Mover): string {
  const sign = m.value > 0 ? '+' : '';
  return `${m.field} ${sign}${num(m.value, 0)}${m.days ? ` in ${m.days} d` : ''}`;
}
