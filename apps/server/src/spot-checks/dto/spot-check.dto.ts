import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDateTime } from '../../common/validation/date-time';

export class CreateRoundDto {
  @ApiProperty({ description: '轮次名称，如“2017年第二季度驻村工作队员抽查”' })
  @IsString({ message: '字段 title（名称）必须是文本' })
  @IsNotEmpty({ message: '字段 title（名称）不能为空' })
  @MaxLength(100, { message: '字段 title（名称）不能超过 100 个字符' })
  title!: string;

  @ApiProperty({ description: '抽查范围：组织树中的一个节点，抽查其下级' })
  @IsUUID('all', { message: '字段 scopeOrgId（抽查范围）必须是有效的组织编号' })
  scopeOrgId!: string;

  @ApiProperty({ enum: ['ANNOUNCED', 'UNANNOUNCED'], description: 'ANNOUNCED 明查；UNANNOUNCED 暗访（记录检查结果前被查单位看不到）' })
  @IsIn(['ANNOUNCED', 'UNANNOUNCED'], { message: '字段 mode（方式）必须是 ANNOUNCED（明查）或 UNANNOUNCED（暗访）' })
  mode!: 'ANNOUNCED' | 'UNANNOUNCED';

  @ApiProperty({ enum: ['BRANCH', 'PERSON'], description: 'BRANCH 抽支部；PERSON 按职务抽人' })
  @IsIn(['BRANCH', 'PERSON'], { message: '字段 target（抽查对象）必须是 BRANCH（支部）或 PERSON（按职务抽人）' })
  target!: 'BRANCH' | 'PERSON';

  @ApiPropertyOptional({ description: '按职务抽人时的职务，如“驻村工作队员”“第一书记”' })
  @IsOptional()
  @IsString({ message: '字段 targetPost（职务）必须是文本' })
  @MaxLength(40, { message: '字段 targetPost（职务）不能超过 40 个字符' })
  targetPost?: string;

  @ApiProperty({ description: '检查清单：[{ text, kind: PASS_FAIL|SCORE, maxScore?, passScore?, evidence: NONE|NOTE|PHOTO }]', type: [Object] })
  @IsArray({ message: '字段 checklist（检查清单）必须是列表' })
  checklist!: unknown[];

  @ApiProperty({ description: '抽样规则：{ levels: [{ level, min?, max?, share?, all? }], excludeRecentRounds? }', type: Object })
  @IsObject({ message: '字段 rule（抽样规则）必须是对象' })
  rule!: Record<string, unknown>;

  @ApiProperty({ description: '督查员（人员编号），至少一人', type: [String] })
  @IsArray({ message: '字段 inspectorIds（督查员）必须是列表' })
  @ArrayMinSize(1, { message: '字段 inspectorIds（督查员）至少选择一人' })
  @ArrayMaxSize(50, { message: '字段 inspectorIds（督查员）不能超过 50 人' })
  @IsUUID('all', { each: true, message: '字段 inspectorIds（督查员）包含无效的人员编号' })
  inspectorIds!: string[];

  @ApiProperty({ description: '检查窗口开始（ISO 时间）' })
  @IsDateTime({ message: '字段 windowStart（开始时间）必须是有效的时间' })
  windowStart!: string;

  @ApiProperty({ description: '检查窗口结束（ISO 时间）' })
  @IsDateTime({ message: '字段 windowEnd（结束时间）必须是有效的时间' })
  windowEnd!: string;

  @ApiPropertyOptional({ description: '整改期限：几个工作日', default: 10 })
  @IsOptional()
  @IsInt({ message: '字段 rectifyWorkdays（整改工作日数）必须是整数' })
  @Min(1, { message: '字段 rectifyWorkdays（整改工作日数）至少为 1' })
  @Max(60, { message: '字段 rectifyWorkdays（整改工作日数）不能超过 60' })
  rectifyWorkdays?: number;
}

export class DrawDto {
  @ApiPropertyOptional({ description: '随机种子；不填则随机生成并保存' })
  @IsOptional()
  @IsString({ message: '字段 seed（随机种子）必须是文本' })
  @Matches(/^[\w.:-]{1,64}$/, { message: '字段 seed（随机种子）只能用字母、数字和 _ . : -，不超过 64 个字符' })
  seed?: string;
}

export class PhotoRefDto {
  @IsString({ message: '字段 photos[].name（照片文件名）必须是文本' })
  @MaxLength(200, { message: '字段 photos[].name（照片文件名）不能超过 200 个字符' })
  name!: string;

  @IsString({ message: '字段 photos[].mimeType（照片类型）必须是文本' })
  mimeType!: string;

  @IsInt({ message: '字段 photos[].size（照片大小）必须是整数' })
  size!: number;

  @Matches(/^[0-9a-f]{64}$/, { message: '字段 photos[].sha256（照片指纹）无效' })
  sha256!: string;
}

export class FindingDto {
  @ApiProperty({ description: '页面生成的编号（离线重发时不变，服务端据此去重）' })
  @IsUUID('all', { message: '字段 clientId（记录编号）必须是有效的编号' })
  clientId!: string;

  @ApiProperty({ description: '被抽查对象（抽查名单中的一行）' })
  @IsUUID('all', { message: '字段 unitId（被查对象）必须是有效的编号' })
  unitId!: string;

  @ApiProperty({ description: '检查项目编号' })
  @IsString({ message: '字段 itemKey（检查项目）必须是文本' })
  @IsNotEmpty({ message: '字段 itemKey（检查项目）不能为空' })
  itemKey!: string;

  @ApiPropertyOptional({ description: '合格/不合格（PASS_FAIL 项）' })
  @IsOptional()
  @IsBoolean({ message: '字段 passed（是否合格）必须是 true 或 false' })
  passed?: boolean;

  @ApiPropertyOptional({ description: '得分（SCORE 项）' })
  @IsOptional()
  @IsInt({ message: '字段 score（得分）必须是整数' })
  score?: number;

  @ApiPropertyOptional({ enum: ['一般', '较重', '严重'] })
  @IsOptional()
  @IsIn(['一般', '较重', '严重'], { message: '字段 severity（问题程度）必须是 一般、较重 或 严重' })
  severity?: string;

  @ApiPropertyOptional({ description: '情况说明' })
  @IsOptional()
  @IsString({ message: '字段 notes（情况说明）必须是文本' })
  @MaxLength(2000, { message: '字段 notes（情况说明）不能超过 2000 个字' })
  notes?: string;

  @ApiPropertyOptional({ type: [PhotoRefDto], description: '照片（先上传到 /api/files）' })
  @IsOptional()
  @IsArray({ message: '字段 photos（照片）必须是列表' })
  @ArrayMaxSize(6, { message: '字段 photos（照片）每项最多 6 张' })
  @ValidateNested({ each: true })
  @Type(() => PhotoRefDto)
  photos?: PhotoRefDto[];

  @ApiProperty({ description: '现场记录时间（离线记录时为记录时的时间）' })
  @IsDateTime({ message: '字段 recordedAt（记录时间）必须是有效的时间' })
  recordedAt!: string;
}

export class RectificationDto {
  @ApiPropertyOptional({ description: '整改期限：几个工作日（默认用轮次设置）' })
  @IsOptional()
  @IsInt({ message: '字段 deadlineWorkdays（整改工作日数）必须是整数' })
  @Min(1, { message: '字段 deadlineWorkdays（整改工作日数）至少为 1' })
  @Max(60, { message: '字段 deadlineWorkdays（整改工作日数）不能超过 60' })
  deadlineWorkdays?: number;

  @ApiPropertyOptional({ description: '固定的整改期限（ISO 时间；演练和测试用，优先于工作日数）' })
  @IsOptional()
  @IsDateTime({ message: '字段 deadlineAt（整改期限）必须是有效的时间' })
  deadlineAt?: string;

  @ApiPropertyOptional({ description: '整改要求' })
  @IsOptional()
  @IsString({ message: '字段 instructions（整改要求）必须是文本' })
  @MaxLength(1000, { message: '字段 instructions（整改要求）不能超过 1000 个字' })
  instructions?: string;
}
