import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DocumentsModule } from '../documents/documents.module';
import { BallotsService } from './ballots.service';
import { DailyAssessmentService } from './daily-assessment';
import { ReviewFlowService } from './review-flow.service';
import { ReviewPublishService } from './review-publish.service';
import { ReviewReportsService } from './review-reports.service';
import { ReviewResultsService } from './review-results';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [CalendarModule, DocumentsModule],
  controllers: [ReviewsController],
  providers: [ReviewsService, BallotsService, DailyAssessmentService, ReviewResultsService, ReviewReportsService, ReviewPublishService, ReviewFlowService],
  exports: [ReviewsService, BallotsService, ReviewReportsService, ReviewPublishService, ReviewFlowService],
})
export class ReviewsModule {}
