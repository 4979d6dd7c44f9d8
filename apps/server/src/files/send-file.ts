import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentDisposition, safeContentType } from './content-disposition';

/**
 * One stored attachment to the browser, under the name it was uploaded with, never sniffed into something else. The
 * content streams piece by piece (a 20 MB file never sits in memory); a reader that goes away ends the stream.
 */
export async function sendFile(res: Response, file: { name: string; mimeType: string; size: number; stream: Readable }): Promise<void> {
  res.setHeader('Content-Type', safeContentType(file.mimeType));
  res.setHeader('Content-Disposition', contentDisposition(file.name, file.mimeType));
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The bytes never change, but who may read them can: keep it in this browser only, and ask again after an hour.
  res.setHeader('Cache-Control', 'private, max-age=3600');
  // Headers are sent with the first piece: a failure after that can only cut the response short (the length tells).
  await pipeline(file.stream, res).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  });
}
