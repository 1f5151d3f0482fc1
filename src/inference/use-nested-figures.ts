import { useEffect, useState } from 'react';
import { parseNestedFigures, type NestedFigures, type NestedFiguresFile } from '@/domain/nested-figures';

/**
 * public/models/thresholds.json (nested threshold figures, written by training), fetched once
 * on demand next to the manifest; only the model cards need it.
 */
let loading: Promise<NestedFiguresFile> | null = null;

export function loadNestedFigures(url = new URL('models/thresholds.json', document.baseURI).href): Promise<NestedFiguresFile> {
  loading ??= fetch(url)
    .then((res) => {
      if (!res.ok) throw new Error(`Could not load the threshold figures (HTTP ${res.status})`);
      return res.json() as Promise<unknown>;
    })
    .then(parseNestedFigures)
    .catch((e: unknown) => {
      loading = null; // a later card may try again
      throw e;
    });
  return loading;
}

/** The nested threshold figures of a model (null while loading or when absent for its version), or the error. */
type State = { figures: NestedFigures | null; unstableShare: number; error: string | null };

export function useNestedFigures(model: { id: string; version: string }): State {
  const [state, setState] = useState<State>({ figures: null, unstableShare: 0, error: null });
  useEffect(() => {
    let live = true;
    loadNestedFigures().then(
      (file) =>
        live &&
        setState({
          figures: file.models.find((m) => m.id === model.id && m.version === model.version) ?? null,
          unstableShare: file.unstable_range_share,
          error: null,
        }),
      (e: unknown) => live && setState({ figures: null, unstableShare: 0, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [model.id, model.version]);
  return state;
}
