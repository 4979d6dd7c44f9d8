import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { parseInboxQuery } from './inbox-query';
import { TasksService } from './tasks.service';

@ApiTags('待办')
@Controller('api/inbox')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** Also answered by the fast path (inbox-fast-path.ts) for a logged-in capacity with a valid query; this is the reference. */
  @Get()
  inbox(
    @CurrentActor() actor: Actor,
    @Query('tab') tab?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Query('directiveId') directiveId?: string,
    @Query('kind') kind?: string,
  ) {
    return this.tasks.inbox(actor, parseInboxQuery({ tab, after, limit, directiveId, kind }));
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
}
