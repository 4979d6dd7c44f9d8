import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { uuidParam } from '../common/validation/uuid-param';
import { DirectivesService } from '../directives/directives.service';
import { InboxTab, TaskKindName, TasksService } from './tasks.service';

const TABS: InboxTab[] = ['todo', 'overdue', 'done'];
const KINDS: TaskKindName[] = ['APPROVAL', 'RECEIPT', 'FILING', 'INSPECTION'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('待办')
@Controller('api/inbox')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly directives: DirectivesService,
  ) {}

  @Get()
  inbox(
    @CurrentActor() actor: Actor,
    @Query('tab') tab?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Query('directiveId') directiveId?: string,
    @Query('kind') kind?: string,
  ) {
    if (tab && !TABS.includes(tab as InboxTab))
      throw DomainError.validation([{ field: 'tab', message: '字段 tab 必须是 todo（待办）、overdue（逾期）或 done（已办）' }]);
    if (kind && !KINDS.includes(kind as TaskKindName))
      throw DomainError.validation([{ field: 'kind', message: '字段 kind 必须是 APPROVAL（审批）、RECEIPT（签收）、FILING（填报）或 INSPECTION（抽查）' }]);
    if (limit && !/^\d{1,3}$/.test(limit)) throw DomainError.validation([{ field: 'limit', message: '字段 limit 必须是 1 到 100 的整数' }]);
    if (directiveId && !UUID.test(directiveId)) throw DomainError.validation([{ field: 'directiveId', message: '字段 directiveId 必须是有效的编号' }]);
    return this.tasks.inbox(actor, {
      tab: tab as InboxTab,
      after,
      limit: limit ? Number(limit) : undefined,
      directiveId,
      kind: kind as TaskKindName,
    });
  }

  @Get('counts')
  counts(@CurrentActor() actor: Actor) {
    return this.tasks.counts(actor);
  }

  /** The directives the caller has tasks for: id, title and 发文字号, for the inbox's directive filter. */
  @Get('directives')
  directiveChoices(@CurrentActor() actor: Actor) {
    return this.tasks.directivesWithTasks(actor);
  }

  @Get('notifications')
  notifications(@CurrentActor() actor: Actor) {
    return this.tasks.notifications(actor);
  }

  /** 签收 a directive sent to the caller's branch. */
  @Post(':taskId/acknowledge')
  @HttpCode(200)
  acknowledge(@CurrentActor() actor: Actor, @Param('taskId', uuidParam('签收任务')) taskId: string) {
    return this.directives.acknowledge(actor, taskId);
  }
}
