#!/usr/bin/env node
// `npm run temporal:start`: the Temporal dev server alone (headless, SQLite under .data/), until Ctrl+C.
const path = require('node:path');
const { startTemporalDev, ROOT } = require('./lib/temporal-dev');

startTemporalDev({
  port: Number(process.env.TEMPORAL_PORT ?? 7233),
  dbFile: path.join(ROOT, '.data/temporal.db'),
  logFile: path.join(ROOT, '.data/temporal.log'),
})
  .then(({ address, child }) => {
    if (!child) {
      console.log(`Temporal 已在 ${address} 运行，未重复启动。`);
      return;
    }
    console.log(`Temporal 开发服务器：${address}（数据 .data/temporal.db，日志 .data/temporal.log）。按 Ctrl+C 停止。`);
    child.ref(); // stay in the foreground with the server
    const stop = () => child.kill('SIGTERM');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('exit', (code) => process.exit(code ?? 0));
  })
  .catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
