import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { PdfPageContent, pdfContentWorkerMain, WorkerRequest, WorkerResponse } from './pdf-content.worker';

export type { PdfGlyph, PdfImage, PdfItem, PdfPageContent, PdfPath } from './pdf-content.worker';

/**
 * Reads the pages of a PDF (glyphs, paths, images with their positions) in one long-lived worker thread running
 * pdf.js. Requests queue in the worker; the thread does not keep the process alive and is restarted after a crash.
 */
export class PdfContentReader {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (p: PdfPageContent[]) => void; reject: (e: Error) => void }>();

  read(pdf: Buffer): Promise<PdfPageContent[]> {
    const worker = this.ensure();
    const id = this.nextId++;
    // a copy: the caller keeps its buffer, the worker owns (and pdf.js detaches) this one
    const bytes = new Uint8Array(pdf);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, pdf: bytes } satisfies WorkerRequest, [bytes.buffer]);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const pdfjs = pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
    const source =
      `const { parentPort } = require('node:worker_threads');\n` +
      `import(${JSON.stringify(pdfjs)}).then((pdfjs) => (${pdfContentWorkerMain.toString()})(pdfjs, parentPort));`;
    const worker = new Worker(source, { eval: true });
    worker.unref();
    worker.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) worker.unref();
      if (m.error) p.reject(new Error(`PDF 内容读取失败：${m.error}`));
      else p.resolve(m.pages!);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`PDF 内容读取进程意外退出（${code}）`)));
    this.worker = worker;
    return worker;
  }
}
