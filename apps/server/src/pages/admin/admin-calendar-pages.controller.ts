import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { CalendarService } from '../../calendar/calendar.service';
import { ZONE } from '../../calendar/working-calendar';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { FieldError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { errorMap } from '../form';
import { viewContext } from '../view-context';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** The working calendar for administrators: the year at a glance (holidays, 调休 working days, local days off) and local overrides. */
@ApiExcludeController()
@Controller('admin/calendar')
@RequirePermission('admin.calendar')
export class AdminCalendarPagesController {
  constructor(
    private readonly calendar: CalendarService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  async show(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.render(req, res, {});
  }

  @Post()
  async set(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    const errors: FieldError[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(body.day ?? '')) errors.push({ field: 'day', message: '请选择日期' });
    if (body.kind !== 'WORKDAY' && body.kind !== 'HOLIDAY') errors.push({ field: 'kind', message: '请选择“休息日”或“工作日”' });
    if ((body.note ?? '').length > 100) errors.push({ field: 'note', message: '说明不能超过 100 个字符' });
    if (errors.length) return this.render(req, res, { form: body, errors: Object.fromEntries(errors.map((e) => [e.field, e.message])) }, 400);
    try {
      await this.calendar.setOverride(req.actor as Actor, body.day, body.kind as 'WORKDAY' | 'HOLIDAY', body.note?.trim() ?? '');
      res.redirect(303, `/admin/calendar?year=${body.day.slice(0, 4)}&saved=${body.day}`);
    } catch (err) {
      await this.render(req, res, { form: body, errors: errorMap(err) }, 400);
    }
  }

  @Post(':day/delete')
  async remove(@Req() req: AuthedRequest, @Res() res: Response, @Param('day') day: string) {
    try {
      await this.calendar.removeOverride(req.actor as Actor, day);
      res.redirect(303, `/admin/calendar?year=${day.slice(0, 4)}&removed=${day}`);
    } catch (err) {
      await this.render(req, res, { errors: errorMap(err) }, 400);
    }
  }

  private async render(req: AuthedRequest, res: Response, extra: Record<string, unknown>, status = 200) {
    const now = DateTime.now().setZone(ZONE);
    const asked = Number(req.query.year);
    const year = Number.isInteger(asked) && asked >= 2004 && asked <= now.year + 2 ? asked : now.year;
    const cal = await this.calendar.calendar();
    const overrides = await this.calendar.listOverrides();
    const local = new Map(overrides.map((o) => [o.day, o]));
    const today = now.toISODate();
    const months = Array.from({ length: 12 }, (_, m) => {
      const first = DateTime.fromObject({ year, month: m + 1, day: 1 }, { zone: ZONE });
      const cells: ({ day: number; iso: string; cls: string; title: string } | null)[] = Array.from({ length: first.weekday - 1 }, () => null);
      let workdays = 0;
      for (let d = 1; d <= (first.daysInMonth ?? 30); d++) {
        const iso = first.set({ day: d }).toISODate() as string;
        const info = cal.describe(iso);
        if (info.workday) workdays++;
        const cls = [
          info.workday ? 'work' : 'rest',
          local.has(iso) ? 'local' : '',
          info.reason.includes('调休上班') ? 'makeup' : '',
          info.reason.includes('放假') ? 'holiday' : '',
          iso === today ? 'today' : '',
        ]
          .filter(Boolean)
          .join(' ');
        cells.push({ day: d, iso, cls, title: `${iso} ${info.reason}${local.get(iso)?.note ? `：${local.get(iso)?.note}` : ''}` });
      }
      return { label: `${m + 1}月`, cells, workdays };
    });
    res.status(status).render('admin/calendar', {
      ...(await viewContext(req, res, this.csrf, { title: '工作日历' })),
      year,
      prevYear: year - 1,
      nextYear: year < now.year + 2 ? year + 1 : null,
      weekdays: WEEKDAYS,
      months,
      workdaysInYear: months.reduce((s, m) => s + m.workdays, 0),
      overrides: overrides.filter((o) => o.day.startsWith(String(year))).map((o) => ({ ...o, kindLabel: o.kind === 'WORKDAY' ? '工作日' : '休息日' })),
      saved: typeof req.query.saved === 'string' ? req.query.saved : null,
      removed: typeof req.query.removed === 'string' ? req.query.removed : null,
      form: { kind: 'HOLIDAY' },
      ...extra,
    });
  }
}
