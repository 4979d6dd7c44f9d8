import { Injectable } from '@nestjs/common';
import { Prisma } from '../../prisma/client';
import { PrismaService } from '../../prisma/prisma.service';

/** A first request's answer, kept for its repeats: a JSON body with its status, or a redirect. */
export type Recorded = { status: number; body?: unknown; location?: string };

export type Claim = { kind: 'run' } | { kind: 'done'; recorded: Recorded } | { kind: 'busy' } | { kind: 'other-request' };

/** Keys are kept this long; after it the same key acts again. */
const KEEP = "interval '1 day'";
/** A first request still marked running after this long died with its process: its key is free again. */
const ABANDONED = "interval '2 minutes'";

interface Row {
  fingerprint: string;
  status: number | null;
  body: unknown;
  location: string | null;
  expired: boolean;
  abandoned: boolean;
}

/** The idempotency keys in PostgreSQL, so every server process sees the same first request. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Takes the key for a new request, or says what its first request did (waiting up to `waitMs` for it to finish). */
  async claim(personId: string, key: string, fingerprint: string, waitMs: number): Promise<Claim> {
    if (Math.random() < 0.01) await this.prisma.$executeRawUnsafe(`DELETE FROM idempotency_key WHERE created_at < now() - ${KEEP}`);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const taken = await this.prisma.$executeRaw`
        INSERT INTO idempotency_key (person_id, key, fingerprint) VALUES (${personId}::uuid, ${key}, ${fingerprint})
        ON CONFLICT DO NOTHING`;
      if (taken === 1) return { kind: 'run' };
      const [row] = await this.prisma.$queryRaw<Row[]>`
        SELECT fingerprint, status, body, location,
               created_at < now() - ${Prisma.raw(KEEP)} AS expired,
               status IS NULL AND created_at < now() - ${Prisma.raw(ABANDONED)} AS abandoned
        FROM idempotency_key WHERE person_id = ${personId}::uuid AND key = ${key}`;
      if (!row) continue; // released between the two statements: try to take it
      if (row.expired || row.abandoned) {
        await this.release(personId, key);
        continue;
      }
      if (row.fingerprint !== fingerprint) return { kind: 'other-request' };
      if (row.status !== null) return { kind: 'done', recorded: { status: row.status, body: row.body ?? undefined, location: row.location ?? undefined } };
      if (Date.now() >= deadline) return { kind: 'busy' };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async complete(personId: string, key: string, recorded: Recorded): Promise<void> {
    const body = recorded.body === undefined ? null : JSON.stringify(recorded.body);
    await this.prisma.$executeRaw`
      UPDATE idempotency_key SET status = ${recorded.status}, body = ${body}::jsonb, location = ${recorded.location ?? null}, completed_at = now()
      WHERE person_id = ${personId}::uuid AND key = ${key}`;
  }

  /** Frees the key: the request failed (nothing was changed) or its answer cannot be replayed. */
  async release(personId: string, key: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM idempotency_key WHERE person_id = ${personId}::uuid AND key = ${key}`;
  }
}
