import { Module } from '@nestjs/common';
import { AccountabilityCasesModule } from '../accountability/accountability-cases.module';
import { DirectivesModule } from '../directives/directives.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilesModule } from '../files/files.module';
import { FilingsModule } from '../filings/filings.module';
import { CalendarModule } from '../calendar/calendar.module';
import { PeopleModule } from '../people/people.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { CommendationsModule } from '../commendations/commendations.module';
import { SpotChecksModule } from '../spot-checks/spot-checks.module';
import { AccountabilityFormOptions } from './accountability/accountability-options';
import { AccountabilityPagesController } from './accountability/accountability-pages.controller';
import { SanctionsPagesController } from './accountability/sanctions-pages.controller';
import { AdminCalendarPagesController } from './admin/admin-calendar-pages.controller';
import { AdminOrgsPagesController } from './admin/admin-orgs-pages.controller';
import { AdminPeoplePagesController } from './admin/admin-people-pages.controller';
import { AdminSigningPagesController } from './admin/admin-signing-pages.controller';
import { AuthPagesController } from './auth/auth-pages.controller';
import { CommendationsPagesController } from './commendations/commendations-pages.controller';
import { DirectiveFormOptions } from './directives/directives-options';
import { DirectivesPagesController } from './directives/directives-pages.controller';
import { FilingsPagesController } from './filings/filings-pages.controller';
import { InboxPagesController } from './inbox/inbox-pages.controller';
import { ReceivedPagesController } from './received/received-pages.controller';
import { ReviewFormOptions } from './reviews/reviews-options';
import { ReviewsPagesController } from './reviews/reviews-pages.controller';
import { SpotChecksPagesController } from './spot-checks/spot-checks-pages.controller';

@Module({
  imports: [
    PeopleModule,
    DirectivesModule,
    DocumentsModule,
    CalendarModule,
    FilingsModule,
    SpotChecksModule,
    ReviewsModule,
    AccountabilityCasesModule,
    CommendationsModule,
    FilesModule,
  ],
  controllers: [
    AuthPagesController,
    InboxPagesController,
    ReceivedPagesController,
    AdminOrgsPagesController,
    AdminPeoplePagesController,
    AdminCalendarPagesController,
    AdminSigningPagesController,
    DirectivesPagesController,
    FilingsPagesController,
    SpotChecksPagesController,
    ReviewsPagesController,
    AccountabilityPagesController,
    SanctionsPagesController,
    CommendationsPagesController,
  ],
  providers: [DirectiveFormOptions, ReviewFormOptions, AccountabilityFormOptions],
})
export class PagesModule {}
