import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilingsModule } from '../filings/filings.module';
import { TasksController } from '../tasks/tasks.controller';
import { TasksService } from '../tasks/tasks.service';
import { DirectiveFlowService } from './directive-flow.service';
import { DirectivesController } from './directives.controller';
import { DirectivesService } from './directives.service';

@Module({
  imports: [DocumentsModule, CalendarModule, FilingsModule],
  controllers: [DirectivesController, TasksController],
  providers: [DirectivesService, DirectiveFlowService, TasksService],
  exports: [DirectivesService, DirectiveFlowService, TasksService],
})
export class DirectivesModule {}
