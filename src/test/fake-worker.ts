// Test-only: a stand-in for the inference worker and the helpers the client's tests share
// (client.test.ts, client-batch.test.ts).
import type { Manifest } from '@/domain/manifest';
import type { BatchEvent } from '@/inference/batch-session';
import { InferenceClient } from '@/inference/client';
import type { BatchProgress, FromWorker, ToHelper, ToWorker } from '@/inference/protocol';

/** A stand-in for a worker: records what the client sends and its listeners, and lets the test answer. */
export class FakeWorker {
  sent: (ToWorker | ToHelper)[] = [];
  transferred: Transferable[][] = [];
  listeners = new Map<string, Set<(ev: never) => void>>();
  terminated = false;
  addEventListener(type: string, fn: (ev: never) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: (ev: never) => void) {
    this.listeners.get(type)?.delete(fn);
  }
  listenerCount() {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
  terminate() {
    this.terminated = true;
  }
  postMessage(msg: ToWorker | ToHelper, transfer: Transferable[] = []) {
    this.sent.push(msg);
    this.transferred.push(transfer);
  }
  reply(msg: FromWorker) {
    for (const fn of this.listeners.get('message') ?? []) fn({ data: msg } as never);
  }
}

export function progress(rows: number): BatchProgress {
  return {
    rowsRead: rows,
    rowsScored: rows,
    rowsRejected: 0,
    bytesRead: rows,
    totalBytes: 100,
    elapsedMs: 1,
    parseMs: 0,
    scoreMs: 0,
    waitMs: 0,
    helperRows: 0,
  };
}

/** The id of the last batch the client asked the worker for. */
export function batchId(fake: FakeWorker): number {
  const m = fake.sent.filter((x) => x.type === 'batch').at(-1);
  if (m?.type !== 'batch') throw new Error('no batch sent');
  return m.id;
}

export async function collect(session: AsyncIterable<BatchEvent>): Promise<BatchEvent[]> {
  const out: BatchEvent[] = [];
  for await (const ev of session) out.push(ev);
  return out;
}

export function setup() {
  const fake = new FakeWorker();
  let created = 0;
  const client = new InferenceClient(() => {
    created++;
    return fake as unknown as Worker;
  }, 'http://x/models/manifest.json');
  return { fake, client, created: () => created };
}

export const manifest = { schema_version: 1, models: [] } as unknown as Manifest;

/** An AbortSignal that counts its listeners, to prove that the client removes what it adds. */
export function countingSignal() {
  const ac = new AbortController();
  let listeners = 0;
  const signal = ac.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
  return { ac, signal, listeners: () => listeners };
}
