import { Global, Module } from '@nestjs/common';
import { OrgScopeService } from './org-scope.service';
import { OrgsController } from './orgs.controller';
import { OrgsService } from './orgs.service';

@Global()
@Module({ controllers: [OrgsController], providers: [OrgsService, OrgScopeService], exports: [OrgsService, OrgScopeService] })
export class OrgsModule {}
