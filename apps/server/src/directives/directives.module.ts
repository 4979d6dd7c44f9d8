import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilingsModule } from '../filings/filings.module';
import { DirectiveFlowService } from './directive-flow.service';
import { DirectivesController } from './directives.controller';
import { DirectivesService } from './directives.service';
import { ReceiptsController } from './receipts.controller';
import { ReceivedDirectivesService } from './received-directives.service';

@Module({
  imports: [DocumentsModule, CalendarModule, FilingsModule],
  controllers: [DirectivesController, ReceiptsController],
  providers: [DirectivesService, DirectiveFlowService, ReceivedDirectivesService],
  exports: [DirectivesService, DirectiveFlowService, ReceivedDirectivesService],
})
export class DirectivesModule {}
