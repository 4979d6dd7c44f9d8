import { Logger } from '@nestjs/common';
import { transformSync } from 'esbuild';
import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What the pages' scripts and style sheets are minified for: the browsers a township's phones and desks run. */
const TARGET = ['chrome87', 'firefox78', 'safari14', 'edge88'];
const TYPES: Record<string, { loader: 'js' | 'css'; contentType: string }> = {
  '.js': { loader: 'js', contentType: 'application/javascript; charset=UTF-8' },
  '.css': { loader: 'css', contentType: 'text/css; charset=UTF-8' },
};

interface Minified {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
  /** Part of the minified file's SHA-256, the `v` of its URL. */
  version: string;
}
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A versioned URL's answer is kept by the browser for a year, unasked: the URL changes whenever the file does. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The pages' own scripts and style sheets, minified with esbuild (whitespace, comments and local names; the code is
 * the same): on a phone's first load these bytes and their parsing are most of what the page waits for after the HTML
 * (`npm run bench -- pages`). The sources under templates/pages/static stay readable and are what is edited; each is
 * minified on its first request and again whenever the file changes, so there is no build step to forget. A file
 * esbuild cannot read is sent as it is (and said in the log), never refused. Other files (the service worker's, images)
 * pass to the static file middleware untouched.
 *
 * Pages link them by a versioned URL (`url('app.js')` → `/static/app.js?v=<hash of the minified file>`), which the
 * browser keeps for a year without asking again: a secretary opening her tasks every day downloads the scripts and
 * style sheets once per release, not once an hour. A request for an older version (a page rendered before the file
 * changed) gets the current file, not kept; one without a version is kept for `maxAgeSeconds`.
 */
export class StaticAssets {
  private readonly logger = new Logger('StaticAssets');
  private readonly cache = new Map<string, Minified>();

  constructor(
    private readonly dir: string,
    private readonly maxAgeSeconds: number,
  ) {}

  /** The versioned URL of a script or style sheet in the folder; a name it does not serve is returned as /static/name. */
  url(name: string): string {
    const type = TYPES[path.extname(name)];
    const asset = type && PLAIN_NAME.test(name) ? this.minified(path.join(this.dir, name), type.loader) : undefined;
    return asset ? `/static/${name}?v=${asset.version}` : `/static/${name}`;
  }

  private minified(file: string, loader: 'js' | 'css'): Minified | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit;
    const source = fs.readFileSync(file, 'utf8');
    let body: Buffer;
    try {
      body = Buffer.from(
        transformSync(source, { loader, minify: true, target: TARGET, legalComments: 'none', charset: 'utf8', logLevel: 'silent' }).code,
        'utf8',
      );
    } catch (err) {
      this.logger.warn(`未能压缩 ${path.basename(file)}，按原样发送：${(err as Error).message}`);
      body = Buffer.from(source, 'utf8');
    }
    const hash = createHash('sha256').update(body).digest('base64url');
    const entry = { mtimeMs: stat.mtimeMs, size: stat.size, body, etag: `"${hash.slice(0, 27)}"`, version: hash.slice(0, 12) };
    this.cache.set(file, entry);
    return entry;
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const name = req.path.replace(/^\//, '');
      const type = TYPES[path.extname(name)];
      // One file directly in the folder, by a plain name: nothing else is looked up.
      if (!type || !PLAIN_NAME.test(name)) return next();
      const asset = this.minified(path.join(this.dir, name), type.loader);
      if (!asset) return next();
      const version = typeof req.query.v === 'string' ? req.query.v : undefined;
      res.setHeader('Content-Type', type.contentType);
      res.setHeader('Cache-Control', version === undefined ? `public, max-age=${this.maxAgeSeconds}` : version === asset.version ? IMMUTABLE : 'no-cache');
      res.setHeader('ETag', asset.etag);
      if (req.headers['if-none-match'] === asset.etag) {
        res.status(304).end();
        return;
      }
      res.setHeader('Content-Length', String(asset.body.length));
      if (req.method === 'HEAD') res.end();
      else res.end(asset.body);
    };
  }
}
