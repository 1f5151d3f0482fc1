import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, drawIcon, encodePng, iconFiles, iconSvg, manifestIcons } from './icons';

/** A minimal PNG reader for what encodePng writes: chunks with checked CRCs, then the pixels. */
function readPng(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < png.length;) {
    const len = png.readUInt32BE(o);
    const type = png.subarray(o + 4, o + 8).toString('latin1');
    const data = png.subarray(o + 8, o + 8 + len);
    expect(png.readUInt32BE(o + 8 + len)).toBe(crc32(png.subarray(o + 4, o + 8 + len)));
    chunks.push({ type, data });
    o += 12 + len;
  }
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect([...ihdr.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  const raw = inflateSync(chunks[1]!.data);
  expect(raw.length).toBe((width * 4 + 1) * height);
  const pixel = (x: number, y: number) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)];
  return { width, height, pixel };
}

describe('icons', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('encodes a PNG that decodes back to the same pixels', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const { width, height, pixel } = readPng(encodePng(2, 2, rgba));
    expect([width, height]).toEqual([2, 2]);
    expect([pixel(0, 0), pixel(1, 0), pixel(0, 1), pixel(1, 1)]).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 128],
      [0, 0, 255, 0],
      [1, 2, 3, 4],
    ]);
  });

  it('draws the brand square with the white pulse line; rounded corners are transparent, maskable ones are not', () => {
    const any = drawIcon(64, 'any');
    const mask = drawIcon(64, 'maskable');
    const at = (img: Uint8Array, x: number, y: number) => [...img.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4)];
    expect(at(any, 0, 0)[3]).toBe(0);
    expect(at(mask, 0, 0)).toEqual([0x1d, 0x4e, 0x89, 255]);
    // On the flat start of the line (x 96..176 of 512, y 272) and well away from it.
    expect(at(any, 17, 34)).toEqual([255, 255, 255, 255]);
    expect(at(any, 32, 10)).toEqual([0x1d, 0x4e, 0x89, 255]);
  });

  it("keeps a maskable icon's drawing inside the central safe circle (radius 40% of the size)", () => {
    const size = 128;
    const img = drawIcon(size, 'maskable');
    let white = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const o = (y * size + x) * 4;
        if (img[o]! === 0x1d && img[o + 1]! === 0x4e) continue;
        white++;
        expect(Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2)).toBeLessThanOrEqual(0.4 * size);
      }
    }
    expect(white).toBeGreaterThan(100);
  });

  it('lists every file in the web manifest with the size it has', () => {
    for (const [path, f] of iconFiles()) {
      const bytes = f.bytes();
      if (f.type === 'image/svg+xml') {
        expect(bytes.toString()).toBe(iconSvg('any'));
        continue;
      }
      const { width, height } = readPng(bytes as Buffer);
      expect(`${width}x${height}`, path).toBe(f.sizes);
    }
    expect(
      manifestIcons()
        .filter((i) => i.purpose === 'maskable')
        .map((i) => i.sizes),
    ).toEqual(['192x192', '512x512']);
  });
});
