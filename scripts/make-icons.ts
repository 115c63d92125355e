/**
 * Draws the Teams app icons without an image library: a 192×192 colour icon (a white house on the
 * brand colour) and a 32×32 outline icon (white on transparent, as Teams requires). Run once with
 * `npx tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A house in unit coordinates (0..1): a roof triangle over a body with a door. */
function inHouse(u: number, v: number): boolean {
  const roof = v >= 0.2 && v <= 0.5 && Math.abs(u - 0.5) <= (v - 0.2) * (0.3 / 0.3);
  const body = v > 0.5 && v <= 0.82 && u >= 0.28 && u <= 0.72;
  const door = v > 0.62 && u >= 0.45 && u <= 0.55;
  return (roof || body) && !door;
}

const WHITE: Rgba = [255, 255, 255, 255];
const BRAND: Rgba = [0x1f, 0x6f, 0x8b, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

writeFileSync('manifest/color.png', png(192, (x, y) => (inHouse(x / 192, y / 192) ? WHITE : BRAND)));
writeFileSync('manifest/outline.png', png(32, (x, y) => (inHouse((x + 0.5) / 32, (y + 0.5) / 32) ? WHITE : CLEAR)));
process.stdout.write('manifest/color.png (192×192) och manifest/outline.png (32×32) skrivna\n');
