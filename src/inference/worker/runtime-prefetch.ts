// Imported first by a worker entry, for its side effect: the runtime's download starts before the
// rest of the worker (onnxruntime-web and all) is evaluated. See runtime-fetch.ts.
import { prefetchRuntime } from './runtime-fetch';

prefetchRuntime();
