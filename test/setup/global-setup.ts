/* Jest global setup for integration and e2e: a fresh database per run, migrated, and a Temporal dev server. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

// Plain CommonJS helpers shared with the start script.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDatabaseIfMissing, migrate, provisionAppRole, withDatabase } = require('../../scripts/lib/database');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTemporalDev } = require('../../scripts/lib/temporal-dev');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundle } = require('../../scripts/bundle-workflows');

export default async function globalSetup(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const url = withDatabase(base, `dangjian_test_${Date.now()}_${randomBytes(3).toString('hex')}`);
  await createDatabaseIfMissing(url);
  migrate(url);
  // As in production: migrations as the owner, the application (and the tests' own Prisma client) as a role that
  // owns nothing. A test that must act as the owner (to tamper with the audit log) uses DATABASE_OWNER_URL.
  process.env.DATABASE_URL = await provisionAppRole(url);
  process.env.DATABASE_OWNER_URL = url;
  process.env.AUDIT_SIGNING_KEY ??= randomBytes(32).toString('hex');
  // The tests' own key for the organs' certificates: the CLI children would otherwise take the one `npm start` keeps in
  // .data of this checkout, and fail to open the certificates the test server made with the development key.
  process.env.SIGNING_KEY_SECRET ??= randomBytes(24).toString('hex');
  process.env.SESSION_SECRET ??= 'test-session-secret-0123456789';
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ??= 'warn';
  process.env.TEMPORAL_TASK_QUEUE = `test-${randomBytes(3).toString('hex')}`;

  if (!process.env.TEMPORAL_ADDRESS) {
    const { address, child } = await startTemporalDev({
      port: 0, // free ports: parallel runs each get their own server
      logFile: path.resolve(__dirname, '../../.data/temporal-test.log'),
    });
    process.env.TEMPORAL_ADDRESS = address;
    (globalThis as Record<string, unknown>).__TEMPORAL_CHILD__ = child;
  }
  // The worker loads dist/workflow-bundle.js: bundle the workflows as they are now, once for all suites.
  await bundle();
  (globalThis as Record<string, unknown>).__TEST_DB_URL__ = url;
}
