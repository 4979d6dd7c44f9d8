import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContextOptions, Page } from 'puppeteer-core';

/**
 * A phone's own network for a browser context: an HTTP proxy in front of the app that can be cut and restored.
 *
 * Chromium's offline emulation (page.setOfflineMode) belongs to the tab: it tells the page it is offline and fails its
 * requests, but ends with the tab, so a page being closed "offline" gets its network back for its last moments and
 * may save then — which a real phone without signal cannot. Behind this proxy the network stays down whatever becomes
 * of the tab; setOffline() cuts both (the proxy, and the tab's emulation so the page hears 'offline' / 'online').
 */
export interface PhoneNetwork {
  /** For browser.createBrowserContext: every request of the context goes through the proxy, loopback included. */
  contextOptions: BrowserContextOptions;
  setOffline(page: Page | undefined, offline: boolean): Promise<void>;
  /**
   * The network back after a tab was closed offline: a moment later, so that whatever the closing tab still sends (its
   * emulation ends as it closes, and it hears 'online') meets the cut network, as on a phone without signal.
   */
  restoreAfterClose(): Promise<void>;
  close(): Promise<void>;
}

export async function phoneNetwork(): Promise<PhoneNetwork> {
  let offline = false;
  const server = http.createServer((req, res) => {
    if (offline) {
      req.socket.destroy();
      return;
    }
    const target = new URL(req.url ?? '/');
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    contextOptions: { proxyServer: `http://127.0.0.1:${port}`, proxyBypassList: ['<-loopback>'] },
    async setOffline(page, value) {
      // The network first, then the page is told (it saves on 'online': the network is there by then).
      offline = value;
      if (page) await page.setOfflineMode(value);
    },
    async restoreAfterClose() {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      offline = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
