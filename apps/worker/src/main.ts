import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '../../server/src/config/app-config';
import { RendererService } from '../../server/src/documents/renderer.service';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  loadConfig(); // fail fast, naming the bad variable
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM / SIGINT: stop polling, let in-flight activities finish, then exit.
  app.enableShutdownHooks();
  // The first 签发 should not wait for Chromium to start.
  await app
    .get(RendererService)
    .warmUp()
    .catch((err) => app.get(Logger).warn({ err }, '公文渲染浏览器预热失败，将在首次渲染时重试'));
  // Started (polling since the context's bootstrap, the browser warmed up or its failure logged): tell the parent
  // when it asked with an IPC channel (scripts/start.js prints its banner after this), then let the channel go, so
  // that it does not keep the process alive.
  process.send?.({ ready: true }, () => {
    if (process.connected) process.disconnect();
  });
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
