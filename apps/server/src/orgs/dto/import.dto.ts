import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CsvImportDto {
  @ApiProperty({ description: 'CSV 文本（首行为列名）' })
  @IsString({ message: '字段 csv（CSV 内容）必须是文本' })
  @MaxLength(2_000_000, { message: '字段 csv（CSV 内容）过大，请分批导入' })
  csv!: string;

  @IsOptional()
  @IsString()
  _csrf?: string;
}
