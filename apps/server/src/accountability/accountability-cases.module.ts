import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilesModule } from '../files/files.module';
import { AccountabilityController } from './accountability.controller';
import { AccountabilityFlowService } from './accountability-flow.service';
import { AccountabilityQueriesService } from './accountability-queries.service';
import { CasesService } from './cases.service';
import { DecisionsService } from './decisions.service';
import { SanctionsController } from './sanctions.controller';
import { SanctionsService } from './sanctions.service';

/** The case lifecycle (6). The intake (AccountabilityService.propose) stays in the platform module every lifecycle shares. */
@Module({
  imports: [CalendarModule, DocumentsModule, FilesModule],
  controllers: [AccountabilityController, SanctionsController],
  providers: [CasesService, DecisionsService, AccountabilityQueriesService, AccountabilityFlowService, SanctionsService],
  exports: [CasesService, DecisionsService, AccountabilityFlowService, SanctionsService],
})
export class AccountabilityCasesModule {}
