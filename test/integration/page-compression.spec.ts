import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
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
