import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { SANCTION_KINDS } from '../../commendations/eligibility';

/** 登记党纪处分: a sanction the 纪委 decided, with its 处分决定文号. */
export class RecordSanctionDto {
  @ApiProperty({ description: '受处分人' })
  @IsNotEmpty({ message: '请选择受处分人' })
  @IsUUID('all', { message: '受处分人的编号无效' })
  personId!: string;

  @ApiProperty({ description: '受处分人任职的党组织' })
  @IsNotEmpty({ message: '请选择受处分人任职的党组织' })
  @IsUUID('all', { message: '受处分人任职的党组织编号无效' })
  orgId!: string;

  @ApiProperty({ enum: SANCTION_KINDS, description: '处分种类' })
  @IsIn(SANCTION_KINDS, { message: `处分种类须为${SANCTION_KINDS.join('、')}之一` })
  kind!: string;

  @ApiProperty({ description: '生效日期（YYYY-MM-DD，不晚于今天）', example: '2026-03-10' })
  @IsNotEmpty({ message: '生效日期不能为空' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '生效日期须为“2026-03-10”这样的日期' })
  effectiveOn!: string;

  @ApiProperty({ description: '处分决定文号', example: '大滩纪发〔2026〕3号' })
  @IsString({ message: '处分决定文号必须是文本' })
  @IsNotEmpty({ message: '处分决定文号不能为空' })
  @MaxLength(100, { message: '处分决定文号不能超过 100 个字符' })
  @Matches(/^[^\r\n]*$/, { message: '处分决定文号不能换行' })
  reference!: string;

  @ApiPropertyOptional({ description: '备注' })
  @IsOptional()
  @IsString({ message: '备注必须是文本' })
  @MaxLength(1000, { message: '备注不能超过 1000 个字符' })
  note?: string;
}
