import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ArrayMaxSize } from 'class-validator';
import { IsDateTime } from '../../common/validation/date-time';

export class RequirementDto {
  @ApiProperty({ description: '要求名称，如“2018年度工作计划”' })
  @IsString({ message: '字段 requirements[].title（填报名称）必须是文本' })
  @IsNotEmpty({ message: '字段 requirements[].title（填报名称）不能为空' })
  @MaxLength(100, { message: '字段 requirements[].title（填报名称）不能超过 100 个字符' })
  title!: string;

  @ApiPropertyOptional({ enum: ['ANNUAL_WORK_PLAN', 'RECTIFICATION_REPORT'], description: '现成表单模板（与 form 二选一）' })
  @IsOptional()
  @IsIn(['ANNUAL_WORK_PLAN', 'RECTIFICATION_REPORT'], {
    message: '字段 requirements[].template（表单模板）必须是 ANNUAL_WORK_PLAN（年度工作计划）或 RECTIFICATION_REPORT（整改报告）',
  })
  template?: 'ANNUAL_WORK_PLAN' | 'RECTIFICATION_REPORT';

  @ApiPropertyOptional({ description: '自定义表单定义（与 template 二选一）', type: Object })
  @IsOptional()
  @IsObject({ message: '字段 requirements[].form（表单）必须是对象' })
  form?: Record<string, unknown>;

  @ApiProperty({ enum: ['FIXED', 'WORKDAYS'], description: 'FIXED 固定时间；WORKDAYS 印发后 N 个工作日' })
  @IsIn(['FIXED', 'WORKDAYS'], { message: '字段 requirements[].deadlineKind（期限类型）必须是 FIXED（固定时间）或 WORKDAYS（工作日）' })
  deadlineKind!: 'FIXED' | 'WORKDAYS';

  @ApiPropertyOptional({ description: '固定期限（ISO 时间）' })
  @IsOptional()
  @IsDateTime({ message: '字段 requirements[].deadlineAt（期限）必须是有效的时间' })
  deadlineAt?: string;

  @ApiPropertyOptional({ description: '印发后第几个工作日' })
  @IsOptional()
  @IsInt({ message: '字段 requirements[].deadlineWorkdays（工作日数）必须是整数' })
  @Min(1, { message: '字段 requirements[].deadlineWorkdays（工作日数）至少为 1' })
  @Max(250, { message: '字段 requirements[].deadlineWorkdays（工作日数）不能超过 250' })
  deadlineWorkdays?: number;

  @ApiPropertyOptional({ description: '截止时刻 HH:mm', default: '17:30' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '字段 requirements[].deadlineTime（截止时刻）应为 HH:mm，如 17:30' })
  deadlineTime?: string;

  @ApiPropertyOptional({ description: '提前几个工作日提醒（09:00），0 为当天', type: [Number] })
  @IsOptional()
  @IsArray({ message: '字段 requirements[].reminderDays（提醒）必须是列表' })
  @ArrayMaxSize(5, { message: '字段 requirements[].reminderDays（提醒）最多 5 次' })
  @IsInt({ each: true, message: '字段 requirements[].reminderDays（提醒）须为整数' })
  @Min(0, { each: true, message: '字段 requirements[].reminderDays（提醒）不能为负数' })
  reminderDays?: number[];

  @ApiPropertyOptional({ enum: ['COMMITTEE_STAFF', 'COMMITTEE_SECRETARY', 'INSPECTOR'], default: 'COMMITTEE_STAFF' })
  @IsOptional()
  @IsIn(['COMMITTEE_STAFF', 'COMMITTEE_SECRETARY', 'INSPECTOR'], {
    message: '字段 requirements[].reviewerRole（审核人）必须是 COMMITTEE_STAFF（党建办工作人员）、COMMITTEE_SECRETARY（党委书记）或 INSPECTOR（督查员）',
  })
  reviewerRole?: 'COMMITTEE_STAFF' | 'COMMITTEE_SECRETARY' | 'INSPECTOR';
}

export class FilingValuesDto {
  @ApiProperty({ description: '表单填写内容（键为表单字段 key）', type: Object })
  @IsObject({ message: '字段 values（填报内容）必须是对象' })
  values!: Record<string, unknown>;
}

/** An autosave: the values, the draft version the page started from, and which page (one per opening) saves. */
export class FilingDraftDto extends FilingValuesDto {
  @ApiPropertyOptional({ description: '编辑页打开时草稿的版本号（draftVersion）：草稿已被别处保存过时拒绝覆盖（409）' })
  @IsOptional()
  @IsInt({ message: '字段 baseVersion（草稿版本）必须是整数' })
  @Min(0, { message: '字段 baseVersion（草稿版本）不能为负数' })
  baseVersion?: number;

  @ApiPropertyOptional({ description: '编辑页的随机编号：同一页接连保存不算冲突' })
  @IsOptional()
  @IsString({ message: '字段 editor（编辑页编号）必须是文本' })
  @Matches(/^[0-9a-f]{16,64}$/, { message: '字段 editor（编辑页编号）格式不对' })
  editor?: string;
}

/** A submission, with the draft version the page started from (optional: the API may submit without a draft). */
export class FilingSubmitDto extends FilingValuesDto {
  @ApiPropertyOptional({ description: '编辑页打开时草稿的版本号：草稿已被别处保存过时拒绝提交（409）' })
  @IsOptional()
  @IsInt({ message: '字段 baseVersion（草稿版本）必须是整数' })
  @Min(0, { message: '字段 baseVersion（草稿版本）不能为负数' })
  baseVersion?: number;

  @ApiPropertyOptional({ description: '编辑页的随机编号' })
  @IsOptional()
  @IsString({ message: '字段 editor（编辑页编号）必须是文本' })
  @Matches(/^[0-9a-f]{16,64}$/, { message: '字段 editor（编辑页编号）格式不对' })
  editor?: string;
}

export class FilingReviewDto {
  @ApiProperty({ enum: ['ACCEPT', 'RETURN'] })
  @IsIn(['ACCEPT', 'RETURN'], { message: '字段 decision（审核结果）必须是 ACCEPT（通过）或 RETURN（退回修改）' })
  decision!: 'ACCEPT' | 'RETURN';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '字段 comment（意见）必须是文本' })
  @MaxLength(1000, { message: '字段 comment（意见）不能超过 1000 个字符' })
  comment?: string;

  @ApiPropertyOptional({ description: '退回时的新期限（ISO 时间）' })
  @IsOptional()
  @IsDateTime({ message: '字段 newDeadline（新期限）必须是有效的时间' })
  newDeadline?: string;
}

export class ExtensionRequestDto {
  @ApiProperty({ description: '申请延期到（ISO 时间）' })
  @IsDateTime({ message: '字段 until（延期至）必须是有效的时间' })
  until!: string;

  @ApiProperty()
  @IsString({ message: '字段 reason（理由）必须是文本' })
  @IsNotEmpty({ message: '字段 reason（理由）不能为空' })
  @MaxLength(500, { message: '字段 reason（理由）不能超过 500 个字符' })
  reason!: string;
}

export class ExtensionDecisionDto {
  @ApiProperty()
  @IsBoolean({ message: '字段 grant（是否批准）必须是 true 或 false' })
  grant!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '字段 comment（意见）必须是文本' })
  @MaxLength(500, { message: '字段 comment（意见）不能超过 500 个字符' })
  comment?: string;
}
