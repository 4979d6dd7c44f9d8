import * as fs from 'node:fs';
import * as path from 'node:path';
import subsetFont from 'subset-font';

const KEEP_IN_MEMORY = 8 << 20;

export interface FontFile {
  file: string;
  postscriptName: string;
  family: string;
}

/** name-table strings of an SFNT font (platform 3 UTF-16BE, else platform 1 Latin-1), read from the file's head only. */
function readNames(file: string): Map<number, string> {
  const names = new Map<number, string>();
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(12 + 16 * 64);
    fs.readSync(fd, head, 0, head.length, 0);
    const numTables = head.readUInt16BE(4);
    let offset = -1;
    let length = 0;
    for (let i = 0; i < Math.min(numTables, 64); i++) {
      const rec = 12 + i * 16;
      if (head.toString('latin1', rec, rec + 4) === 'name') {
        offset = head.readUInt32BE(rec + 8);
        length = head.readUInt32BE(rec + 12);
      }
    }
    if (offset < 0) return names;
    const t = Buffer.alloc(length);
    fs.readSync(fd, t, 0, length, offset);
    const count = t.readUInt16BE(2);
    const strings = t.readUInt16BE(4);
    for (let i = 0; i < count; i++) {
      const r = 6 + i * 12;
      const platform = t.readUInt16BE(r);
      const nameId = t.readUInt16BE(r + 6);
      const len = t.readUInt16BE(r + 8);
      const off = strings + t.readUInt16BE(r + 10);
      if (platform === 3) {
        const s = t.subarray(off, off + len);
        const le = Buffer.alloc(s.length);
        for (let j = 0; j + 1 < s.length; j += 2) {
          le[j] = s[j + 1];
          le[j + 1] = s[j];
        }
        names.set(nameId, le.toString('utf16le'));
      } else if (platform === 1 && !names.has(nameId)) names.set(nameId, t.toString('latin1', off, off + len));
    }
  } finally {
    fs.closeSync(fd);
  }
  return names;
}

/**
 * The installed font files of a folder by PostScript name (what a PDF names its embedded fonts by), read once,
 * and subsets of them for embedding: only the characters a document uses (hb-subset through subset-font).
 */
export class FontLibrary {
  private byName?: Map<string, FontFile>;
  private readonly bytes = new Map<string, Promise<Buffer>>();

  /** `dirs` in order of preference, each searched with its subfolders (the first file with a name wins). */
  constructor(private readonly dirs: string[]) {}

  find(postscriptName: string): FontFile | undefined {
    this.byName ??= this.scan();
    return this.byName.get(postscriptName);
  }

  /** A TrueType subset of the font holding `text`'s characters. The GB 2312 subsets stay in memory; full CJK fonts (20–30 MB) are read each time. */
  async subset(font: FontFile, text: string): Promise<Buffer> {
    let bytes = this.bytes.get(font.file);
    if (!bytes) {
      bytes = fs.promises.readFile(font.file);
      if (fs.statSync(font.file).size <= KEEP_IN_MEMORY) this.bytes.set(font.file, bytes);
    }
    return subsetFont(await bytes, text, { targetFormat: 'truetype' });
  }

  private scan(): Map<string, FontFile> {
    const map = new Map<string, FontFile>();
    const files = (dir: string, depth: number): string[] => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return [];
      }
      return entries.flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return depth > 0 && !e.name.startsWith('.') ? files(p, depth - 1) : [];
        return /\.(ttf|otf)$/i.test(e.name) ? [p] : [];
      });
    };
    for (const dir of this.dirs) {
      for (const file of files(dir, 4)) {
        const f = path.basename(file);
        try {
          const names = readNames(file);
          const ps = names.get(6) ?? path.basename(f).replace(/\.[^.]+$/, '');
          if (!map.has(ps)) map.set(ps, { file, postscriptName: ps, family: names.get(16) ?? names.get(1) ?? ps });
        } catch {
          /* not a readable SFNT font: skipped */
        }
      }
    }
    return map;
  }
}
