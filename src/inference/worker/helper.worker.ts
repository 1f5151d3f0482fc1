/// <reference lib="webworker" />
// First, for its side effect: the runtime's download starts before anything else is evaluated.
import './runtime-prefetch';
import type { ToHelper } from '@/inference/protocol';
import { loadModels, warmUp, type LoadedModels } from './load-models';
import { serveScores } from './scorers';

/**
 * A helper worker: its own runtime and models, scoring batch chunks for the inference worker
 * on the port it is given (scorers.ts). It never talks to the page after its one message; a
 * helper that fails to load is simply never used.
 */
declare const self: DedicatedWorkerGlobalScope;

function onMessage(ev: MessageEvent<ToHelper>): void {
  const msg = ev.data;
  if (msg.type !== 'serve') return;
  // One port per helper for its lifetime: stop listening to the page once served.
  self.removeEventListener('message', onMessage);
  // Ready only once warmed up, so its first chunks already run on optimised code.
  let loaded: LoadedModels | null = null;
  const models = loadModels(msg.manifestUrl)
    .then(warmUp)
    .then((m) => (loaded = m));
  // serveScores looks a model up only after the engine has resolved, i.e. once `loaded` is set.
  serveScores(
    msg.port,
    models.then((m) => m.engine),
    (id) => {
      if (!loaded) throw new Error(`Model "${id}" asked for before the models loaded`);
      return loaded.model(id);
    },
  );
}

self.addEventListener('message', onMessage);
