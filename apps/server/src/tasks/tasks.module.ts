import { Global, Module } from '@nestjs/common';
import { TaskFlowService } from './task-flow.service';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The inbox (reads) and the task lifecycle (open, remind, overdue, close) that every workflow uses. */
@Global()
@Module({ controllers: [TasksController], providers: [TasksService, TaskFlowService], exports: [TasksService, TaskFlowService] })
export class TasksModule {}
