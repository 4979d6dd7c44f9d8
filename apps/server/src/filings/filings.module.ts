import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilesModule } from '../files/files.module';
import { FilingFlowService } from './filing-flow.service';
import { FilingsExportController } from './filings-export.controller';
import { FilingsExportService } from './filings-export.service';
import { FilingsController } from './filings.controller';
import { FilingsService } from './filings.service';

@Module({
  imports: [CalendarModule, DocumentsModule, FilesModule],
  controllers: [FilingsController, FilingsExportController],
  providers: [FilingsService, FilingFlowService, FilingsExportService],
  exports: [FilingsService, FilingFlowService],
})
export class FilingsModule {}
