import { useCallback } from 'react';
import { formatFromLocale, type NumberFormat } from '@/domain/number-format';
import { readSetting, useSetting, writeSetting } from './local-setting';

/**
 * The number format and the units a person works in, remembered in this browser
 * (localStorage): the same settings for the form, the CSV import and the report.
 */

const FORMAT_KEY = 'prognos.number-format';
const unitsKey = (domain: string) => `prognos.units.${domain}`;

export function useNumberFormat(): [NumberFormat, (f: NumberFormat) => void] {
  const raw = useSetting(FORMAT_KEY);
  const format: NumberFormat = raw === 'point' || raw === 'comma' ? raw : formatFromLocale(navigator.language);
  return [format, useCallback((f: NumberFormat) => writeSetting(FORMAT_KEY, f), [])];
}

/** Field name -> chosen unit id for a domain (fields not listed: the model's unit). */
export function useUnits(domain: string): [Readonly<Record<string, string>>, (field: string, unitId: string) => void] {
  const raw = useSetting(unitsKey(domain));
  const units = parseUnits(raw);
  const set = useCallback(
    (field: string, unitId: string) =>
      writeSetting(unitsKey(domain), JSON.stringify({ ...parseUnits(readSetting(unitsKey(domain))), [field]: unitId })),
    [domain],
  );
  return [units, set];
}

// The JSON string is the snapshot (stable between renders); parsed on each read, it is tiny.
function parseUnits(raw: string | null): Record<string, string> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // A broken entry is ignored: the model's units apply.
  }
  return {};
}
