import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { PlatformModule } from '../../server/src/platform.module';
import { ConfigModule } from '../../server/src/config/config.module';
import { loggerOptions } from '../../server/src/common/logging';
import { PrismaModule } from '../../server/src/prisma/prisma.module';
import { CalendarModule } from '../../server/src/calendar/calendar.module';
import { DirectivesModule } from '../../server/src/directives/directives.module';
import { DocumentsModule } from '../../server/src/documents/documents.module';
import { FilingsModule } from '../../server/src/filings/filings.module';
import { SpotChecksModule } from '../../server/src/spot-checks/spot-checks.module';
import { ReviewsModule } from '../../server/src/reviews/reviews.module';
import { AccountabilityCasesModule } from '../../server/src/accountability/accountability-cases.module';
import { CommendationsModule } from '../../server/src/commendations/commendations.module';
import { OrgsModule } from '../../server/src/orgs/orgs.module';
import { TemporalModule } from '../../server/src/temporal/temporal.module';
import { DeliveryDispatcher } from '../../server/src/notifications/delivery-dispatcher.service';
import { UploadCleanupService } from '../../server/src/files/upload-cleanup.service';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync(loggerOptions('worker')),
    PrismaModule,
    PlatformModule,
    TemporalModule,
    OrgsModule,
    CalendarModule,
    DocumentsModule,
    FilingsModule,
    DirectivesModule,
    SpotChecksModule,
    ReviewsModule,
    AccountabilityCasesModule,
    CommendationsModule,
  ],
  // The notices' outbox relay and the cleanup of unattached uploads run beside the Temporal worker (periodic database
  // chores, not workflows: see DeliveryDispatcher and UploadCleanupService).
  providers: [TemporalWorkerService, DeliveryDispatcher, UploadCleanupService],
})
export class WorkerModule {}
