import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilesModule } from '../files/files.module';
import { FindingsService } from './findings.service';
import { RectificationsService } from './rectifications.service';
import { SpotCheckFlowService } from './spot-check-flow.service';
import { SpotCheckReportService } from './spot-check-report.service';
import { SpotChecksController } from './spot-checks.controller';
import { SpotChecksService } from './spot-checks.service';

@Module({
  imports: [CalendarModule, DocumentsModule, FilesModule],
  controllers: [SpotChecksController],
  providers: [SpotChecksService, FindingsService, RectificationsService, SpotCheckReportService, SpotCheckFlowService],
  exports: [SpotChecksService, FindingsService, SpotCheckReportService, SpotCheckFlowService],
})
export class SpotChecksModule {}
