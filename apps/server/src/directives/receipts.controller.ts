import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { DirectivesService } from './directives.service';

/** 签收 from the inbox: the receipt is the directive lifecycle's task, so its action lives with the directives. */
@ApiTags('待办')
@Controller('api/inbox')
export class ReceiptsController {
  constructor(private readonly directives: DirectivesService) {}

  /** 签收 a directive sent to the caller's branch (its own branch only; checked in the service). */
  @RequirePermission('receipt.acknowledge')
  @Post(':taskId/acknowledge')
  @HttpCode(200)
  acknowledge(@CurrentActor() actor: Actor, @Param('taskId', uuidParam('签收任务')) taskId: string) {
    return this.directives.acknowledge(actor, taskId);
  }
}
