import { describe, expect, it } from 'vitest';
import { InferenceClient } from './client';
import type { ToWorker } from './protocol';

class FakeWorker {
  sent: { msg: ToWorker; transfer: Transferable[] }[] = [];
  addEventListener() {}
  removeEventListener() {}
  postMessage(msg: ToWorker, transfer: Transferable[] = []) {
    this.sent.push({ msg, transfer });
  }
}

describe('InferenceClient: the runtime download started by the page', () => {
  it('hands the stream to the main worker once, transferred with the load message', () => {
    const main = new FakeWorker();
    const helper = new FakeWorker();
    const workers = [main, helper];
    let opened = 0;
    const stream = new ReadableStream<Uint8Array>();
    const client = new InferenceClient(
      () => workers.shift() as unknown as Worker,
      'http://x/models/manifest.core.json',
      () => {
        opened++;
        return stream;
      },
    );
    client.start();
    client.start();
    client.startHelpers(1);
    expect(opened).toBe(1);
    expect(main.sent[0]).toEqual({ msg: { type: 'load', manifestUrl: 'http://x/models/manifest.core.json', runtime: stream }, transfer: [stream] });
    // A helper loads the same slim manifest and downloads its own copy of the runtime (it
    // starts later, when a batch view opens, so the cache usually has it by then).
    expect(helper.sent[0]!.msg).toEqual({ type: 'serve', manifestUrl: 'http://x/models/manifest.core.json', port: expect.any(MessagePort) });
    expect(main.sent.map((s) => s.msg.type)).toEqual(['load', 'attach-helper']);
  });

  it('sends a plain load message when the page has no stream to give', () => {
    const w = new FakeWorker();
    new InferenceClient(
      () => w as unknown as Worker,
      'm.json',
      () => null,
    ).start();
    expect(w.sent).toEqual([{ msg: { type: 'load', manifestUrl: 'm.json' }, transfer: [] }]);
  });
});
