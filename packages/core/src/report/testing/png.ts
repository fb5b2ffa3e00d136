/**
 * A tiny PNG reader (8-bit RGB/RGBA/grey, non-interlaced — what Chromium
 * writes), enough to check that a screenshot is not blank.
 */
import { inflateSync } from "node:zlib";

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** Unfiltered pixel bytes, row after row. */
  readonly pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const decodePng = (file: Buffer): DecodedPng => {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString("latin1", offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      const interlace = data[12];
      if (depth !== 8 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : colour === 2 ? 3 : colour === 0 ? 1 : colour === 4 ? 2 : 0;
      if (channels === 0) throw new Error(`unsupported PNG colour type ${colour}`);
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "IEND") {
      break;
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[dst + x - channels]! : 0;
      const b = y > 0 ? pixels[dst - stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[dst - stride + x - channels]! : 0;
      const value = raw[src + x]!;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = a;
          break;
        case 2:
          predicted = b;
          break;
        case 3:
          predicted = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      pixels[dst + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels };
};

export interface PixelStats {
  /** Distinct colours (RGB, capped at 10,000). */
  readonly colours: number;
  /** Variance of luminance over all pixels. */
  readonly lumaVariance: number;
  /** Share of pixels that differ from the most common colour. */
  readonly nonBackground: number;
}

export const pixelStats = (png: DecodedPng): PixelStats => {
  const counts = new Map<number, number>();
  let sum = 0;
  let sumSq = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const p = i * png.channels;
    const r = png.pixels[p]!;
    const g = png.channels >= 3 ? png.pixels[p + 1]! : r;
    const b = png.channels >= 3 ? png.pixels[p + 2]! : r;
    const key = (r << 16) | (g << 8) | b;
    if (counts.size < 10_000 || counts.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
    const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += luma;
    sumSq += luma * luma;
  }
  const mean = sum / n;
  const top = Math.max(...counts.values());
  return { colours: counts.size, lumaVariance: sumSq / n - mean * mean, nonBackground: 1 - top / n };
};

/** Luminance-variance of a rectangle, to look for content in one region. */
export const regionHasContent = (png: DecodedPng, x0: number, y0: number, x1: number, y1: number): boolean => {
  const seen = new Set<number>();
  for (let y = y0; y < Math.min(y1, png.height); y++) {
    for (let x = x0; x < Math.min(x1, png.width); x++) {
      const p = (y * png.width + x) * png.channels;
      seen.add((png.pixels[p]! << 16) | (png.pixels[p + 1]! << 8) | png.pixels[p + 2]!);
      if (seen.size > 3) return true;
    }
  }
  return false;
};
