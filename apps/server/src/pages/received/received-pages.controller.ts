import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { RECEIVED_LIMIT, ReceivedDirectivesService, ReceivedFilter } from '../../directives/received-directives.service';
import { withFrom } from '../../tasks/task-links';
import { errorMap } from '../form';
import { viewContext } from '../view-context';
import { receivedFilter, receivedHref } from './received-query';
import { receivedRowView } from './received-view';

/** 收文: the directives sent to the reader's own branch, searched by 文号, 年度 and 关键词 (all in the query). */
@ApiExcludeController()
@Controller('received')
export class ReceivedPagesController {
  constructor(
    private readonly received: ReceivedDirectivesService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  @RequirePermission('receipt.read')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    const query = req.query as Record<string, unknown>;
    let filter: ReceivedFilter = {};
    let filterErrors: Record<string, string> | undefined;
    try {
      filter = receivedFilter(query);
    } catch (err) {
      filterErrors = errorMap(err);
    }
    const { rows, more } = await this.received.list(req.actor as Actor, filter);
    // Each directive opened from here links back to 收文 as it is now (its search).
    const from = filterErrors ? '/received' : receivedHref(query);
    const thisYear = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    res.status(filterErrors ? 400 : 200).render('received/list', {
      ...(await viewContext(req, res, this.csrf, { title: '收文' })),
      rows: rows.map((r) => ({ ...receivedRowView(r), href: withFrom(`/directives/${r.id}`, from), pdfHref: `/api/documents/${r.documentId}/pdf` })),
      filter: { ...filter, errors: filterErrors },
      filtered: !!(filter.no || filter.year || filter.q),
      more,
      limit: RECEIVED_LIMIT,
      years: Array.from({ length: thisYear - 2014 }, (_, i) => thisYear - i).map((y) => ({ value: y, selected: y === filter.year })),
    });
  }
}
