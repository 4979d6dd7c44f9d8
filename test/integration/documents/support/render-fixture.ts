import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentModel, validateDocumentModel } from '../../../../apps/server/src/documents/model';
import { DocumentRenderer } from '../../../../apps/server/src/documents/render';
import { chromePath } from './chrome-path';

export const ARTIFACTS = path.resolve(__dirname, '../../../../artifacts/documents');

export function startRenderer(concurrency = 2): Promise<DocumentRenderer> {
  const r = new DocumentRenderer({ chromePath: chromePath(), concurrency, timeoutMs: 30_000 });
  return r.start().then(() => r);
}

/** Validates the sample (so fixtures cannot drift from the model), renders, and keeps the PDF under artifacts/. */
export async function renderToFile(r: DocumentRenderer, model: DocumentModel, name: string): Promise<string> {
  const v = validateDocumentModel(JSON.parse(JSON.stringify(model)));
  if (!v.ok) throw new Error(`fixture ${name} is invalid: ${JSON.stringify(v.errors)}`);
  const pdf = await r.renderPdf(v.model);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}

export const png = (name: string, page: number) => path.join(ARTIFACTS, `${name}-p${page}.png`);
