import type { Response } from 'express';
import { contentDisposition, safeContentType } from './content-disposition';

/** One stored attachment to the browser, under the name it was uploaded with, never sniffed into something else. */
export function sendFile(res: Response, file: { name: string; mimeType: string; bytes: Buffer }) {
  res.setHeader('Content-Type', safeContentType(file.mimeType));
  res.setHeader('Content-Disposition', contentDisposition(file.name, file.mimeType));
  res.setHeader('Content-Length', String(file.bytes.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The bytes never change, but who may read them can: keep it in this browser only, and ask again after an hour.
  res.setHeader('Cache-Control', 'private, max-age=3600');
  res.end(file.bytes);
}
