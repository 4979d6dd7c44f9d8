import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
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

  /** Database and Temporal reachability; 503 when either is down. */
  @Public()
  @Get('health')
  async health() {
    const started = Date.now();
    const database = await this.prisma.$queryRaw`SELECT 1`.then(
      () => ({ ok: true, detail: 'PostgreSQL 可用' }),
      (err: Error) => ({ ok: false, detail: `数据库不可用：${err.message}` }),
    );
    const temporal = await this.temporal.check();
    const ok = database.ok && temporal.ok;
    return { status: ok ? 'ok' : 'degraded', database, temporal, ms: Date.now() - started };
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
