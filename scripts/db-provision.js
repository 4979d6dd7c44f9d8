#!/usr/bin/env node
/*
 * `npm run db:provision`: after `npm run db:migrate`, as the database's owner (DATABASE_URL), gives the application's
 * role (dangjian_app) the row privileges it needs and nothing more, and prints the connection string the server,
 * the worker and the CLI should use. APP_DATABASE_PASSWORD sets the role's password (needed unless the server trusts
 * local connections). Run it again after each migration: the grants cover the tables that exist.
 */
const { provisionAppRole } = require('./lib/database');

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('请用 DATABASE_URL 指定数据库所有者的连接串（执行迁移所用的那个）');
  process.exit(2);
}
provisionAppRole(url, { password: process.env.APP_DATABASE_PASSWORD })
  .then((appUrl) => {
    const shown = new URL(appUrl);
    if (shown.password) shown.password = '***';
    console.log(`应用角色已就绪。服务端、worker 和命令行请用：DATABASE_URL=${shown.toString()}`);
  })
  .catch((err) => {
    console.error(`设置应用角色失败：${err.message}`);
    process.exit(1);
  });
