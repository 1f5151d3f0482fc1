// Memory while a bench run goes on: the peak JS heap of the page and its workers, and the peak
// resident memory of the browser's renderers. Used by the batch, fleet and workspace parts.
import { readFileSync } from 'node:fs';

/** How often the heap sampler asks the page and each worker. */
export const HEAP_POLL_MS = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Peak JS heap while a run goes on: the page's main thread (Performance.getMetrics
 * JSHeapUsedSize) and the inference workers' isolates, summed (Runtime.getHeapUsage through a
 * non-flattened auto-attach: Playwright's own CDP session cannot address child sessions).
 */
export async function heapSampler(page) {
  const cdp = await page.context().newCDPSession(page);
  const workerSessions = new Set();
  const pending = new Map();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workerSessions.add(e.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (e) => workerSessions.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    pending.get(m.id)?.(m.result ?? null);
    pending.delete(m.id);
  });
  await cdp.send('Performance.enable');
  let workerOk = true;
  try {
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  } catch {
    workerOk = false;
  }
  const workerHeap = async () => {
    let used = 0;
    for (const sessionId of workerSessions) {
      const id = nextId++;
      const answer = new Promise((r) => {
        pending.set(id, r);
        setTimeout(() => r(null), 1000);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => null);
      const res = await answer;
      if (res) used += res.usedSize;
    }
    return used;
  };
  const peak = { page: 0, worker: 0, samples: 0 };
  let running = false;
  let loop = null;
  return {
    workerOk: () => workerOk && workerSessions.size > 0,
    start() {
      running = true;
      loop = (async () => {
        while (running) {
          const [m, w] = await Promise.all([cdp.send('Performance.getMetrics').catch(() => null), workerHeap().catch(() => 0)]);
          const pageUsed = m?.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0;
          peak.page = Math.max(peak.page, pageUsed);
          peak.worker = Math.max(peak.worker, w);
          peak.samples++;
          await sleep(HEAP_POLL_MS);
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      await cdp.detach().catch(() => {});
      return peak;
    },
  };
}

/** Peak resident memory (VmHWM) of each renderer process of this browser, largest first. */
export async function rendererPeaks(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    const out = [];
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
        if (m) out.push(Number(m[1]) * 1024);
      } catch {
        /* process gone or not on this machine's /proc */
      }
    }
    return out.sort((a, b) => b - a);
  } finally {
    await cdp.detach().catch(() => {});
  }
}
