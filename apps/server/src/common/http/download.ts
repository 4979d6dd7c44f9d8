import type { Response } from 'express';

/** A download with an ASCII fallback name and the Chinese name in RFC 5987 form; never cached. */
export function download(res: Response, bytes: Buffer, type: string, filename: string, fallback: string, disposition: 'attachment' | 'inline' = 'attachment') {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(bytes);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
