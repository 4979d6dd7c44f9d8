import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError, StorageEngine } from 'multer';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Observable } from 'rxjs';
import { DomainError } from '../common/errors/domain-error';

/** The largest attachment a form may accept (the templates allow 20 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** One received upload: written to a temporary file while its SHA-256 and size were counted; never held in memory. */
export interface ReceivedFile {
  /** The name as the browser sent it (UTF-8; browsers send names as latin1 in multipart headers). */
  name: string;
  mimeType: string;
  path: string;
  size: number;
  sha256: string;
}

/**
 * A multer storage engine that streams the part to a temporary file (mode 0600) and hashes it on the way, so the
 * request's memory stays a few chunks whatever the file's size. The file is removed after the response (FilesService
 * copies it into the store first).
 */
class HashingTempStorage implements StorageEngine {
  _handleFile(_req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File & ReceivedFile>) => void): void {
    const path = join(tmpdir(), `dangjian-upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    pipeline(file.stream, count, createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(
      () => cb(null, { path, size, sha256: hash.digest('hex') }),
      (err) => rm(path, { force: true }).finally(() => cb(err)),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(
      () => cb(null),
      (err: Error) => cb(err),
    );
  }
}

const upload = multer({
  storage: new HashingTempStorage(),
  // One file and a few small fields; busboy stops reading the part one byte past the limit.
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 4096 },
}).single('file');

/** The most evidence files a page form sends at once (multipart field `files`). */
export const MAX_PAGE_FILES = 5;

/**
 * A page form sent without JavaScript: its fields (a text of 2,000 Chinese characters is 6,000 bytes) and up to
 * MAX_PAGE_FILES files in the field `files`; a file input left empty sends no file.
 */
const pageUpload = multer({
  storage: new HashingTempStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_PAGE_FILES, fields: 20, parts: 20 + MAX_PAGE_FILES, fieldSize: 16 * 1024 },
}).array('files', MAX_PAGE_FILES);

const MB = 1024 * 1024;

/** multer's refusals in the users' words. */
function refusal(err: unknown): unknown {
  if (!(err instanceof MulterError)) return err;
  const filename = (err as MulterError & { filename?: string }).filename;
  const name = typeof filename === 'string' ? latin1ToUtf8(filename) : '';
  const which = name ? `附件“${name}”` : '附件';
  if (err.code === 'LIMIT_FILE_SIZE') return DomainError.tooLarge('file', `${which}超过 ${MAX_UPLOAD_BYTES / MB} MB 的上限，请压缩或拆分后再上传`);
  if (err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE')
    return err.field === 'files'
      ? DomainError.validation([{ field: 'files', message: `一次最多上传 ${MAX_PAGE_FILES} 个附件` }], '附件未上传')
      : DomainError.validation([{ field: 'file', message: '一次只能上传一个附件（表单字段 file）' }], '附件未上传');
  return DomainError.validation([{ field: 'file', message: '附件的上传内容不完整或格式有误，请重新上传' }], '附件未上传');
}

export function latin1ToUtf8(name: string): string {
  return Buffer.from(name, 'latin1').toString('utf8');
}

/**
 * Receives the multipart field `file` into a temporary file (see HashingTempStorage) and puts it on `req.file` as a
 * ReceivedFile; the temporary file is removed once the response is done, whatever happened.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { file?: Express.Multer.File & Partial<ReceivedFile> }>();
    const res = http.getResponse<Response>();
    return new Observable((subscriber) => {
      upload(req, res, (err?: unknown) => {
        const received = req.file;
        if (received?.path) res.once('close', () => void rm(received.path, { force: true }));
        if (err) return subscriber.error(refusal(err));
        if (received) {
          const file: ReceivedFile = {
            name: latin1ToUtf8(received.originalname),
            mimeType: received.mimetype,
            path: received.path,
            size: received.size,
            sha256: received.sha256 ?? '',
          };
          (req as unknown as { receivedFile: ReceivedFile }).receivedFile = file;
        }
        next.handle().subscribe(subscriber);
      });
    });
  }
}

/** One received part as a ReceivedFile. */
function received(f: Express.Multer.File & Partial<ReceivedFile>): ReceivedFile {
  return { name: latin1ToUtf8(f.originalname), mimeType: f.mimetype, path: f.path, size: f.size, sha256: f.sha256 ?? '' };
}

/**
 * For page forms posted as multipart/form-data without JavaScript: the fields on `req.body`, the files of the field
 * `files` (at most MAX_PAGE_FILES, each at most 20 MB, as temporary files removed once the response is done) on
 * `req.receivedFiles`. The CSRF token travels in the form's action (`?_csrf=`), since the body is read only here.
 * A refusal (too large, too many) is left on `req.uploadRefusal` for the page to show in place with what was typed.
 */
@Injectable()
export class PageFilesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<
      Request & { files?: (Express.Multer.File & Partial<ReceivedFile>)[]; receivedFiles?: ReceivedFile[]; uploadRefusal?: unknown }
    >();
    const res = http.getResponse<Response>();
    return new Observable((subscriber) => {
      if (!req.is('multipart/form-data')) {
        req.receivedFiles = [];
        return next.handle().subscribe(subscriber);
      }
      pageUpload(req, res, (err?: unknown) => {
        const files = Array.isArray(req.files) ? req.files : [];
        for (const f of files) if (f.path) res.once('close', () => void rm(f.path, { force: true }));
        if (err) {
          const refused = refusal(err);
          if (!(refused instanceof DomainError)) return subscriber.error(refused);
          req.uploadRefusal = refused;
        }
        req.receivedFiles = err ? [] : files.map(received);
        req.body ??= {};
        next.handle().subscribe(subscriber);
      });
    });
  }
}
