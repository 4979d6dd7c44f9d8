import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { Browser, BrowserContextOptions, Page } from 'puppeteer-core';
import { CHROME_ARGS } from '../../apps/server/src/documents/render/document-renderer';
import { LATER_SCRIPT_TYPE } from '../../apps/server/src/pages/later-scripts';

export const ARTIFACTS = path.resolve(__dirname, '../../artifacts');

/** Debian's Chromium, headless, with the flags this closed network needs. Its pages wait for their scripts (below). */
export async function launchBrowser(): Promise<Browser> {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'dj-e2e-')),
    args: [...CHROME_ARGS.filter((a) => a !== '--headless'), '--lang=zh-CN'],
  });
  const probe = await browser.newPage();
  waitForScriptsAfterNavigation(Object.getPrototypeOf(probe) as Page);
  await probe.close();
  return browser;
}

/**
 * A page's scripts run after its first paint (apps/server/src/pages/later-scripts.ts), so the `load` a navigation
 * waits for can come before them. A person's first tap comes later than that; a test's comes at once. Every
 * navigation of these pages (goto, waitForNavigation, reload, back, forward) therefore also waits until the page says
 * its scripts have run (`<html data-scripts="ready">`). A page that moved on meanwhile (live.js reloading it) is not
 * waited for; a page whose scripts never run (blocked, say, by the Content-Security-Policy) fails the test here.
 */
const SCRIPTS_TIMEOUT_MS = 15_000;
let patched = false;
function waitForScriptsAfterNavigation(proto: Page): void {
  if (patched) return;
  patched = true;
  const methods = ['goto', 'waitForNavigation', 'reload', 'goBack', 'goForward'] as const;
  for (const name of methods) {
    const original = proto[name] as (this: Page, ...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: async function (this: Page, ...args: unknown[]) {
        const response = await original.apply(this, args);
        await scriptsRan(this);
        return response;
      },
    });
  }
}

async function scriptsRan(page: Page): Promise<void> {
  if (!page.isJavaScriptEnabled()) return; // a page tried without script (the links and forms alone)
  try {
    await page.waitForFunction(
      (type) =>
        document.contentType !== 'text/html' ||
        document.documentElement.getAttribute('data-scripts') === 'ready' ||
        !document.querySelector(`script[type="${type}"]`),
      { timeout: SCRIPTS_TIMEOUT_MS, polling: 50 },
      LATER_SCRIPT_TYPE,
    );
  } catch (err) {
    const message = (err as Error).message;
    if (/context was destroyed|navigat|detached|closed/i.test(message)) return;
    if (/timeout|exceeded/i.test(message)) throw new Error(`页面 ${page.url()} 的脚本 ${SCRIPTS_TIMEOUT_MS / 1000} 秒内没有运行完（data-scripts 未就绪）`);
    throw err;
  }
}

export const PHONE = { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export function artifact(...parts: string[]): string {
  const file = path.join(ARTIFACTS, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export const DESK = { width: 1366, height: 900 };

/** A fresh phone-sized page (own cookies; `context`: e.g. a phone network's proxy) logged in through the login form; dialogs are accepted. */
export function phonePageAs(browser: Browser, url: string, username: string, password: string, context?: BrowserContextOptions): Promise<Page> {
  return pageAs(browser, PHONE, url, username, password, context);
}

/** The same at a desk. */
export function deskPageAs(browser: Browser, url: string, username: string, password: string): Promise<Page> {
  return pageAs(browser, DESK, url, username, password);
}

async function pageAs(
  browser: Browser,
  viewport: typeof PHONE | typeof DESK,
  url: string,
  username: string,
  password: string,
  contextOptions?: BrowserContextOptions,
): Promise<Page> {
  const context = await browser.createBrowserContext(contextOptions);
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${url}/login`);
  await page.type('input[name=username]', username);
  await page.type('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}

/** What a person reads in an element (trimmed). */
export const text = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText.trim());
export const valueOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLInputElement).value);
export const click = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).click());
/** Clicks a submit button and waits for the page it leads to. */
export const submit = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), click(page, selector)]);
/** No sideways scrolling on the phone. */
export const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Sets a value as a picker does (date pickers, selects): the value, then input and change events. */
export const setValue = (page: Page, selector: string, v: string) =>
  page.$eval(
    selector,
    (el, v) => {
      (el as HTMLInputElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    v,
  );

/** Types into a field after scrolling it into view, as a thumb would. */
export async function typeInto(page: Page, selector: string, v: string): Promise<void> {
  await page.$eval(selector, (el) => (el as HTMLElement).scrollIntoView({ block: 'center' }));
  await page.type(selector, v);
}

/**
 * The workflow moves on its own: reload the page until what the person waits for is there
 * (a selector present, or a check that returns true).
 */
export async function reloadUntil(page: Page, pageUrl: string, until: string | (() => Promise<boolean>), what: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  const check = typeof until === 'string' ? async () => !!(await page.$(until)) : until;
  // A page that follows its lifecycle (live.js) may reload itself while it is read: not ready yet, look again.
  const ready = () => check().catch((err: Error) => (/context was destroyed|navigat/i.test(err.message) ? false : Promise.reject(err)));
  for (;;) {
    // The page's own refresh (live.js) can abort this navigation (net::ERR_ABORTED): it lands on the same page, so look.
    await page.goto(pageUrl).catch((err: Error) => (/ERR_ABORTED/.test(err.message) ? new Promise((r) => setTimeout(r, 500)) : Promise.reject(err)));
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`等待超时：${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The dialogs a page raises, by type, answered as `accept` says at the time (a page from phonePageAs / deskPageAs accepts
 * them all; this takes over). Set `accept = false` to answer a leave prompt with 留下 (stay on the page).
 */
export function dialogsOf(page: Page): { seen: string[]; accept: boolean } {
  const log = { seen: [] as string[], accept: true };
  page.removeAllListeners('dialog');
  page.on('dialog', (d) => {
    log.seen.push(d.type());
    void (log.accept ? d.accept() : d.dismiss());
  });
  return log;
}

/**
 * A person clicks a link or button (a real click, as a hand would) to leave the page: 'asked' when the page raised a
 * dialog first (answered as dialogsOf says), 'left' when it went straight to the next page.
 */
export async function tryToLeave(page: Page, selector: string): Promise<'asked' | 'left'> {
  let onDialog = () => undefined as void;
  const asked = new Promise<'asked'>((resolve) => {
    onDialog = () => resolve('asked');
    page.once('dialog', onDialog);
  });
  const left = page.waitForNavigation({ timeout: 15_000 }).then(() => 'left' as const);
  left.catch(() => undefined); // a dismissed prompt: no navigation comes
  await page.click(selector);
  try {
    return await Promise.race([asked, left]);
  } finally {
    page.off('dialog', onDialog);
  }
}
