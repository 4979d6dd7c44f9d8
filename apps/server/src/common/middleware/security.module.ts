import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuthCache } from './auth-cache';
import { createCsrf, CSRF } from './csrf';
import { SessionPool } from './session-pool';

@Global()
@Module({
  providers: [{ provide: CSRF, inject: [AppConfig], useFactory: (c: AppConfig) => createCsrf(c.SESSION_SECRET, c.isProduction) }, SessionPool, AuthCache],
  exports: [CSRF, SessionPool, AuthCache],
})
export class SecurityModule {}
