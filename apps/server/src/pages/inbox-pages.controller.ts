import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthedRequest } from '../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../common/middleware/csrf';
import { viewContext } from './view-context';

@ApiExcludeController()
@Controller('inbox')
export class InboxPagesController {
  constructor(@Inject(CSRF) private readonly csrf: Csrf) {}

  /** 待办 / 已办 / 逾期. Task kinds arrive with the issuance and filing lifecycles; until then it is empty. */
  @Get()
  async inbox(@Req() req: AuthedRequest, @Res() res: Response) {
    res.render('inbox', { ...(await viewContext(req, res, this.csrf, { title: '待办' })), tasks: [], counts: { todo: 0, done: 0, overdue: 0 } });
  }
}
