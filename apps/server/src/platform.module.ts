import { Module } from '@nestjs/common';
import { AccountabilityModule } from './accountability/accountability.module';
import { AuditModule } from './audit/audit.module';
import { NotificationsModule } from './notifications/notifications.module';
import { TasksModule } from './tasks/tasks.module';

/**
 * The parts every lifecycle shares (audit, tasks, notifications, accountability intake), provided once to the whole
 * application: the server, the worker and the CLI import this module, the lifecycle modules just inject its services.
 */
@Module({ imports: [AuditModule, NotificationsModule, AccountabilityModule, TasksModule] })
export class PlatformModule {}
