import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { LATER_SCRIPTS_LOADER } from '../../apps/server/src/pages/later-scripts';
import { startApp } from '../support/test-app';

/** A raw GET (no automatic decoding): status, headers and the bytes as sent. */
function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('compressed pages and static files (a phone’s first load)', () => {
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startApp());
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sends the style sheet and script minified, brotli- or gzip-compressed as the browser accepts, the same bytes once decoded', async () => {
    const source = (name: string) => fs.readFileSync(path.join(__dirname, '../../templates/pages/static', name));
    const plain = await get(`${url}/static/app.css`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^text\/css/);
    // Minified: the comments and indentation of the source are gone, the rules are there.
    expect(plain.body.length).toBeLessThan(source('app.css').length * 0.85);
    expect(plain.body.toString('utf8')).not.toMatch(/\/\*|\n {2}/);
    expect(plain.body.toString('utf8')).toContain('.topbar');

    const br = await get(`${url}/static/app.css`, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await get(`${url}/static/app.js`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const js = zlib.gunzipSync(gz.body);
    expect(js.length).toBeLessThan(source('app.js').length * 0.7);
    expect(() => new vm.Script(js.toString('utf8'))).not.toThrow();
    expect(js.toString('utf8')).toContain('data-filing-form'); // the same code: its selectors are kept

    // Revalidation: the ETag of the minified bytes answers 304 without a body.
    const again = await new Promise<number>((resolve, reject) =>
      http.get(`${url}/static/app.js`, { headers: { 'if-none-match': String(gz.headers['etag']) } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
    );
    expect(again).toBe(304);
  });

  it('links the style sheet and scripts by versioned URLs kept for a year, and starts the scripts with the one inline loader the policy allows', async () => {
    const page = await get(`${url}/login`);
    const html = page.body.toString('utf8');
    const css = html.match(/<link rel="stylesheet" href="(\/static\/app\.css\?v=[\w-]+)">/)?.[1];
    const js = html.match(/<script type="application\/x-after-paint" data-src="(\/static\/app\.js\?v=[\w-]+)"><\/script>/)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    for (const asset of [css, js] as string[]) {
      const res = await get(`${url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      // The same bytes as the unversioned URL, which is kept for an hour only.
      const plain = await get(`${url}${asset.split('?')[0]}`);
      expect(plain.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.body.equals(plain.body)).toBe(true);
    }
    // The inline loader is the only inline script, and the Content-Security-Policy names its hash (nothing else inline runs).
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(inline).toEqual([LATER_SCRIPTS_LOADER]);
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(policy).toContain(`'sha256-${createHash('sha256').update(inline[0]).digest('base64')}'`);
    expect(policy.match(/script-src[^;]*/)?.[0]).not.toContain('unsafe-inline');
  });

  it('shows the app’s icon in the tab: the pages link it, and a browser asking for /favicon.ico is sent to it', async () => {
    const login = (await get(`${url}/login`)).body.toString('utf8');
    expect(login).toContain('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">');
    const icon = await get(`${url}/static/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.body.toString('utf8')).toMatch(/^<svg /);
    const asked = await get(`${url}/favicon.ico`);
    expect(asked.status).toBe(301);
    expect(asked.headers.location).toBe('/static/favicon.svg');
  });

  it('compresses the pages themselves but leaves the JSON API as it is', async () => {
    const page = await get(`${url}/login`, 'gzip');
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(page.body).toString('utf8')).toContain('<h1>登录</h1>');

    const api = await get(`${url}/api/auth/csrf`, 'gzip, br');
    expect(api.status).toBe(200);
    expect(api.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(api.body.toString('utf8'))).toHaveProperty('csrfToken');
  });
});
