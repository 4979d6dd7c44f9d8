import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { FilesModule } from '../files/files.module';
import { FilingFlowService } from './filing-flow.service';
import { FilingsController } from './filings.controller';
import { FilingsService } from './filings.service';

@Module({
  imports: [CalendarModule, FilesModule],
  controllers: [FilingsController],
  providers: [FilingsService, FilingFlowService],
  exports: [FilingsService, FilingFlowService],
})
export class FilingsModule {}
