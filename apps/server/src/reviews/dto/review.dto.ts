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
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class ReviewSubjectDto {
  @ApiProperty({ description: '被考核书记所在的组织（支部）' })
  @IsUUID('all', { message: '被考核组织的编号无效' })
  orgId!: string;

  @ApiPropertyOptional({ description: '被考核的书记（人员编号）；不填则取该组织现任支部书记' })
  @IsOptional()
  @IsUUID('all', { message: '被考核书记的人员编号无效' })
  personId?: string;
}

export class ReviewRaterDto {
  @ApiProperty({ description: '评分组（groups 中的 key）' })
  @IsString({ message: '评分人的评分组必须是文本' })
  @IsNotEmpty({ message: '评分人的评分组不能为空' })
  groupKey!: string;

  @ApiProperty({ description: '评分人（人员编号，须在本党委有“评议人”身份）' })
  @IsUUID('all', { message: '评分人的人员编号无效' })
  personId!: string;
}

export class CreateReviewRoundDto {
  @ApiProperty({ description: '考核年度', example: 2026 })
  @IsInt({ message: '考核年度必须是四位年份' })
  @Min(2000, { message: '考核年度必须是四位年份' })
  @Max(2100, { message: '考核年度必须是四位年份' })
  year!: number;

  @ApiProperty({ description: '名称，如“2026年度村（社区）党组织书记抓党建述职评议考核”' })
  @IsString({ message: '名称必须是文本' })
  @IsNotEmpty({ message: '名称不能为空' })
  @MaxLength(100, { message: '名称不能超过 100 个字符' })
  title!: string;

  @ApiPropertyOptional({ description: '关联的发文（考核项目可对应其中的措施）' })
  @IsOptional()
  @IsUUID('all', { message: '关联发文的编号无效' })
  directiveId?: string;

  @ApiProperty({ description: '述职报告期限：开始后几个工作日', example: 10 })
  @IsInt({ message: '述职报告期限（工作日数）必须是整数' })
  @Min(1, { message: '述职报告期限至少 1 个工作日' })
  @Max(60, { message: '述职报告期限不能超过 60 个工作日' })
  reportWorkdays!: number;

  @ApiProperty({ description: '评分期：述职报告截止后几个工作日', example: 5 })
  @IsInt({ message: '评分期（工作日数）必须是整数' })
  @Min(1, { message: '评分期至少 1 个工作日' })
  @Max(30, { message: '评分期不能超过 30 个工作日' })
  scoringWorkdays!: number;

  @ApiProperty({ description: '被考核的书记', type: [ReviewSubjectDto] })
  @IsArray({ message: '被考核对象必须是列表' })
  @ArrayMinSize(1, { message: '至少选择一名被考核的书记' })
  @ArrayMaxSize(2000, { message: '被考核对象不能超过 2000 个' })
  @ValidateNested({ each: true })
  @Type(() => ReviewSubjectDto)
  subjects!: ReviewSubjectDto[];

  @ApiProperty({ description: '评分人名单', type: [ReviewRaterDto] })
  @IsArray({ message: '评分人名单必须是列表' })
  @ArrayMinSize(1, { message: '至少选择一名评分人' })
  @ArrayMaxSize(5000, { message: '评分人不能超过 5000 人' })
  @ValidateNested({ each: true })
  @Type(() => ReviewRaterDto)
  raters!: ReviewRaterDto[];

  @ApiPropertyOptional({
    description: '考核项目 [{ key, name, weight, max, anchors: { GOOD, FAIRLY_GOOD, AVERAGE, POOR }, measure? }]；不填用默认五项',
    type: [Object],
  })
  @IsOptional()
  @IsArray({ message: '考核项目必须是列表' })
  @ArrayMaxSize(30, { message: '考核项目不能超过 30 项' })
  items?: unknown[];

  @ApiPropertyOptional({ description: '评分组 [{ key, name, weight, ballotKind: ITEMS|GRADE }]；不填用默认三组', type: [Object] })
  @IsOptional()
  @IsArray({ message: '评分组必须是列表' })
  @ArrayMaxSize(10, { message: '评分组不能超过 10 个' })
  groups?: unknown[];

  @ApiPropertyOptional({ description: '计分设置（去掉最高最低分的票数、显示组平均分的最少票数、等次分数线、日常考核权重、“好”等次上限）', type: Object })
  @IsOptional()
  @IsObject({ message: '计分设置必须是对象' })
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ description: '日常考核各项权重 { filingsOnTime, spotCheckPassRate, rectificationsClosed }，和为 100', type: Object })
  @IsOptional()
  @IsObject({ message: '日常考核权重必须是对象' })
  dailyWeights?: Record<string, unknown>;
}

export class BallotEntryDto {
  @ApiProperty({ description: '被评书记（本轮的考核对象编号）' })
  @IsUUID('all', { message: '被评对象的编号无效' })
  subjectId!: string;

  @ApiPropertyOptional({ enum: ['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'], description: '等次（评定等次的评分组）' })
  @IsOptional()
  @IsIn(['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'], { message: '等次只能是好、较好、一般、差' })
  grade?: 'GOOD' | 'FAIRLY_GOOD' | 'AVERAGE' | 'POOR';

  @ApiPropertyOptional({ description: '逐项得分 { 项目 key: 分数 }（逐项打分的评分组）', type: Object })
  @IsOptional()
  @IsObject({ message: '逐项得分必须是对象' })
  items?: Record<string, number>;

  @ApiPropertyOptional({ description: '弃权（须写明理由）' })
  @IsOptional()
  @IsBoolean({ message: '弃权只能是是或否' })
  abstain?: boolean;

  @ApiPropertyOptional({ description: '弃权理由' })
  @IsOptional()
  @IsString({ message: '弃权理由必须是文本' })
  @MaxLength(200, { message: '弃权理由不能超过 200 个字符' })
  reason?: string;
}

export class BallotSheetDto {
  @ApiProperty({ description: '各被评书记的评分', type: [BallotEntryDto] })
  @IsArray({ message: '评分必须是列表' })
  @ArrayMaxSize(2000, { message: '评分不能超过 2000 条' })
  @ValidateNested({ each: true })
  @Type(() => BallotEntryDto)
  entries!: BallotEntryDto[];
}

export class RecordMeasureDto {
  @ApiProperty({ description: '受处理的人员' })
  @IsUUID('all', { message: '人员编号无效' })
  personId!: string;

  @ApiProperty({ description: '所在组织' })
  @IsUUID('all', { message: '组织编号无效' })
  orgId!: string;

  @ApiProperty({ enum: ['诫勉', '组织调整', '通报'], description: '问责方式' })
  @IsIn(['诫勉', '组织调整', '通报'], { message: '问责方式只能是诫勉、组织调整或通报' })
  kind!: '诫勉' | '组织调整' | '通报';

  @ApiProperty({ description: '生效日期 YYYY-MM-DD' })
  @IsString({ message: '生效日期必须是 YYYY-MM-DD' })
  effectiveOn!: string;

  @ApiProperty({ description: '依据（决定文号或会议）' })
  @IsString({ message: '依据必须是文本' })
  @IsNotEmpty({ message: '依据不能为空' })
  @MaxLength(200, { message: '依据不能超过 200 个字符' })
  basis!: string;
}
