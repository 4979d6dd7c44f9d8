#!/usr/bin/env node
/*
 * `npm start`: everything a newcomer needs, in one command.
 * PostgreSQL (DATABASE_URL, else 127.0.0.1:5432, else an embedded one under .data/pg), migrations,
 * the Temporal dev server (SQLite under .data/), the build, the demo township when the database is
 * empty, then the server and the worker. Ctrl+C stops them all.
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ensureDatabase } = require('./lib/database');
const { startTemporalDev, BIN, ROOT } = require('./lib/temporal-dev');

const DATA = path.join(ROOT, '.data');
const log = (m) => console.log(`[启动] ${m}`);

/** A secret from the environment, else one generated once and kept under .data (mode 600). */
function secret(name, file) {
  if (process.env[name]) return process.env[name];
  const at = path.join(DATA, file);
  if (!fs.existsSync(at)) fs.writeFileSync(at, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  return fs.readFileSync(at, 'utf8').trim();
}

async function main() {
  fs.mkdirSync(DATA, { recursive: true });
  log('准备数据库…');
  // Migrations run as the database's owner; the server, the worker and the CLI as a role that owns nothing.
  const db = await ensureDatabase(process.env, { appPassword: secret('APP_DATABASE_PASSWORD', 'app-db-password') });
  fs.writeFileSync(path.join(DATA, 'database-url'), db.url);
  log(`数据库：${db.source}，迁移已应用`);

  let temporalChild = null;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    if (!fs.existsSync(BIN)) execFileSync('bash', [path.join(__dirname, 'temporal-install.sh')], { stdio: 'inherit' });
    log('启动 Temporal 开发服务器…');
    const t = await startTemporalDev({ port: 7233, dbFile: path.join(DATA, 'temporal.db'), logFile: path.join(DATA, 'temporal.log') });
    temporalChild = t.child;
    temporalAddress = t.address;
    log(`Temporal：${temporalAddress}${t.child ? '（已启动，数据在 .data/temporal.db）' : '（使用已在运行的服务）'}`);
  }

  // Red-header documents need the 公文 fonts and Chromium (installed once, from Debian's packages).
  if (!fs.existsSync('/usr/local/share/fonts/gongwen') || fs.readdirSync('/usr/local/share/fonts/gongwen').length === 0) {
    log('安装公文字体（首次约需两分钟）…');
    execFileSync('bash', [path.join(__dirname, 'fonts-install.sh')], { stdio: 'inherit' });
  }
  const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chrome)) {
    console.warn(`[启动] 找不到 Chromium（${chrome}），签发时将无法生成红头 PDF。请运行 apt-get install chromium，或设置 CHROME_PATH。`);
  }

  log('编译…');
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('编译失败');

  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporalAddress,
    SESSION_SECRET: secret('SESSION_SECRET', 'session-secret'),
    // Encrypts the organs' signing certificates at rest.
    SIGNING_KEY_SECRET: secret('SIGNING_KEY_SECRET', 'signing-key-secret'),
    // Signs the audit chain's checkpoints; kept outside the database, so rewriting audit rows there shows.
    AUDIT_SIGNING_KEY: secret('AUDIT_SIGNING_KEY', 'audit-signing-key'),
    PORT: process.env.PORT ?? '3000',
  };
  const seed = spawnSync(process.execPath, ['dist/apps/server/src/cli/main.js', 'seed-demo'], { cwd: ROOT, env, encoding: 'utf8' });
  if (seed.status !== 0) throw new Error(`演示数据创建失败：${seed.stderr}`);

  const children = [];
  // Each process is given an IPC channel, on which it sends { ready: true } once it has started (the server when all
  // its processes listen, the worker when it polls and has warmed up Chromium) and then closes it.
  const run = (name, file) => {
    const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = new Promise((resolve) => child.on('message', (m) => m && m.ready === true && resolve()));
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`[启动] ${name} 意外退出（${signal ?? code}），正在停止其余进程`);
        stop(1);
      }
    });
    children.push(child);
    return ready;
  };
  let stopping = false;
  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    if (temporalChild) temporalChild.kill('SIGTERM');
    if (db.stop) db.stop().finally(() => process.exit(code));
    else setTimeout(() => process.exit(code), 500);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const workerReady = run('worker', 'dist/apps/worker/src/main.js');
  const serverReady = run('server', 'dist/apps/server/src/main.js');

  // The banner comes after the processes' start-up lines, not among them: wait for both to say they are ready and
  // for the health check, then a moment for their last lines (written by each process's log thread) to come out.
  const url = `http://127.0.0.1:${env.PORT}`;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const deadline = Date.now() + 120000;
  const healthy = async () => {
    while (Date.now() < deadline) {
      const ok = await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return true;
      await sleep(300);
    }
    return false;
  };
  const timeout = sleep(deadline - Date.now()).then(() => false);
  const started = await Promise.race([Promise.all([workerReady, serverReady, healthy()]).then(([, , ok]) => ok), timeout]);
  if (stopping) return;
  await sleep(500);
  if (!started) console.warn('[启动] 等待服务就绪超时（120 秒），系统可能尚未完全可用');
  const rule = '═'.repeat(64);
  console.log('');
  console.log(rule);
  console.log(`系统已启动：${url}    （接口文档：${url}/api/docs）`);
  console.log(seed.stdout.trim());
  if (!seed.stdout.includes('演示登录'))
    console.log(`演示登录：dt.admin（管理员）、dt.shuji（书记）、dt.djb（党建办）、v01.shuji（支部书记）等，密码 Datan@2017`);
  console.log('按 Ctrl+C 停止。');
  console.log(rule);
  console.log('');

  // The demo's first directive through the real lifecycle, once (the command does nothing when there is a directive).
  const demo = spawn(process.execPath, ['dist/apps/server/src/cli/main.js', 'demo-directive'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let demoOut = '';
  demo.stdout.on('data', (d) => (demoOut += d));
  demo.stderr.on('data', (d) => (demoOut += d));
  demo.on('exit', (code) => {
    if (stopping) return;
    const last = demoOut.trim().split('\n').pop() ?? '';
    if (code !== 0) console.warn(`[启动] 演示发文未能印发（系统照常可用）：${last}`);
    else if (!last.startsWith('演示乡镇已有发文')) console.log(`[启动] ${last}`);
  });
}

main().catch((err) => {
  console.error(`[启动] 失败：${err.message}`);
  process.exit(1);
});
