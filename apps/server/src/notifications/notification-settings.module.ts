import { Module } from '@nestjs/common';
import { NotificationsPagesController } from '../pages/notifications/notifications-pages.controller';
import { ChannelSettingsService } from './channel-settings.service';
import { UrgeController } from './urge.controller';
import { UrgeService } from './urge.service';

/**
 * The server's side of notifications beyond `notify` (which every app has through PlatformModule): channel settings,
 * 一键催办, their API and pages. The sending itself is the worker's (DeliveryDispatcher).
 */
@Module({
  controllers: [UrgeController, NotificationsPagesController],
  providers: [ChannelSettingsService, UrgeService],
  exports: [ChannelSettingsService, UrgeService],
})
export class NotificationSettingsModule {}
