import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { PlatformModule } from './platform.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { loggerOptions } from './common/logging';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { HttpPipelineModule } from './common/middleware/http-pipeline.module';
import { SecurityModule } from './common/middleware/security.module';
import { ConfigModule } from './config/config.module';
import { DirectivesModule } from './directives/directives.module';
import { DocumentsModule } from './documents/documents.module';
import { OrgsModule } from './orgs/orgs.module';
import { NotificationSettingsModule } from './notifications/notification-settings.module';
import { PagesModule } from './pages/pages.module';
import { PeopleModule } from './people/people.module';
import { PrismaModule } from './prisma/prisma.module';
import { ReviewsModule } from './reviews/reviews.module';
import { AccountabilityCasesModule } from './accountability/accountability-cases.module';
import { CommendationsModule } from './commendations/commendations.module';
import { OverviewModule } from './overview/overview.module';
import { SpotChecksModule } from './spot-checks/spot-checks.module';
import { SystemModule } from './system/system.module';
import { TemporalModule } from './temporal/temporal.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync(loggerOptions('server')),
    // Applied only where LoginThrottlerGuard is used: 10 tries a minute per account name and address.
    ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: 10 }]),
    SecurityModule,
    HttpPipelineModule,
    IdempotencyModule,
    PrismaModule,
    PlatformModule,
    TemporalModule,
    AuthModule,
    OrgsModule,
    PeopleModule,
    CalendarModule,
    DocumentsModule,
    DirectivesModule,
    SpotChecksModule,
    ReviewsModule,
    AccountabilityCasesModule,
    CommendationsModule,
    OverviewModule,
    SystemModule,
    NotificationSettingsModule,
    PagesModule,
  ],
})
export class AppModule {}
