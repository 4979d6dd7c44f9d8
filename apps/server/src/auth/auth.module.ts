import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { SessionFlow } from './session-flow';

@Global()
@Module({
  controllers: [AuthController],
  providers: [AuthService, SessionFlow, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, SessionFlow],
})
export class AuthModule {}
