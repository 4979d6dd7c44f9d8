import { Module } from '@nestjs/common';
import { OverviewExportController, OverviewPagesController } from '../pages/overview/overview-pages.controller';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';

/** 年度综合情况: the API and its pages (registered here, beside the service they read). */
@Module({
  controllers: [OverviewController, OverviewPagesController, OverviewExportController],
  providers: [OverviewService],
  exports: [OverviewService],
})
export class OverviewModule {}
