import { errorMessage } from '@/domain/errors';
import { featureRows } from '@/domain/fleet-workspace';
import type { ModelEntry } from '@/domain/manifest';
import type { HistoryScoreRequest, HistoryWork, ScoreReply, ScoreRequest } from '@/inference/protocol';
import type { Engine } from './engine';

/**
 * Helper scorers for batch runs: other inference workers, each with its own onnxruntime
 * session, reached through a MessagePort. The batch worker parses the file and hands a
 * chunk to a helper whenever one has room, scoring the rest itself, so both cores work.
 */

/**
 * Requests a helper may hold at once: one it is scoring and more waiting in its port, so that
 * it never runs dry while the batch worker, which reads replies only between chunks, is busy.
 */
export const HELPER_DEPTH = 3;

/** Something that can score chunks somewhere else (what a batch run uses). */
export interface BatchScorer {
  /** How many more chunks it takes now: 0 while loading, full or broken. */
  room(): number;
  /** P(class 1) per row of a [rows, F] matrix; the matrix is copied, not taken. */
  score(modelId: string, data: Float32Array, rows: number): Promise<Float32Array>;
}

/** A helper worker: batch chunks, and fleet chunks whose features it computes itself. */
export interface Scorer extends BatchScorer {
  /** P(class 1) per position of a fleet chunk, its history features computed there (both cores featurise). */
  scoreHistory(modelId: string, work: HistoryWork): Promise<Float32Array>;
}

type Port = Pick<MessagePort, 'postMessage' | 'start' | 'close'> & {
  onmessage: ((ev: MessageEvent) => void) | null;
};

/** The batch worker's end of a port to one helper: up to HELPER_DEPTH chunks in flight. */
export class PortScorer implements Scorer {
  private ready = false;
  private broken = false;
  private inFlight = new Map<number, { resolve: (p: Float32Array) => void; reject: (e: Error) => void }>();
  private seq = 0;
  /** Rows this helper has scored. */
  rows = 0;

  constructor(
    private readonly port: Port,
    private readonly onReady: () => void = () => undefined,
  ) {
    port.onmessage = (ev: MessageEvent<ScoreReply>) => this.onReply(ev.data);
    port.start();
  }

  /** Stop listening and fail what is in flight (the batch worker scores those chunks itself). */
  close(): void {
    this.port.onmessage = null;
    this.port.close();
    this.broken = true;
    for (const f of this.inFlight.values()) f.reject(new Error('This helper was closed'));
    this.inFlight.clear();
  }

  room(): number {
    return this.ready && !this.broken ? Math.max(0, HELPER_DEPTH - this.inFlight.size) : 0;
  }

  score(modelId: string, data: Float32Array, rows: number): Promise<Float32Array> {
    return this.request((seq) => ({ type: 'score', seq, modelId, data, rows }));
  }

  /** The chunk's arrays are handed over (transferred): build them for this call only. */
  scoreHistory(modelId: string, work: HistoryWork): Promise<Float32Array> {
    const { log, positions } = work;
    return this.request(
      (seq) => ({ type: 'score-history', seq, modelId, ...work }),
      [log.entityStart.buffer, log.day.buffer, log.values.buffer, positions.buffer],
    );
  }

  private request(msg: (seq: number) => ScoreRequest | HistoryScoreRequest, transfer: ArrayBufferLike[] = []): Promise<Float32Array> {
    if (this.room() === 0) return Promise.reject(new Error('This helper takes no more chunks now'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.inFlight.set(seq, { resolve, reject });
      this.port.postMessage(msg(seq), transfer as Transferable[]);
    });
  }

  private onReply(r: ScoreReply): void {
    if (r.type === 'ready') {
      this.ready = true;
      this.onReady();
      return;
    }
    const f = this.inFlight.get(r.seq);
    if (!f) return;
    this.inFlight.delete(r.seq);
    if (r.type === 'scored') {
      this.rows += r.p1.length;
      f.resolve(r.p1);
    } else {
      // A helper that failed once is not asked again; the batch worker scores its chunks itself.
      this.broken = true;
      f.reject(new Error(r.message));
      for (const other of this.inFlight.values()) other.reject(new Error(r.message));
      this.inFlight.clear();
    }
  }
}

/**
 * The helper's end: answer score requests with this worker's engine once `engine` resolves.
 * Returns a function that stops serving (removes the listener and closes the port).
 */
export function serveScores(port: Port, engine: Promise<Engine>, model: (id: string) => ModelEntry): () => void {
  let stopped = false;
  port.onmessage = async (ev: MessageEvent<ScoreRequest | HistoryScoreRequest>) => {
    const r = ev.data;
    try {
      const [data, rows] =
        r.type === 'score' ? [r.data, r.rows] : [featureRows(r.spec, r.inputs, r.log, r.positions, r.featureIndex), r.positions.length];
      const p = await (await engine).runMatrix(model(r.modelId), data, rows);
      const reply: ScoreReply = { type: 'scored', seq: r.seq, p1: p.p1 };
      port.postMessage(reply, [p.p1.buffer]);
    } catch (e) {
      const reply: ScoreReply = { type: 'score-error', seq: r.seq, message: errorMessage(e) };
      port.postMessage(reply);
    }
  };
  port.start();
  void engine.then(
    () => {
      if (!stopped) port.postMessage({ type: 'ready' } satisfies ScoreReply);
    },
    () => undefined, // never ready: the batch worker simply never uses this helper
  );
  return () => {
    stopped = true;
    port.onmessage = null;
    port.close();
  };
}
