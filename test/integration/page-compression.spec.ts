import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
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

  it('sends the style sheet and script brotli- or gzip-compressed, as the browser accepts, and the same bytes once decoded', async () => {
    const css = fs.readFileSync(path.join(__dirname, '../../templates/pages/static/app.css'));
    const br = await get(`${url}/static/app.css`, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(css.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(css)).toBe(true);

    const js = fs.readFileSync(path.join(__dirname, '../../templates/pages/static/app.js'));
    const gz = await get(`${url}/static/app.js`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(js)).toBe(true);

    const plain = await get(`${url}/static/app.css`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(css)).toBe(true);
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
