import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { CalendarService } from './calendar.service';
import { parseDay } from './working-calendar';

class OverrideDto {
  @IsIn(['WORKDAY', 'HOLIDAY'], { message: '字段 kind（类型）必须是 WORKDAY（工作日）或 HOLIDAY（休息日）' })
  kind!: 'WORKDAY' | 'HOLIDAY';

  @IsOptional()
  @IsString({ message: '字段 note（说明）必须是文本' })
  @MaxLength(100, { message: '字段 note（说明）不能超过 100 个字符' })
  note?: string;
}

@ApiTags('工作日历')
@Controller('api/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('days/:day')
  day(@Param('day') day: string) {
    return this.calendar.isWorkday(day);
  }

  @Get('add-workdays')
  async addWorkdays(@Query('from') from: string, @Query('n') n: string) {
    const count = Number(n);
    if (!/^-?\d+$/.test(n ?? '') || Math.abs(count) > 1000) {
      throw DomainError.validation([{ field: 'n', message: '字段 n（工作日数）必须是 -1000 到 1000 之间的整数' }]);
    }
    const day = parseDay(from, 'from'); // named as the query names it, not “date”
    return { from: day, n: count, result: await this.calendar.addWorkdays(day, count) };
  }

  @Get('overrides')
  overrides() {
    return this.calendar.listOverrides();
  }

  @RequirePermission('admin.calendar')
  @Put('overrides/:day')
  set(@CurrentActor() actor: Actor, @Param('day') day: string, @Body() dto: OverrideDto) {
    return this.calendar.setOverride(actor, day, dto.kind, dto.note);
  }

  @RequirePermission('admin.calendar')
  @Delete('overrides/:day')
  remove(@CurrentActor() actor: Actor, @Param('day') day: string) {
    return this.calendar.removeOverride(actor, day);
  }
}
