import type { MouseEvent } from 'react';
import { PredictView } from '@/features/predict/predict-view';
import { useEngineStatus } from '@/inference/use-inference';
import { lazyView } from './lazy-view';
import { href, navigation, parseRoute, useRoute, type Route } from './router';
import { UpdateBanner } from './update-banner';

// Views with charts load on demand, so the first view stays small.
const views = {
  batch: lazyView(() => import('@/features/batch/batch-view').then((m) => m.BatchView)),
  fleet: lazyView(() => import('@/features/fleet/fleet-view').then((m) => m.FleetView)),
  models: lazyView(() => import('@/features/models/models-view').then((m) => m.ModelsView)),
  history: lazyView(() => import('@/features/saved-predictions/saved-predictions-view').then((m) => m.SavedPredictionsView)),
  integration: lazyView(() => import('@/features/seed-json/integration-view').then((m) => m.IntegrationView)),
} satisfies Record<Exclude<Route['view'], 'predict'>, unknown>;
const { View: BatchView } = views.batch;
const { View: FleetView } = views.fleet;
const { View: ModelsView } = views.models;
const { View: SavedPredictionsView } = views.history;
const { View: IntegrationView } = views.integration;

// The view the page opens on starts loading with this chunk, not after the first render.
const opening = parseRoute(window.location.hash).view;
if (opening !== 'predict') views[opening].load().catch(() => undefined);

const nav = navigation();

function EngineBanner() {
  const status = useEngineStatus();
  if (status.state === 'failed') {
    return (
      <div className="banner banner-error" role="alert">
        The models could not be loaded: {status.message}
      </div>
    );
  }
  if (status.state === 'loading') {
    return (
      <div className="banner" role="status">
        Loading the models in your browser… {status.total > 0 ? `${status.loaded} of ${status.total}` : ''}
      </div>
    );
  }
  // Models failing for the same reason (a host blocking WebAssembly fails them all) share one line.
  const byMessage = new Map<string, string[]>();
  for (const [id, message] of Object.entries(status.modelErrors)) byMessage.set(message, [...(byMessage.get(message) ?? []), id]);
  if (byMessage.size === 0) return null;
  return (
    <div className="banner banner-error" role="alert">
      {[...byMessage].map(([message, ids]) => (
        <p key={message}>
          {ids.length > 1 ? 'Models ' : 'Model '}
          {ids.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <code>{id}</code>
            </span>
          ))}{' '}
          {ids.length > 1 ? 'are' : 'is'} unavailable: {message}
        </p>
      ))}
    </div>
  );
}

function skipToMain(e: MouseEvent<HTMLAnchorElement>) {
  e.preventDefault();
  const main = document.getElementById('main');
  main?.focus();
  main?.scrollIntoView();
}

export function App() {
  const route = useRoute();
  // A device page belongs to its fleet's navigation entry.
  const navCurrent = href(route.view === 'fleet' ? { ...route, device: null } : route);
  return (
    <>
      {/* The hash is the router's: move focus to the main region instead of following #main. */}
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">Prognos</span>
          <span className="brand-tag">Predictions computed in your browser. Nothing you enter leaves this machine.</span>
        </div>
        <nav aria-label="Views">
          <ul>
            {nav.map((n) => (
              <li key={n.label}>
                <a href={href(n.route)} aria-current={href(n.route) === navCurrent ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <EngineBanner />
      <UpdateBanner />
      <main id="main" tabIndex={-1}>
        {route.view === 'predict' && <PredictView key={route.domain} domain={route.domain} />}
        {route.view === 'batch' && <BatchView key={route.domain} domain={route.domain} />}
        {route.view === 'fleet' && (
          // One view for the list and the device pages: the scored log stays loaded between them.
          <FleetView
            key={route.domain}
            domain={route.domain}
            device={route.device}
            deviceHref={(id) => href({ view: 'fleet', domain: route.domain, device: id })}
            listHref={href({ view: 'fleet', domain: route.domain, device: null })}
          />
        )}
        {route.view === 'models' && <ModelsView />}
        {route.view === 'integration' && <IntegrationView />}
        {route.view === 'history' && <SavedPredictionsView />}
      </main>
      <footer className="app-footer">
        Prognos is a decision aid built on small public data sets, not a medical device. Read each model&apos;s card (Models) before relying on it.
      </footer>
    </>
  );
}
