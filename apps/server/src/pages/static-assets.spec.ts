import express from 'express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { StaticAssets } from './static-assets';

describe('StaticAssets', () => {
  let dir: string;
  let app: express.Express;
  let assets: StaticAssets;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-'));
    app = express();
    assets = new StaticAssets(dir, 3600);
    app.use('/static', assets.middleware());
    app.use('/static', express.static(dir));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends a script minified, and minifies it again once the file is edited', async () => {
    const file = path.join(dir, 'page.js');
    fs.writeFileSync(file, '// 说明\n(function () {\n  var message = "已保存";\n  document.title = message;\n})();\n');
    const first = await request(app).get('/static/page.js').expect(200);
    expect(first.headers['content-type']).toMatch(/^application\/javascript/);
    expect(first.headers['cache-control']).toBe('public, max-age=3600');
    expect(first.text).not.toContain('说明');
    expect(first.text.trim()).toBe('(function(){var e="已保存";document.title=e})();');

    fs.writeFileSync(file, '(function () {\n  document.title = "已提交，等待审核";\n})();\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = await request(app).get('/static/page.js').expect(200);
    expect(second.text).toContain('已提交，等待审核');
    expect(second.headers['etag']).not.toBe(first.headers['etag']);
    await request(app).get('/static/page.js').set('if-none-match', second.headers['etag']).expect(304);
  });

  it('sends a file it cannot minify as it is, rather than refusing it', async () => {
    fs.writeFileSync(path.join(dir, 'broken.js'), 'function (');
    const res = await request(app).get('/static/broken.js').expect(200);
    expect(res.text).toBe('function (');
  });

  it('minifies style sheets; other files and other paths pass to the static middleware', async () => {
    fs.writeFileSync(path.join(dir, 'page.css'), '/* 版式 */\n.card {\n  margin: 0px 0px;\n}\n');
    fs.writeFileSync(path.join(dir, 'readme.txt'), '说明');
    expect((await request(app).get('/static/page.css').expect(200)).text.trim()).toBe('.card{margin:0}');
    expect((await request(app).get('/static/readme.txt').expect(200)).text).toBe('说明');
    await request(app).get('/static/..%2Fsecret.js').expect(404);
    await request(app).get('/static/missing.js').expect(404);
  });

  it('links a file by a versioned URL the browser keeps for a year, and changes the URL when the file changes', async () => {
    const file = path.join(dir, 'app.css');
    fs.writeFileSync(file, '.card {\n  color: #b00;\n}\n');
    const url = assets.url('app.css');
    expect(url).toMatch(/^\/static\/app\.css\?v=[A-Za-z0-9_-]{12}$/);
    expect(assets.url('app.css')).toBe(url);
    const kept = await request(app).get(url).expect(200);
    expect(kept.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(kept.text.trim()).toBe('.card{color:#b00}');

    fs.writeFileSync(file, '.card {\n  color: #c00;\n}\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const next = assets.url('app.css');
    expect(next).not.toBe(url);
    // A page rendered before the change asks for the old version: it gets the current file, not to be kept under that URL.
    const stale = await request(app).get(url).expect(200);
    expect(stale.text.trim()).toBe('.card{color:#c00}');
    expect(stale.headers['cache-control']).toBe('no-cache');
    expect((await request(app).get(next).expect(200)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('links a file it does not serve by its plain path', () => {
    expect(assets.url('missing.js')).toBe('/static/missing.js');
    expect(assets.url('../secret.js')).toBe('/static/../secret.js');
  });
});
