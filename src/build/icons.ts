import { deflateSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * The app's icons, drawn from one geometry (a pulse line on the brand colour) as SVG and as
 * the PNG sizes installable web apps need (192 and 512, plus maskable ones whose drawing
 * stays inside the central safe circle). Rendered at build time by a small rasteriser and
 * PNG encoder below, so no binary is committed and nothing is downloaded.
 */

const BOX = 512;
const BRAND = [0x1d, 0x4e, 0x89] as const;
const CORNER = 96;
const STROKE = 36;
/** The pulse line, in a 512 box. */
const PULSE: readonly (readonly [number, number])[] = [
  [96, 272],
  [176, 272],
  [208, 192],
  [256, 352],
  [296, 152],
  [328, 272],
  [416, 272],
];

export type IconKind = 'any' | 'maskable';

/** Maskable icons are cropped to a circle of 80% of the size: the drawing shrinks into it. */
const glyphScale = (kind: IconKind) => (kind === 'maskable' ? 0.8 : 1);

function points(kind: IconKind): [number, number][] {
  const s = glyphScale(kind);
  return PULSE.map(([x, y]) => [BOX / 2 + (x - BOX / 2) * s, BOX / 2 + (y - BOX / 2) * s]);
}

export function iconSvg(kind: IconKind = 'any'): string {
  const rx = kind === 'maskable' ? 0 : CORNER;
  const pts = points(kind)
    .map(([x, y]) => `${x},${y}`)
    .join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${BOX} ${BOX}">` +
    `<rect width="${BOX}" height="${BOX}" rx="${rx}" fill="#${BRAND.map((c) => c.toString(16).padStart(2, '0')).join('')}"/>` +
    `<polyline points="${pts}" fill="none" stroke="#fff" stroke-width="${STROKE * glyphScale(kind)}" stroke-linecap="round" stroke-linejoin="round"/>` +
    `</svg>\n`
  );
}

function segmentDistance(px: number, py: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Signed distance to the (rounded) square: negative inside. */
function boxDistance(x: number, y: number, r: number): number {
  const qx = Math.abs(x - BOX / 2) - (BOX / 2 - r);
  const qy = Math.abs(y - BOX / 2) - (BOX / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function lineDistance(x: number, y: number, pts: [number, number][]): number {
  let d = Infinity;
  for (let i = 1; i < pts.length; i++) d = Math.min(d, segmentDistance(x, y, pts[i - 1]!, pts[i]!));
  return d;
}

/** RGBA pixels of the icon at size x size; pixels on an edge get 4 x 4 samples, for smooth edges. */
export function drawIcon(size: number, kind: IconKind): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const pts = points(kind);
  const half = (STROKE * glyphScale(kind)) / 2;
  const radius = kind === 'maskable' ? 0 : CORNER;
  const unit = BOX / size;
  const n = 4;
  const sample = (x: number, y: number): [number, number] => {
    if (boxDistance(x, y, radius) > 0) return [0, 0];
    return [1, lineDistance(x, y, pts) <= half ? 1 : 0];
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const cx = (px + 0.5) * unit;
      const cy = (py + 0.5) * unit;
      let bg = 0;
      let line = 0;
      // Far from every edge (more than the pixel's half diagonal), the centre decides.
      if (Math.abs(boxDistance(cx, cy, radius)) > unit && Math.abs(lineDistance(cx, cy, pts) - half) > unit) {
        const [b, l] = sample(cx, cy);
        bg = b * n * n;
        line = l * n * n;
      } else {
        for (let sy = 0; sy < n; sy++) {
          for (let sx = 0; sx < n; sx++) {
            const [b, l] = sample((px + (sx + 0.5) / n) * unit, (py + (sy + 0.5) / n) * unit);
            bg += b;
            line += l;
          }
        }
      }
      const o = (py * size + px) * 4;
      // Colour: brand blended with white by the line's share of the covered samples.
      const w = bg === 0 ? 0 : line / bg;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(BRAND[c]! * (1 - w) + 255 * w);
      rgba[o + 3] = Math.round((255 * bg) / (n * n));
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A truecolour-with-alpha, 8-bit PNG (no filtering: these images are small). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Every icon file, by path under the site root; the web manifest lists the same ones. */
export function iconFiles(): Map<string, { type: string; sizes: string; purpose?: IconKind; bytes: () => Buffer | string }> {
  const png = (size: number, kind: IconKind) => () => encodePng(size, size, drawIcon(size, kind));
  return new Map([
    ['icons/icon.svg', { type: 'image/svg+xml', sizes: 'any', bytes: () => iconSvg('any') }],
    ['icons/icon-192.png', { type: 'image/png', sizes: '192x192', bytes: png(192, 'any') }],
    ['icons/icon-512.png', { type: 'image/png', sizes: '512x512', bytes: png(512, 'any') }],
    ['icons/maskable-192.png', { type: 'image/png', sizes: '192x192', purpose: 'maskable', bytes: png(192, 'maskable') }],
    ['icons/maskable-512.png', { type: 'image/png', sizes: '512x512', purpose: 'maskable', bytes: png(512, 'maskable') }],
  ]);
}

/** The web manifest's `icons` entries. */
export function manifestIcons(): { src: string; sizes: string; type: string; purpose?: string }[] {
  return [...iconFiles()].map(([src, f]) => ({ src, sizes: f.sizes, type: f.type, ...(f.purpose ? { purpose: f.purpose } : {}) }));
}

/** Emits the icons into the build and serves them from the dev server. */
export function appIcons(): Plugin {
  const files = iconFiles();
  return {
    name: 'prognos-icons',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0]?.replace(/^\/+/, '') ?? '';
        const f = files.get(path);
        if (!f) return next();
        res.setHeader('content-type', f.type);
        res.end(f.bytes());
      });
    },
    generateBundle() {
      for (const [fileName, f] of files) this.emitFile({ type: 'asset', fileName, source: f.bytes() });
    },
  };
}
