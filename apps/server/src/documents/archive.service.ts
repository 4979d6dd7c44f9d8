import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Pool } from 'pg';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import type { Tx } from '../prisma/prisma.service';

/** Large objects are written and read in pieces of this size: memory per transfer stays about one piece. */
export const CHUNK_BYTES = 512 * 1024;

/** Where a stored file's content is: generated PDFs and files stored before issue 15 in `bytes`, uploads in a large object. */
export interface StoredContent {
  sha256: string;
  size: number;
  bytes: Uint8Array | null;
  loOid: bigint | null;
}

/**
 * Content-addressed, write-once file store: the same bytes are stored once, and never change.
 *
 * Uploads (up to 20 MB) go into PostgreSQL large objects, written piece by piece from the request's temporary file and
 * read piece by piece into the response, rather than into a folder on disk: the database stays the one system of
 * record and the one backup (pg_dump includes large objects), every server and worker process on any host reads the
 * same store without a shared file system, and the content commits or rolls back with its row and audit record (the
 * cleanup of unattached uploads deletes the row and unlinks its object in one transaction — no file left behind by a
 * crash). A bytea value, as before, had to be built whole in memory (several copies of it in the driver) and written in
 * one statement; a large object is written with `lo_put` in pieces and read with `lo_get(oid, offset, length)`.
 *
 * The pieces go through a plain pg pool, not Prisma: a Prisma query's parameters pass through its query compiler
 * (base64 text in WebAssembly memory, which grows to the largest query seen and never shrinks — the 200 MB the old
 * one-statement upload left behind); pg sends a Buffer as it is. The object is written in its own transaction before
 * the row that refers to it (FilesService.store): if that row's transaction fails the object is unlinked at once, and
 * an object a crash left without a row is unlinked by the cleanup (UploadCleanupService), told apart from one still
 * being written by the time in its comment.
 *
 * Generated documents (a few hundred KB, written in the same transaction as their number and record) stay in `bytes`.
 */
@Injectable()
export class ArchiveService implements OnModuleDestroy {
  private readonly logger = new Logger('Archive');
  private pool?: Pool;
  private readonly connectionString: string;

  constructor(config: AppConfig) {
    this.connectionString = config.DATABASE_URL;
  }

  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** Opened on the first large-object transfer: a process that never moves an upload never connects. */
  private lo(): Pool {
    if (!this.pool) {
      this.pool = new Pool({ connectionString: this.connectionString, max: 4 });
      this.pool.on('error', (err) => this.logger.warn(`文件库连接中断：${err.message}`));
    }
    return this.pool;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }

  /** A generated file, in the caller's transaction. */
  async store(tx: Tx, bytes: Buffer, mimeType: string): Promise<string> {
    const sha256 = ArchiveService.sha256(bytes);
    await tx.storedFile.upsert({ where: { sha256 }, create: { sha256, mimeType, size: bytes.length, bytes: new Uint8Array(bytes) }, update: {} });
    return sha256;
  }

  /**
   * Copies an uploaded file (its temporary file) into a new large object, piece by piece, in a transaction of its own;
   * answers the object's OID for the row that will refer to it (storeUpload). The comment dates it for the cleanup.
   */
  async writeLargeObject(path: string, size: number): Promise<bigint> {
    const client = await this.lo().connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ oid: string }>('SELECT lo_create(0)::text AS oid');
      const oid = BigInt(rows[0].oid);
      await client.query(`COMMENT ON LARGE OBJECT ${oid.toString()} IS ${client.escapeLiteral(`upload ${new Date().toISOString()}`)}`);
      let offset = 0;
      for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
        const piece = chunk as Buffer;
        await client.query('SELECT lo_put($1::oid, $2::bigint, $3::bytea)', [oid.toString(), offset, piece]);
        offset += piece.length;
      }
      if (offset !== size) throw new Error(`上传的临时文件长度 ${offset} 与接收时 ${size} 不符`);
      await client.query('COMMIT');
      return oid;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Removes a large object no row refers to (an upload whose row was not written). */
  async unlinkLargeObject(oid: bigint): Promise<void> {
    await this.lo()
      .query('SELECT lo_unlink($1::oid)', [oid.toString()])
      .catch((err: Error) => this.logger.warn(`删除未引用的大对象 ${oid} 失败：${err.message}`));
  }

  /**
   * The row of an uploaded file, in the caller's transaction. When the same bytes are already stored, only the time of
   * the last upload changes (the cleanup's grace period counts from it) and `false` says the new object is not needed.
   */
  async storeUpload(tx: Tx, file: { sha256: string; size: number; mimeType: string; loOid: bigint | null }): Promise<boolean> {
    const now = new Date();
    // Locks an existing row against the cleanup deleting it under us.
    const [existing] = await tx.$queryRaw<{ sha256: string }[]>`SELECT sha256 FROM stored_file WHERE sha256 = ${file.sha256} FOR UPDATE`;
    if (existing) {
      // Only an unattached upload's clock matters (an attached file is kept anyway).
      await tx.storedFile.updateMany({ where: { sha256: file.sha256, attachedAt: null }, data: { uploadedAt: now } });
      return false;
    }
    // Stored a moment ago, removed by the cleanup since: the new upload has no content of its own to store.
    if (file.loOid === null) throw DomainError.conflict('同样内容的文件刚被清理，请重新上传');
    await tx.storedFile.create({ data: { sha256: file.sha256, mimeType: file.mimeType, size: file.size, loOid: file.loOid, uploadedAt: now } });
    return true;
  }

  /** The whole content, for the small files read whole (PDFs to sign or convert, a photo's EXIF). */
  async read(file: StoredContent, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
    if (file.bytes) return Buffer.from(file.bytes);
    const parts: Buffer[] = [];
    for await (const part of this.pieces(file, Math.min(limit, file.size))) parts.push(part);
    return Buffer.concat(parts);
  }

  /** The content as a stream, one piece in memory at a time, for downloads. */
  stream(file: StoredContent): Readable {
    if (file.bytes) return Readable.from([Buffer.from(file.bytes)]);
    return Readable.from(this.pieces(file, file.size), { objectMode: false });
  }

  private async *pieces(file: StoredContent, length: number): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < length; offset += CHUNK_BYTES) {
      const n = Math.min(CHUNK_BYTES, length - offset);
      const { rows } = await this.lo().query<{ piece: Buffer }>('SELECT lo_get($1::oid, $2::bigint, $3::int) AS piece', [String(file.loOid), offset, n]);
      if (!rows[0]?.piece?.length) throw new Error(`文件 ${file.sha256} 的内容不完整`);
      yield rows[0].piece;
    }
  }
}
