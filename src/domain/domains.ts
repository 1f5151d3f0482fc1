import { deviceFields, deviceLabelColumn, devicePresets, deviceIgnoredColumns } from './device';
import type { FieldSpec, Values } from './fields';
import { heartFields, heartLabelColumn, heartPresets } from './heart';
import type { DomainId } from './manifest';

/** Everything the views need to know about a domain, as data. */
export interface DomainSpec {
  id: DomainId;
  title: string;
  subject: string;
  fields: readonly FieldSpec[];
  labelColumn: string;
  ignoredColumns: readonly string[];
  presets: { id: string; label: string; values: Values }[];
}

export const domains: Record<DomainId, DomainSpec> = {
  heart: {
    id: 'heart',
    title: 'Heart failure',
    subject: 'patient',
    fields: heartFields,
    labelColumn: heartLabelColumn,
    ignoredColumns: [],
    presets: heartPresets,
  },
  device: {
    id: 'device',
    title: 'Device failure',
    subject: 'device',
    fields: deviceFields,
    labelColumn: deviceLabelColumn,
    ignoredColumns: deviceIgnoredColumns,
    presets: devicePresets,
  },
};
