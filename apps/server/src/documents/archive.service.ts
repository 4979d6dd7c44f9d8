import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { PrismaService, Tx } from '../prisma/prisma.service';

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
 * Generated documents (a few hundred KB, written in the same transaction as their number and record) stay in `bytes`.
 */
@Injectable()
export class ArchiveService {
  constructor(private readonly prisma: PrismaService) {}

  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** A generated file, in the caller's transaction. */
  async store(tx: Tx, bytes: Buffer, mimeType: string): Promise<string> {
    const sha256 = ArchiveService.sha256(bytes);
    await tx.storedFile.upsert({ where: { sha256 }, create: { sha256, mimeType, size: bytes.length, bytes: new Uint8Array(bytes) }, update: {} });
    return sha256;
  }

  /**
   * An uploaded file from its temporary file (hashed while it was received), in the caller's transaction: copied into a
   * new large object piece by piece unless the same bytes are already stored. Marks it uploaded now (the cleanup's
   * grace period counts from the last upload).
   */
  async storeUpload(tx: Tx, file: { path: string; sha256: string; size: number; mimeType: string }): Promise<void> {
    const now = new Date();
    // Locks an existing row against the cleanup deleting it under us; a new one is inserted below.
    const [existing] = await tx.$queryRaw<{ sha256: string }[]>`SELECT sha256 FROM stored_file WHERE sha256 = ${file.sha256} FOR UPDATE`;
    if (existing) {
      // Only an unattached upload's clock matters (an attached file is kept anyway).
      await tx.storedFile.updateMany({ where: { sha256: file.sha256, attachedAt: null }, data: { uploadedAt: now } });
      return;
    }
    const [{ oid }] = await tx.$queryRaw<{ oid: bigint }[]>`SELECT lo_create(0)::bigint AS oid`;
    let offset = 0;
    for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) {
      const piece = chunk as Buffer;
      await tx.$executeRaw`SELECT lo_put(${oid}::oid, ${offset}::bigint, ${piece})`;
      offset += piece.length;
    }
    if (offset !== file.size) throw new Error(`上传的临时文件长度 ${offset} 与接收时 ${file.size} 不符`);
    await tx.storedFile.create({ data: { sha256: file.sha256, mimeType: file.mimeType, size: file.size, loOid: oid, uploadedAt: now } });
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
      const [row] = await this.prisma.$queryRaw<{ piece: Uint8Array }[]>`SELECT lo_get(${file.loOid}::oid, ${offset}::bigint, ${n}::int) AS piece`;
      if (!row?.piece?.length) throw new Error(`文件 ${file.sha256} 的内容不完整`);
      yield Buffer.from(row.piece.buffer, row.piece.byteOffset, row.piece.byteLength);
    }
  }
}
