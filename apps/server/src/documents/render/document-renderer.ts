import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { DocumentModel, formatDocNumber } from '../model';
import { DocumentHtmlBuilder, shell } from './document-html.builder';
import { GlyphCoverage, collectTexts } from './glyph-coverage';
import { RenderTimeoutError } from './missing-glyph.error';
import { PagePool } from './page-pool';
import { swapDocument } from './page-layout.browser';
import { withInfo } from './pdf-info';

export interface DocumentRendererOptions {
  chromePath: string;
  /** Pages rendering at once; default: number of CPU cores. */
  concurrency?: number;
  /** Per render, including a retry after a browser crash; default 30 s. */
  timeoutMs?: number;
  /** Folder of the TrueType stand-in fonts (scripts/fonts-install.sh); their cmaps drive the glyph check. */
  fontDir?: string;
  /** templates/documents; found by walking up from this file when absent. */
  templatesDir?: string;
}

export const DEFAULT_FONT_DIR = '/usr/local/share/fonts/gongwen';

export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none', // keeps glyph advances unhinted, so the 28-character grid holds
];

/**
 * Renders official documents to HTML and PDF with one warm Chromium and a pool of
 * loaded pages: each document is swapped in through the DOM (no navigation), which the
 * measurements in gbt9704.md show is what makes a render cheap.
 */
export class DocumentRenderer {
  private readonly builder: DocumentHtmlBuilder;
  private readonly coverage: GlyphCoverage;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly pool: PagePool;
  private browser?: Browser;
  private userDataDir?: string;
  private launching?: Promise<void>;
  private closed = false;

  constructor(private readonly opts: DocumentRendererOptions) {
    this.builder = new DocumentHtmlBuilder(opts.templatesDir);
    this.coverage = GlyphCoverage.fromDir(opts.fontDir ?? DEFAULT_FONT_DIR);
    this.concurrency = Math.max(1, opts.concurrency ?? os.cpus().length);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.pool = new PagePool(this.concurrency, (b) => this.openPage(b));
  }

  async start(): Promise<void> {
    this.closed = false;
    await this.relaunch();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.launching?.catch(() => undefined);
    const b = this.browser;
    this.browser = undefined;
    await b?.close().catch(() => undefined);
    this.removeProfile();
  }

  /** PID of the current Chromium, for health checks (and the crash-recovery test). */
  get browserProcessId(): number | undefined {
    return this.browser?.process()?.pid;
  }

  /** The preview: the same DOM the PDF is printed from, as a standalone page. */
  async renderHtml(model: DocumentModel): Promise<string> {
    return this.withPage(model, async (page, pageCss) => {
      const body = await page.evaluate(() => document.getElementById('root')!.outerHTML);
      return shell(this.builder.css, pageCss, body, Handlebars.escapeExpression(model.title));
    });
  }

  /** The PDF, with its information dictionary: title, issuing organ, 发文字号, 文种, creation date (default now). */
  async renderPdf(model: DocumentModel, opts: { creationDate?: Date } = {}): Promise<Buffer> {
    const pdf = await this.withPage(model, async (page) => {
      const bytes = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: this.timeoutMs });
      return Buffer.from(bytes);
    });
    const d = model.docNumber;
    return withInfo(pdf, {
      title: model.title,
      author: model.issuers.map((i) => i.name).join('、'),
      subject: d ? formatDocNumber(d.organCode, d.year, d.serial) : undefined,
      keywords: model.kind,
      creator: '公文排版（GB/T 9704-2012）',
      creationDate: opts.creationDate ?? new Date(),
    });
  }

  private async withPage<T>(model: DocumentModel, work: (page: Page, pageCss: string) => Promise<T>): Promise<T> {
    if (!this.browser && !this.launching) throw new Error('DocumentRenderer 未启动：请先调用 start()');
    this.coverage.check(collectTexts(model));
    const { html, pageCss } = this.builder.fragment(model);
    const attempt = async (): Promise<T> => {
      await this.launching;
      const page = await this.pool.acquire();
      let healthy = false;
      try {
        await page.evaluate(swapDocument, html, pageCss, model.title);
        const result = await work(page, pageCss);
        healthy = true;
        return result;
      } finally {
        if (healthy) this.pool.release(page);
        else void this.replace(page);
      }
    };
    return this.withTimeout(async () => {
      try {
        return await attempt();
      } catch (err) {
        // A dead browser (crash, OOM kill) gets one relaunch and one retry; other errors propagate.
        if (this.closed || this.browser?.connected) throw err;
        await this.relaunch();
        return attempt();
      }
    });
  }

  private async withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RenderTimeoutError(this.timeoutMs)), this.timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A page that failed is closed and a fresh one joins the pool, so the pool never shrinks. */
  private async replace(page: Page): Promise<void> {
    const stale = page.browser() !== this.browser; // a relaunch has already refilled the pool
    await page.close().catch(() => undefined);
    await this.launching;
    if (stale || this.closed || !this.browser?.connected) return;
    try {
      this.pool.release(await this.openPage(this.browser));
    } catch {
      /* the browser died meanwhile; relaunch refills */
    }
  }

  private relaunch(): Promise<void> {
    if (this.launching) return this.launching;
    this.launching = (async () => {
      const old = this.browser;
      this.browser = undefined;
      await old?.close().catch(() => undefined);
      this.removeProfile();
      this.userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwen-chrome-'));
      const browser = await puppeteer.launch({
        executablePath: this.opts.chromePath,
        headless: true,
        // Over a pipe, Chromium exits when this process dies, even by SIGKILL (no orphaned browsers).
        pipe: true,
        args: [...CHROME_ARGS, `--user-data-dir=${this.userDataDir}`],
      });
      this.browser = browser;
      await this.pool.fill(browser);
    })().finally(() => {
      this.launching = undefined;
    });
    return this.launching;
  }

  private async openPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    // A document is data, never a program or a fetch: no script of its own runs (the swap below is the renderer's
    // evaluate, which script-disabling does not stop), and every request is refused except the inline data: resources
    // (the seal) that Chromium does not even ask about. A model that slipped past validation with an external image
    // cannot make the server fetch anything.
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url().startsWith('data:')) void request.continue();
      else void request.abort('blockedbyclient');
    });
    await page.setContent(shell(this.builder.css, '', '<div id="root"></div>'), { waitUntil: 'load' });
    return page;
  }

  private removeProfile(): void {
    if (this.userDataDir) fs.rmSync(this.userDataDir, { recursive: true, force: true });
    this.userDataDir = undefined;
  }
}
