// Starts and stops the Temporal CLI dev server (headless) for the start script and Jest global setup.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, '.tools/bin/temporal');
// Search attributes the workflows set (kept in one place; workflows/system/ping.definitions.ts names them too).
const SEARCH_ATTRIBUTES = ['OrgId=Keyword', 'DirectiveId=Keyword', 'TaskKind=Keyword'];

function portOpen(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(check, what, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`等待${what}超时（${timeoutMs / 1000} 秒）`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `temporal server start-dev` on `port` unless something already listens there
 * (port 0: free ports chosen here, so parallel test runs never share or kill each other's server).
 * dbFile: a SQLite file under .data/ to keep history across restarts; omit for an in-memory server.
 * Returns { address, child } (child is null when an existing server was reused).
 */
async function startTemporalDev({ port = 7233, uiPort, dbFile, logFile, namespace = 'default' } = {}) {
  const dynamic = port === 0;
  if (dynamic) port = await freePort();
  const address = `127.0.0.1:${port}`;
  if (!dynamic && (await portOpen('127.0.0.1', port))) return { address, child: null };
  if (!fs.existsSync(BIN)) {
    throw new Error(`找不到 Temporal CLI（${BIN}）。请先运行 npm run temporal:install`);
  }
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  args.push('--http-port', String(dynamic ? await freePort() : port + 10000 > 65535 ? port - 1000 : port + 10000));
  args.push('--metrics-port', String(dynamic ? await freePort() : port + 11000 > 65535 ? port - 2000 : port + 11000));
  if (uiPort) args.push('--ui-port', String(uiPort));
  if (dbFile) {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(BIN, args, { stdio: ['ignore', out, out], detached: false });
  child.unref();
  await waitFor(() => portOpen('127.0.0.1', port), ' Temporal 开发服务器启动', 60000);
  return { address, child };
}

module.exports = { startTemporalDev, portOpen, waitFor, BIN, ROOT };
