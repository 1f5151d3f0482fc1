/** A typed array that grows by doubling: a million rows cost a few typed arrays, not a million objects. */
export class Growable<
  T extends Float32Array<ArrayBufferLike> | Float64Array<ArrayBufferLike> | Int32Array<ArrayBufferLike> | Int8Array<ArrayBufferLike>,
> {
  length = 0;
  constructor(private buf: T) {}
  private room(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new (this.buf.constructor as new (n: number) => T)(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length) as never);
    this.buf = next;
  }
  push(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }
  pushAll(src: ArrayLike<number>): void {
    this.room(src.length);
    this.buf.set(src as never, this.length);
    this.length += src.length;
  }
  view(): T {
    return this.buf.subarray(0, this.length) as T;
  }
}
