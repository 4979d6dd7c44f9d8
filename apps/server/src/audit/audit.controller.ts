import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/decorators/auth.decorators';
import { AuditService } from './audit.service';

@ApiTags('审计')
@Controller('api/audit')
@RequirePermission('audit.read')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query('entityType') entityType?: string, @Query('entityId') entityId?: string) {
    return this.audit.list({ entityType, entityId });
  }

  @Get('verify')
  async verify() {
    const r = await this.audit.verify();
    const plain = (b: { seq: bigint; reason: string }) => ({ seq: b.seq.toString(), reason: b.reason });
    return { ...r, breaks: r.breaks.map(plain), firstBreak: r.firstBreak ? plain(r.firstBreak) : null };
  }
}
