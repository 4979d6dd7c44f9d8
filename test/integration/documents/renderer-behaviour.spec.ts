import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { DocumentModel } from '../../../apps/server/src/documents/model';
import { DocumentRenderer, MissingGlyphError, RenderTimeoutError } from '../../../apps/server/src/documents/render';
import { linesOf, pdffonts, readPdfText } from './support/pdf-probe';
import { chromePath } from './support/chrome-path';
import { renderToFile, startRenderer } from './support/render-fixture';
import { twoPageDirective } from './sample-documents';

// jest.config.js sets testTimeout inside the project, where Jest ignores it; rasterising needs more than 5 s on a slow machine.
jest.setTimeout(60_000);

const TRANSPARENT_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('DocumentRenderer behaviour', () => {
  let renderer: DocumentRenderer;
  beforeAll(async () => {
    renderer = await startRenderer(2);
  });
  afterAll(() => renderer?.close());

  it('refuses a character no font has, naming it and its field, instead of drawing an empty box', async () => {
    const extG = String.fromCodePoint(0x30000); // CJK Extension G: none of the stand-ins covers it
    const model = { ...twoPageDirective(), title: `关于${extG}村党支部的通知`, addressee: '各村党支部\u0378' } as DocumentModel;
    const err = await renderer.renderPdf(model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingGlyphError);
    const e = err as MissingGlyphError;
    expect(e.characters).toEqual([extG, '\u0378']);
    expect(e.fields).toEqual(['title', 'addressee']);
    expect(e.message).toContain('U+30000');
    expect(e.message).toContain('U+0378');
    expect(e.message).toMatch(/^公文字体缺少以下字符的字形/);
    await expect(renderer.renderHtml(model)).rejects.toBeInstanceOf(MissingGlyphError);
  });

  it('accepts rare but covered characters (生僻字 in GB 18030 that the fonts have)', async () => {
    const model = { ...twoPageDirective(), addressee: '䶮村、堃村、喆村党支部' } as DocumentModel;
    const file = await renderToFile(renderer, model, 'rare-characters');
    // not in GB 2312, so printed from a full font that follows the fast subset in the stack (Fandol or Noto Serif)
    expect(linesOf(readPdfText(file)[0]).map((l) => l.text)).toContain('䶮村、堃村、喆村党支部：');
    const names = pdffonts(file).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names.some((n) => /^GW(FangSong|SongTi)-Regular$/.test(n))).toBe(true);
  });

  it('renders documents concurrently on reused pages without mixing their contents', async () => {
    const models = Array.from({ length: 6 }, (_, i) => ({ ...twoPageDirective(), title: `关于第${i + 1}批村级党组织整顿工作的通知` }) as DocumentModel);
    const files = await Promise.all(models.map((m, i) => renderToFile(renderer, m, `concurrent-${i + 1}`)));
    files.forEach((f, i) => {
      const text = linesOf(readPdfText(f)[0])
        .map((l) => l.text)
        .join('');
      expect(text).toContain(`关于第${i + 1}批村级党组织整顿工作的通知`);
      for (let j = 1; j <= 6; j++) if (j !== i + 1) expect(text).not.toContain(`第${j}批`);
    });
  });

  it('fetches nothing a document names: an external seal image is refused, not requested from its server', async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end(TRANSPARENT_PNG);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // Past the model's validation (which accepts only data: images) — the renderer must hold on its own.
      const model = { ...twoPageDirective(), seal: `http://127.0.0.1:${port}/seal.png` } as DocumentModel;
      const pdf = await renderer.renderPdf(model);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await renderer.renderHtml(model);
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('relaunches a browser that died and retries the render', async () => {
    const pid = renderer.browserProcessId!;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const file = await renderToFile(renderer, twoPageDirective(), 'after-crash');
    expect(readPdfText(file)).toHaveLength(2);
    expect(renderer.browserProcessId).not.toBe(pid);
  });

  it('returns the preview HTML with the styles and the placed 版记', async () => {
    const html = await renderer.renderHtml(twoPageDirective());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@page');
    expect(html).toContain('大滩委发〔2017〕58号');
    expect(html).toMatch(/data-spacer="" style="height: [1-9][\d.]*px;?"/);
  });

  it('fails a render that exceeds timeoutMs with RenderTimeoutError', async () => {
    const slow = new DocumentRenderer({ chromePath: chromePath(), concurrency: 1, timeoutMs: 5 });
    await slow.start();
    try {
      await expect(slow.renderPdf(twoPageDirective())).rejects.toBeInstanceOf(RenderTimeoutError);
    } finally {
      await slow.close();
    }
  });
});
