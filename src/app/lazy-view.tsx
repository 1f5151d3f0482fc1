import { useEffect, useState, type ComponentType } from 'react';
import { errorMessage } from '@/domain/errors';

/**
 * A view whose code loads on demand, shown the moment its code is in. Not React.lazy under a
 * Suspense boundary: React 19 reveals a boundary's content no sooner than 300 ms after its
 * fallback was shown, and a page opening on the fleet view waited on that (a reopened kept
 * fleet: the view's code evaluated 272 ms after navigation, the view shown at 470 ms, with
 * nothing else running in between). `load` may be called early (the route the page opens on);
 * a failed load says so where the view would be, and the next mount tries again.
 */
export interface LazyView<P> {
  View: ComponentType<P>;
  load(): Promise<ComponentType<P>>;
}

type Shown<P> = { view: ComponentType<P> } | { problem: string } | null;

export function lazyView<P extends object>(importView: () => Promise<ComponentType<P>>): LazyView<P> {
  let loading: Promise<ComponentType<P>> | null = null;
  let loaded: ComponentType<P> | null = null;
  const load = (): Promise<ComponentType<P>> =>
    (loading ??= importView().then(
      (view) => (loaded = view),
      (e: unknown) => {
        loading = null;
        throw e;
      },
    ));

  function View(props: P) {
    const [shown, setShown] = useState<Shown<P>>(() => (loaded ? { view: loaded } : null));
    useEffect(() => {
      if (shown) return;
      let live = true;
      load().then(
        (view) => live && setShown({ view }),
        (e: unknown) => live && setShown({ problem: errorMessage(e) }),
      );
      return () => {
        live = false;
      };
    }, [shown]);
    if (!shown) return <p role="status">Loading…</p>;
    if ('problem' in shown) {
      return <p role="alert">This view could not be loaded ({shown.problem}). Reload the page to try again.</p>;
    }
    const Loaded = shown.view;
    return <Loaded {...props} />;
  }
  return { View, load };
}
