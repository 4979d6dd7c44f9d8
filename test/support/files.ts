/** Real, tiny files of the types the app accepts (uploads are checked by their content), and a received upload for services. */
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { ReceivedFile } from '../../apps/server/src/files/upload-interceptor';

/** A 2×2 PNG whose pixels carry `seed` (so each call with another seed is another file). */
export function tinyPng(seed = 0): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (seed * 31 + i * 7) & 0xff;
  return PNG.sync.write(png);
}

/** A one-page PDF that readers open (header, catalog, pages, a page, cross-reference table, trailer); `note` makes it unique. */
export function minimalPdf(note = ''): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    `<< /Title (${Buffer.from(note, 'utf8').toString('hex')}) >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** An upload as the upload interceptor hands it to FilesService.store: written to a temporary file, hashed. */
export function receivedFile(bytes: Buffer, name: string, mimeType: string): ReceivedFile {
  const path = join(tmpdir(), `dangjian-test-upload-${randomUUID()}`);
  writeFileSync(path, bytes);
  return { name, mimeType, path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
