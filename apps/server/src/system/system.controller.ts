import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { CurrentActor, Public, RequirePermission } from '../common/decorators/auth.decorators';
import { PrismaService } from '../prisma/prisma.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { ackUpdate } from '../../../../workflows/system/ping.definitions';
import type { pingWorkflow } from '../../../../workflows/system/ping.workflow';

class PingDto {
  @IsString({ message: '字段 message（内容）必须是文本' })
  @IsNotEmpty({ message: '字段 message（内容）不能为空' })
  @MaxLength(200, { message: '字段 message（内容）不能超过 200 个字符' })
  message!: string;

  @IsOptional()
  @IsInt({ message: '字段 ackTimeoutMs 必须是整数' })
  @Min(0, { message: '字段 ackTimeoutMs 不能小于 0' })
  @Max(60_000, { message: '字段 ackTimeoutMs 不能大于 60000' })
  ackTimeoutMs?: number;
}

@ApiTags('系统')
@Controller('api')
export class SystemController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalClientService,
    private readonly audit: AuditService,
  ) {}

  /**
   * For load balancers and `npm start`: 200 `{ status: "ok" }` when the database and Temporal answer, 503
   * `{ status: "degraded" }` when either does not. Anonymous callers learn nothing else (no addresses, no errors).
   */
  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const { ok } = await this.check();
    if (!ok) res.status(503);
    return { status: ok ? 'ok' : 'degraded' };
  }

  /** The same check with its details, for the administrator. */
  @RequirePermission('system.ping')
  @Get('system/health')
  async healthDetails(@Res({ passthrough: true }) res: Response) {
    const details = await this.check();
    if (!details.ok) res.status(503);
    return { status: details.ok ? 'ok' : 'degraded', database: details.database, temporal: details.temporal, ms: details.ms };
  }

  private async check() {
    const started = Date.now();
    const database = await this.prisma.$queryRaw`SELECT 1`.then(
      () => ({ ok: true, detail: 'PostgreSQL 可用' }),
      (err: Error) => ({ ok: false, detail: `数据库不可用：${err.message}` }),
    );
    const temporal = await this.temporal.check();
    return { ok: database.ok && temporal.ok, database, temporal, ms: Date.now() - started };
  }

  /** Round trip through Temporal: start the ping workflow, acknowledge it with an Update, return its result. */
  @RequirePermission('system.ping')
  @Post('system/ping')
  @HttpCode(200)
  async ping(@CurrentActor() actor: Actor, @Body() dto: PingDto) {
    const client = await this.temporal.client();
    const handle = await client.workflow.start<typeof pingWorkflow>('pingWorkflow', {
      taskQueue: this.temporal.taskQueue,
      workflowId: `ping-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      args: [{ message: dto.message, ackTimeoutMs: dto.ackTimeoutMs ?? 30_000 }],
      workflowExecutionTimeout: '2 minutes',
    });
    const ack = await handle.executeUpdate(ackUpdate, { args: [{ by: actor.name }] });
    const result = await handle.result();
    await this.audit.transaction((tx) =>
      this.audit.record(tx, { actor, action: 'system.ping', entityType: 'workflow', entityId: handle.workflowId, data: { ...result } }),
    );
    return { workflowId: handle.workflowId, ack, result };
  }
}
