import * as fs from 'node:fs';
import * as path from 'node:path';
import { MissingGlyphError } from './missing-glyph.error';

/**
 * Union of the cmaps of the font files the stacks use, read once at start-up. Checking
 * the text against the fonts' own tables is exact, unlike canvas measuring, and cheap.
 */
export class GlyphCoverage {
  private readonly bits = new Uint8Array(0x110000 >> 3);

  static fromDir(dir: string): GlyphCoverage {
    const files = fs.readdirSync(dir).filter((f) => /\.(ttf|otf)$/i.test(f));
    if (!files.length) throw new Error(`字体目录 ${dir} 中没有字体文件，请先运行 scripts/fonts-install.sh`);
    const cov = new GlyphCoverage();
    for (const f of files) cov.addFont(path.join(dir, f));
    return cov;
  }

  has(cp: number): boolean {
    return (this.bits[cp >> 3] & (1 << (cp & 7))) !== 0;
  }

  /** Throws MissingGlyphError listing each uncovered character once, with the fields it appears in. */
  check(texts: { field: string; text: string }[]): void {
    const missing = new Map<string, Set<string>>();
    for (const { field, text } of texts) {
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp < 0x20 || ch === ' ' || ch === '\u00a0' || this.has(cp)) continue;
        if (!missing.has(ch)) missing.set(ch, new Set());
        missing.get(ch)!.add(field);
      }
    }
    if (missing.size) {
      const fields = new Set<string>();
      missing.forEach((f) => f.forEach((x) => fields.add(x)));
      throw new MissingGlyphError([...missing.keys()], [...fields]);
    }
  }

  private set(cp: number): void {
    this.bits[cp >> 3] |= 1 << (cp & 7);
  }

  private addFont(file: string): void {
    const fd = fs.openSync(file, 'r');
    try {
      const read = (pos: number, len: number) => {
        const b = Buffer.alloc(len);
        fs.readSync(fd, b, 0, len, pos);
        return b;
      };
      const head = read(0, 12);
      const numTables = head.readUInt16BE(4);
      const dir = read(12, numTables * 16);
      for (let i = 0; i < numTables; i++) {
        if (dir.toString('latin1', i * 16, i * 16 + 4) !== 'cmap') continue;
        this.addCmap(read(dir.readUInt32BE(i * 16 + 8), dir.readUInt32BE(i * 16 + 12)));
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private addCmap(t: Buffer): void {
    const n = t.readUInt16BE(2);
    for (let i = 0; i < n; i++) {
      const platform = t.readUInt16BE(4 + i * 8);
      const encoding = t.readUInt16BE(6 + i * 8);
      const off = t.readUInt32BE(8 + i * 8);
      const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
      if (!unicode) continue;
      const format = t.readUInt16BE(off);
      if (format === 4) this.format4(t, off);
      else if (format === 12) this.format12(t, off);
    }
  }

  private format4(t: Buffer, off: number): void {
    const segX2 = t.readUInt16BE(off + 6);
    const ends = off + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = t.readUInt16BE(ends + s);
      const start = t.readUInt16BE(starts + s);
      const delta = t.readInt16BE(deltas + s);
      const rangeOff = t.readUInt16BE(ranges + s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOff === 0) glyph = (c + delta) & 0xffff;
        else {
          const g = t.readUInt16BE(ranges + s + rangeOff + (c - start) * 2);
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph !== 0) this.set(c);
      }
    }
  }

  private format12(t: Buffer, off: number): void {
    const groups = t.readUInt32BE(off + 12);
    for (let g = 0; g < groups; g++) {
      const p = off + 16 + g * 12;
      const start = t.readUInt32BE(p);
      const end = t.readUInt32BE(p + 4);
      const glyph = t.readUInt32BE(p + 8);
      for (let c = start; c <= end && c < 0x110000; c++) if (glyph + (c - start) !== 0) this.set(c);
    }
  }
}

/** Every text field of the model with its path, for the glyph check (the seal is an image). */
export function collectTexts(value: unknown, pathPrefix = ''): { field: string; text: string }[] {
  if (typeof value === 'string') return [{ field: pathPrefix, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => collectTexts(v, `${pathPrefix}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === 'seal' ? [] : collectTexts(v, pathPrefix ? `${pathPrefix}.${k}` : k)));
  }
  return [];
}
