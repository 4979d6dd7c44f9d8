import { Injectable } from '@nestjs/common';
import type { Tx } from '../prisma/prisma.service';
import { formatDocNumber } from './model';

/**
 * 发文字号: gapless and unique per organ code and year. The increment runs inside the caller's
 * transaction and holds the sequence row until it commits, so a rolled-back signing gives its
 * number back and concurrent signings queue on the row instead of skipping numbers.
 */
@Injectable()
export class DocNumberService {
  async allocate(tx: Tx, organCode: string, year: number): Promise<{ serial: number; docNumber: string }> {
    const [row] = await tx.$queryRaw<{ last_serial: number }[]>`
      INSERT INTO doc_number_sequence (organ_code, year, last_serial) VALUES (${organCode}, ${year}, 1)
      ON CONFLICT (organ_code, year) DO UPDATE SET last_serial = doc_number_sequence.last_serial + 1
      RETURNING last_serial`;
    const serial = Number(row.last_serial);
    return { serial, docNumber: formatDocNumber(organCode, year, serial) };
  }
}
