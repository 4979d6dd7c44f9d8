import type { Browser, Page } from 'puppeteer-core';

/** A fixed set of loaded pages, lent one at a time; bounds concurrency. */
export class PagePool {
  private readonly idle: Page[] = [];
  private readonly waiters: ((p: Page) => void)[] = [];

  constructor(
    private readonly size: number,
    private readonly open: (browser: Browser) => Promise<Page>,
  ) {}

  async fill(browser: Browser): Promise<void> {
    this.idle.length = 0;
    const pages = await Promise.all(Array.from({ length: this.size }, () => this.open(browser)));
    this.idle.push(...pages);
    while (this.waiters.length && this.idle.length) this.waiters.shift()!(this.idle.pop()!);
  }

  acquire(): Promise<Page> {
    const p = this.idle.pop();
    if (p) return Promise.resolve(p);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(page: Page): void {
    const next = this.waiters.shift();
    if (next) next(page);
    else this.idle.push(page);
  }
}
