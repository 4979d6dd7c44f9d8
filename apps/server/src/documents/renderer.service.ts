import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DocumentModel } from './model';
import { DocumentRenderer, MissingGlyphError, RenderTimeoutError } from './render';
import { DomainError, ErrorCode } from '../common/errors/domain-error';

/**
 * The one warm Chromium of this process, started on the first render (so processes that never
 * render, like the worker's tests, never launch a browser) and closed with the application.
 */
@Injectable()
export class RendererService implements OnModuleDestroy {
  private renderer?: DocumentRenderer;
  private starting?: Promise<DocumentRenderer>;

  constructor(private readonly config: AppConfig) {}

  private async ready(): Promise<DocumentRenderer> {
    if (this.renderer) return this.renderer;
    this.starting ??= (async () => {
      const r = new DocumentRenderer({ chromePath: this.config.CHROME_PATH, concurrency: this.config.RENDER_CONCURRENCY });
      await r.start();
      this.renderer = r;
      return r;
    })().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Starts the browser ahead of the first render (the worker does this at boot: signing then renders at once). */
  async warmUp(): Promise<void> {
    await this.ready();
  }

  async pdf(model: DocumentModel, opts: { creationDate?: Date } = {}): Promise<Buffer> {
    return this.translate(async () => (await this.ready()).renderPdf(model, opts));
  }

  async html(model: DocumentModel): Promise<string> {
    return this.translate(async () => (await this.ready()).renderHtml(model));
  }

  /** A character no font has, or a render that hangs, is the user's problem to see, not a 500. */
  private async translate<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof MissingGlyphError) throw DomainError.validation([{ field: 'body', message: err.message }], '公文含有无法显示的字符');
      if (err instanceof RenderTimeoutError) throw new DomainError(ErrorCode.UNAVAILABLE, '公文渲染超时，请稍后重试');
      throw err;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.renderer?.close();
  }
}
