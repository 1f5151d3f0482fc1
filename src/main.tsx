import { inference } from '@/inference/client';

// Start the inference worker (WebAssembly runtime and models) before anything else: this
// entry is tiny, and the app itself loads as a separate chunk in parallel.
inference.start();

void import('@/app/mount').then((m) => m.mount(document.getElementById('root')!));
