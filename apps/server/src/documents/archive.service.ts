import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Tx } from '../prisma/prisma.service';

/** Content-addressed, write-once file store: the same bytes are stored once, and never change. */
@Injectable()
export class ArchiveService {
  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  async store(tx: Tx, bytes: Buffer, mimeType: string): Promise<string> {
    const sha256 = ArchiveService.sha256(bytes);
    await tx.storedFile.upsert({ where: { sha256 }, create: { sha256, mimeType, size: bytes.length, bytes: new Uint8Array(bytes) }, update: {} });
    return sha256;
  }
}
