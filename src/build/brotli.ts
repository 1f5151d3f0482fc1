import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';

const compress = promisify(brotliCompress);

/**
 * Brotli at its best quality (11), remembered by content hash: the 14 MB WebAssembly
 * runtime takes about 30 s at quality 11 (2.35 MB; quality 9 gives 2.69 MB) and it changes
 * only with onnxruntime-web, so later builds reuse the result.
 */
export function cachedBrotli(cacheDir: string) {
  return async (input: unknown): Promise<Buffer> => {
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input as Uint8Array);
    const key = createHash('sha256').update(buf).digest('hex');
    const file = join(cacheDir, `${key}.br`);
    if (existsSync(file)) return readFileSync(file);
    const out = await compress(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, out);
    return out;
  };
}
