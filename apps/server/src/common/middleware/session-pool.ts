import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig } from '../../config/app-config';

/** The small pg pool behind the session store, closed with the application. */
@Injectable()
export class SessionPool extends Pool implements OnModuleDestroy {
  /** Things built on the pool that must stop first (the session store's prune timer). */
  readonly closers: (() => void)[] = [];

  constructor(config: AppConfig) {
    super({ connectionString: config.DATABASE_URL, max: 10 });
    // An idle connection the database cut (a restart of PostgreSQL) is dropped by the pool and reported here; with
    // nobody listening, the pool's 'error' event would end the server process.
    const logger = new Logger(SessionPool.name);
    this.on('error', (err) => logger.warn(`会话库连接中断：${err.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    for (const close of this.closers) close();
    await this.end();
  }
}
