import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';

/** A short token of what a page shows (its data as JSON): the same data, the same token. */
export const liveToken = (shown: unknown): string => createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 16);

/**
 * Answers a page's live-status poll: `{ version }` with the version as a strong ETag, and 304 when the page already
 * has it (If-None-Match), so the poll every few seconds costs one small query and no body. public/live.js reloads the
 * page (or offers to, when the person has unsaved edits) when the version moves.
 */
export function sendLiveState(req: Request, res: Response, version: string): void {
  const etag = `"${version}"`;
  res.set('Cache-Control', 'no-cache');
  res.set('ETag', etag);
  const asked = req.headers['if-none-match'];
  if (typeof asked === 'string' && asked.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(JSON.stringify({ version }));
}
