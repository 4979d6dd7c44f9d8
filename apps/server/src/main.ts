import 'reflect-metadata';
import { createServerApp } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  loadConfig(); // fail fast, naming the bad variable, before anything connects
  const app = await createServerApp();
  const config = app.get(AppConfig);
  await app.listen(config.PORT, '0.0.0.0');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
