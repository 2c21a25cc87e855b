import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Draws the app icon and writes it in every format packaging needs — resources/icon.png (1024 px),
 * resources/icons/NxN.png (Linux), resources/icon.ico (Windows), resources/icon.icns (macOS) — with Node alone:
 * no image tool, no download. Run `npm run icons` after changing the drawing; the outputs are committed.
 *
 * The drawing: a rounded square in CommuniConnect blue, a white speech ring (the chat) and a red dot (on air).
 */
const out = fileURLToPath(new URL('../resources/', import.meta.url));

const BLUE = [37, 99, 235];
const WHITE = [255, 255, 255];
const RED = [239, 68, 68];

/** Colour and coverage of one point in unit coordinates (0..1), or null if outside the icon. */
function shade(x, y) {
  const margin = 0.06;
  const radius = 0.2;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - margin - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - margin - radius), 0);
  if (Math.hypot(qx, qy) > radius) return null;
  const dot = Math.hypot(x - 0.7, y - 0.3);
  if (dot < 0.1) return RED;
  const ring = Math.hypot(x - 0.46, y - 0.54);
  if (ring > 0.19 && ring < 0.28) {
    // A gap on the right makes the ring a "C" (CommuniConnect) rather than an "O".
    const angle = Math.atan2(y - 0.54, x - 0.46);
    if (Math.abs(angle) > 0.6) return WHITE;
  }
  return BLUE;
}

/** RGBA pixels of a size×size icon, 4×4 supersampled so edges are smooth at 16 px too. */
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const offset = (py * size + px) * 4;
      if (a > 0) {
        pixels[offset] = Math.round(r / a);
        pixels[offset + 1] = Math.round(g / a);
        pixels[offset + 2] = Math.round(b / a);
      }
      pixels[offset + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return pixels;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function png(size) {
  const pixels = render(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO with PNG-compressed entries (supported since Windows Vista). */
function ico(images) {
  const header = Buffer.alloc(6 + images.length * 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, index) => {
    const entry = 6 + index * 16;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

/** ICNS with PNG entries: icp4 16, icp5 32, icp6 64, ic07 128, ic08 256, ic09 512, ic10 1024 (512@2x). */
function icns(images) {
  const types = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };
  const entries = images.map(({ size, data }) => {
    const head = Buffer.alloc(8);
    head.write(types[size], 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

const sizes = [16, 32, 48, 64, 128, 256, 512, 1024];
const images = new Map(sizes.map((size) => [size, png(size)]));
mkdirSync(`${out}icons`, { recursive: true });
writeFileSync(`${out}icon.png`, images.get(1024));
for (const size of sizes.filter((s) => s <= 512))
  writeFileSync(`${out}icons/${size}x${size}.png`, images.get(size));
writeFileSync(
  `${out}icon.ico`,
  ico([16, 32, 48, 64, 128, 256].map((size) => ({ size, data: images.get(size) }))),
);
writeFileSync(
  `${out}icon.icns`,
  icns([16, 32, 64, 128, 256, 512, 1024].map((size) => ({ size, data: images.get(size) }))),
);
console.info(`Icons written to ${out}`);
