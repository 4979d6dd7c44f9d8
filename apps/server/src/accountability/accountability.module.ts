import { Global, Module } from '@nestjs/common';
import { AccountabilityService } from './accountability.service';

@Global()
@Module({ providers: [AccountabilityService], exports: [AccountabilityService] })
export class AccountabilityModule {}
