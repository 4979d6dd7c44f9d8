import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';

export class DocumentModelBody {
  @ApiProperty({ description: '公文模型（见 DocumentModel：kind、issuers、title、addressee、body、signingOrgans、date…）', type: Object })
  @IsObject({ message: '字段 model（公文内容）必须是对象' })
  model!: Record<string, unknown>;
}

export class ImportTextBody {
  @ApiProperty({ description: '纯文本公文' })
  @IsString({ message: '字段 text（公文文本）必须是文本' })
  @IsNotEmpty({ message: '字段 text（公文文本）不能为空' })
  @MaxLength(200_000, { message: '字段 text（公文文本）不能超过 200000 个字符' })
  text!: string;
}
