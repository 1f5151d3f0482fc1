// Imported first by a worker entry, for its side effect: the runtime's download starts before the
// rest of the worker (onnxruntime-web and all) is evaluated. See runtime-fetch.ts. Not when the
// worker's name says the page opens on a kept fleet: that list needs no runtime, and its reading
// comes first (load-models.ts starts the download once the read is done).
import { loadFromName } from '@/inference/protocol';
import { prefetchRuntime } from './runtime-fetch';

if (typeof self === 'undefined' || !loadFromName(self.name)?.keptFleet) prefetchRuntime();
