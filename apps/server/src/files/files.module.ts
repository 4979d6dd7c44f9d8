import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';

@Module({ imports: [DocumentsModule], controllers: [FilesController], providers: [FilesService], exports: [FilesService] })
export class FilesModule {}
