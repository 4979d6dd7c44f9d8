import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { AdminOrgsPagesController } from './admin-orgs-pages.controller';
import { AdminPeoplePagesController } from './admin-people-pages.controller';
import { AuthPagesController } from './auth-pages.controller';
import { InboxPagesController } from './inbox-pages.controller';

@Module({
  imports: [PeopleModule],
  controllers: [AuthPagesController, InboxPagesController, AdminOrgsPagesController, AdminPeoplePagesController],
})
export class PagesModule {}
