import { Module } from '@nestjs/common';
import { DirectivesModule } from '../directives/directives.module';
import { DocumentsModule } from '../documents/documents.module';
import { CalendarModule } from '../calendar/calendar.module';
import { PeopleModule } from '../people/people.module';
import { AdminOrgsPagesController } from './admin-orgs-pages.controller';
import { AdminPeoplePagesController } from './admin-people-pages.controller';
import { AuthPagesController } from './auth-pages.controller';
import { DirectiveFormOptions } from './directives-options';
import { DirectivesPagesController } from './directives-pages.controller';
import { InboxPagesController } from './inbox-pages.controller';

@Module({
  imports: [PeopleModule, DirectivesModule, DocumentsModule, CalendarModule],
  controllers: [AuthPagesController, InboxPagesController, AdminOrgsPagesController, AdminPeoplePagesController, DirectivesPagesController],
  providers: [DirectiveFormOptions],
})
export class PagesModule {}
