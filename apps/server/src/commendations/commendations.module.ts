import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { FilesModule } from '../files/files.module';
import { DailyAssessmentService } from '../reviews/daily-assessment';
import { CommendationFlowService } from './commendation-flow.service';
import { CommendationNoticeService } from './commendation-notice.service';
import { CommendationsController } from './commendations.controller';
import { CommendationsService } from './commendations.service';
import { EligibilityService } from './eligibility';
import { NomineeRecordService } from './nominee-record';

/** 评选表扬 (lifecycle 5). */
@Module({
  imports: [CalendarModule, DocumentsModule, FilesModule],
  controllers: [CommendationsController],
  providers: [CommendationsService, CommendationNoticeService, CommendationFlowService, EligibilityService, NomineeRecordService, DailyAssessmentService],
  exports: [CommendationsService, CommendationNoticeService, CommendationFlowService, EligibilityService, NomineeRecordService],
})
export class CommendationsModule {}
