import { Module } from '@nestjs/common';
import { ArchiveService } from './archive.service';
import { DocNumberService } from './doc-number.service';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { OfdController } from './ofd/ofd.controller';
import { OfdService } from './ofd/ofd.service';
import { RendererService } from './renderer.service';
import { ReportPdfService } from './report-pdf.service';
import { SigningAdminService } from './signing-admin.service';
import { SigningIdentitiesController } from './signing-identities.controller';
import { SigningIdentityService } from './signing-identity.service';

@Module({
  controllers: [DocumentsController, SigningIdentitiesController, OfdController],
  providers: [DocumentsService, DocNumberService, ArchiveService, RendererService, SigningIdentityService, ReportPdfService, SigningAdminService, OfdService],
  exports: [DocumentsService, DocNumberService, ArchiveService, RendererService, SigningIdentityService, ReportPdfService, SigningAdminService],
})
export class DocumentsModule {}
