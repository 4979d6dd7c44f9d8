import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '../../server/src/audit/audit.module';
import { ConfigModule } from '../../server/src/config/config.module';
import { loggerOptions } from '../../server/src/common/logging';
import { PrismaModule } from '../../server/src/prisma/prisma.module';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [ConfigModule, LoggerModule.forRootAsync(loggerOptions('worker')), PrismaModule, AuditModule],
  providers: [TemporalWorkerService],
})
export class WorkerModule {}
