/**
 * Driver adapter for `prisma migrate` on the JavaScript schema engine (Prisma 6.19, `engine: "js"`).
 * Works around two defects of that path (see design.md):
 *  1. the schema engine reads pg_catalog columns of type "char" (OID 18) and name (OID 19),
 *     which @prisma/adapter-pg cannot map: we have pg report them as text (OID 25);
 *  2. the shadow database inherits `connectionString`, so it would connect to the main
 *     database: we build the shadow pool from parsed fields and drop it WITH (FORCE).
 * It also sends a migration script as one simple query, so function bodies with `;` survive.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parse } from 'pg-connection-string';

const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18, 19]);

function asText(result: unknown): unknown {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as Array<{ fields?: Array<{ dataTypeID: number }> }>) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

class CatalogTextClient extends pg.Client {
  // pg's overloads make a typed override impractical; we only post-process results,
  // whether they come back through a callback (Pool.query) or a promise.
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (err: unknown, res: unknown) => void;
      args[last] = (err: unknown, res: unknown) => callback(err, err ? res : asText(res));
    }
    const out = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function') {
      return (out as Promise<unknown>).then(asText) as never;
    }
    return out as never;
  }
}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;

function newPool(connectionString: string, database?: string): pg.Pool {
  const pool = new pg.Pool(poolConfig(connectionString, database));
  // Dropping the shadow database WITH (FORCE) terminates its idle connections: expected.
  pool.on('error', () => undefined);
  return pool;
}

function poolConfig(connectionString: string, database?: string): pg.PoolConfig {
  const p = parse(connectionString);
  return {
    host: p.host ?? undefined,
    port: p.port ? Number(p.port) : undefined,
    user: p.user ?? undefined,
    password: p.password ?? undefined,
    database: database ?? p.database ?? undefined,
    Client: CatalogTextClient,
    max: 4,
  };
}

function withWholeScripts(adapter: Adapter, pool: pg.Pool): Adapter {
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}

export class MigrationPgAdapter extends PrismaPg {
  constructor(private readonly url: string) {
    super(poolConfig(url));
  }

  override async connect(): Promise<Adapter> {
    const pool = newPool(this.url);
    const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
    return withWholeScripts(adapter, pool);
  }

  override async connectToShadowDb(): Promise<Adapter> {
    const admin = newPool(this.url);
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const pool = newPool(this.url, database);
    const adapter = await new PrismaPg(pool).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    };
    return withWholeScripts(adapter, pool);
  }
}
