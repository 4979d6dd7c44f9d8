import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IssuerKind, OrgKind } from '../../prisma/client';

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  COMMITTEE: '党委',
  VILLAGE: '村',
  COMMUNITY: '社区',
  OFFICE: '机关',
  SCHOOL: '学校',
};

export const ISSUER_KIND_LABELS: Record<IssuerKind, string> = {
  PARTY: '党的机关（版头分隔线加红色五角星）',
  GOVERNMENT: '行政机关（版头分隔线为红线）',
};

export class CreateOrgDto {
  @ApiProperty({ description: '组织编码（字母、数字、-、_）', example: 'DT-V01' })
  @Matches(/^[A-Za-z0-9_-]{2,32}$/, { message: '字段 code（组织编码）只能由 2 到 32 个字母、数字、- 或 _ 组成' })
  code!: string;

  @ApiProperty({ description: '组织全称', example: '中共大滩乡大滩村支部委员会' })
  @IsString({ message: '字段 name（组织名称）必须是文本' })
  @IsNotEmpty({ message: '字段 name（组织名称）不能为空' })
  @MaxLength(80, { message: '字段 name（组织名称）不能超过 80 个字符' })
  name!: string;

  @ApiPropertyOptional({ description: '简称', example: '大滩村党支部' })
  @IsOptional()
  @IsString({ message: '字段 shortName（简称）必须是文本' })
  @MaxLength(40, { message: '字段 shortName（简称）不能超过 40 个字符' })
  shortName?: string;

  @ApiProperty({ enum: OrgKind, description: '类别：COMMITTEE 党委 / VILLAGE 村 / COMMUNITY 社区 / OFFICE 机关 / SCHOOL 学校' })
  @IsEnum(OrgKind, { message: '字段 kind（类别）必须是 COMMITTEE（党委）、VILLAGE（村）、COMMUNITY（社区）、OFFICE（机关）或 SCHOOL（学校）' })
  kind!: OrgKind;

  @ApiPropertyOptional({ description: '发文机关代字', example: '大滩委发' })
  @IsOptional()
  @Matches(/^[\u4e00-\u9fff]{1,10}$/, { message: '字段 organCode（机关代字）应为 1 到 10 个汉字，例如“大滩委发”' })
  organCode?: string;

  @ApiPropertyOptional({ enum: IssuerKind, description: '发文机关性质：PARTY 党的机关（分隔线加五角星）/ GOVERNMENT 行政机关', default: 'PARTY' })
  @IsOptional()
  @IsEnum(IssuerKind, { message: '字段 issuerKind（发文机关性质）必须是 PARTY（党的机关）或 GOVERNMENT（行政机关）' })
  issuerKind?: IssuerKind;

  @ApiPropertyOptional({ description: '版记中的印发机关', example: '中共大滩乡委员会办公室' })
  @IsOptional()
  @IsString({ message: '字段 printingOrgan（印发机关）必须是文本' })
  @MaxLength(60, { message: '字段 printingOrgan（印发机关）不能超过 60 个字符' })
  printingOrgan?: string;

  @ApiPropertyOptional({ description: '上级组织编号' })
  @IsOptional()
  @IsUUID('all', { message: '字段 parentId（上级组织）必须是有效的编号' })
  parentId?: string;

  @ApiPropertyOptional({ description: '排序号' })
  @IsOptional()
  @IsInt({ message: '字段 sortOrder（排序号）必须是整数' })
  @Min(0, { message: '字段 sortOrder（排序号）不能小于 0' })
  @Max(999999, { message: '字段 sortOrder（排序号）不能大于 999999' })
  sortOrder?: number;
}

export class UpdateOrgDto extends PartialType(CreateOrgDto) {}
