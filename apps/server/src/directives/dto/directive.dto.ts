import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
import { RequirementDto } from '../../filings/dto/filing.dto';

export class ChainDto {
  @ApiProperty({ description: '核稿人（按顺序依次核稿）', type: [String] })
  @IsArray({ message: '字段 chain.reviewers（核稿人）必须是列表' })
  @ArrayMinSize(1, { message: '字段 chain.reviewers（核稿人）至少需要 1 人' })
  @ArrayMaxSize(10, { message: '字段 chain.reviewers（核稿人）最多 10 人' })
  @IsUUID('all', { each: true, message: '字段 chain.reviewers（核稿人）须为人员编号' })
  reviewers!: string[];

  @ApiPropertyOptional({ description: '会签人（并行，全部同意才通过）', type: [String] })
  @IsOptional()
  @IsArray({ message: '字段 chain.countersigners（会签人）必须是列表' })
  @ArrayMaxSize(20, { message: '字段 chain.countersigners（会签人）最多 20 人' })
  @IsUUID('all', { each: true, message: '字段 chain.countersigners（会签人）须为人员编号' })
  countersigners?: string[];

  @ApiProperty({ description: '签发人（党委书记）' })
  @IsUUID('all', { message: '字段 chain.signerId（签发人）必须填写，且须为人员编号' })
  signerId!: string;

  @ApiPropertyOptional({ enum: ['START', 'RETURNING_STEP'], description: '退回修改后从哪一步重新开始：START 从头，RETURNING_STEP 从退回的那一步' })
  @IsOptional()
  @IsIn(['START', 'RETURNING_STEP'], { message: '字段 chain.restartFrom 必须是 START（从头）或 RETURNING_STEP（从退回的步骤）' })
  restartFrom?: 'START' | 'RETURNING_STEP';
}

export class DistributionDto {
  @ApiProperty({ enum: ['ALL', 'KINDS', 'LIST'], description: 'ALL 全部支部；KINDS 按类别；LIST 指定支部' })
  @IsIn(['ALL', 'KINDS', 'LIST'], { message: '字段 distribution.mode（分发范围）必须是 ALL（全部支部）、KINDS（按类别）或 LIST（指定支部）' })
  mode!: 'ALL' | 'KINDS' | 'LIST';

  @ApiPropertyOptional({ type: [String], description: 'VILLAGE / COMMUNITY / OFFICE / SCHOOL' })
  @IsOptional()
  @IsArray({ message: '字段 distribution.kinds（类别）必须是列表' })
  @IsIn(['VILLAGE', 'COMMUNITY', 'OFFICE', 'SCHOOL'], { each: true, message: '字段 distribution.kinds（类别）只能包含 VILLAGE、COMMUNITY、OFFICE、SCHOOL' })
  kinds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: '字段 distribution.orgIds（支部）必须是列表' })
  @ArrayMaxSize(5000, { message: '字段 distribution.orgIds（支部）最多 5000 个' })
  @IsUUID('all', { each: true, message: '字段 distribution.orgIds（支部）须为组织编号' })
  orgIds?: string[];
}

class DirectiveSettings {
  @ApiPropertyOptional({ type: [RequirementDto], description: '要求各支部填报的内容（表单、期限、提醒、审核人）' })
  @IsOptional()
  @IsArray({ message: '字段 requirements（填报要求）必须是列表' })
  @ArrayMaxSize(10, { message: '字段 requirements（填报要求）最多 10 项' })
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements?: RequirementDto[];

  @ApiPropertyOptional({ description: '签收期限（工作日）', default: 3 })
  @IsOptional()
  @IsInt({ message: '字段 receiptWorkdays（签收期限）必须是整数' })
  @Min(1, { message: '字段 receiptWorkdays（签收期限）至少 1 个工作日' })
  @Max(30, { message: '字段 receiptWorkdays（签收期限）最多 30 个工作日' })
  receiptWorkdays?: number;

  @ApiPropertyOptional({ description: '待审批多少个工作小时后提醒', default: 8 })
  @IsOptional()
  @IsInt({ message: '字段 reminderWorkingHours（提醒间隔）必须是整数' })
  @Min(1, { message: '字段 reminderWorkingHours（提醒间隔）至少 1 小时' })
  @Max(80, { message: '字段 reminderWorkingHours（提醒间隔）最多 80 小时' })
  reminderWorkingHours?: number;
}

export class CreateDirectiveDto extends DirectiveSettings {
  @ApiPropertyOptional({ description: '公文模型（与 text 二选一）', type: Object })
  @IsOptional()
  @IsObject({ message: '字段 model（公文内容）必须是对象' })
  model?: Record<string, unknown>;

  @ApiPropertyOptional({ description: '纯文本公文，导入后作为初稿（与 model 二选一）' })
  @IsOptional()
  @IsString({ message: '字段 text（公文文本）必须是文本' })
  @IsNotEmpty({ message: '字段 text（公文文本）不能为空' })
  @MaxLength(200_000, { message: '字段 text（公文文本）过长' })
  text?: string;

  @ApiProperty({ type: ChainDto })
  @ValidateNested()
  @Type(() => ChainDto)
  @IsObject({ message: '字段 chain（审批链）必须填写' })
  chain!: ChainDto;

  @ApiProperty({ type: DistributionDto })
  @ValidateNested()
  @Type(() => DistributionDto)
  @IsObject({ message: '字段 distribution（分发范围）必须填写' })
  distribution!: DistributionDto;
}

export class UpdateDirectiveDto extends DirectiveSettings {
  @ApiProperty({ description: '修改后的公文模型', type: Object })
  @IsObject({ message: '字段 model（公文内容）必须是对象' })
  model!: Record<string, unknown>;

  @ApiPropertyOptional({ description: '编辑时所依据的文稿版本号：文稿已被别处保存为新版本时拒绝覆盖（409）' })
  @IsOptional()
  @IsInt({ message: '字段 baseVersion（文稿版本）必须是整数' })
  @Min(1, { message: '字段 baseVersion（文稿版本）至少为 1' })
  baseVersion?: number;

  @ApiPropertyOptional({ type: ChainDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChainDto)
  chain?: ChainDto;

  @ApiPropertyOptional({ type: DistributionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DistributionDto)
  distribution?: DistributionDto;
}

export class DecideDto {
  @ApiProperty({ description: '审批步骤编号' })
  @IsUUID('all', { message: '字段 stepId（审批步骤）必须是有效的编号' })
  stepId!: string;

  @ApiProperty({ enum: ['APPROVE', 'RETURN'] })
  @IsIn(['APPROVE', 'RETURN'], { message: '字段 decision（意见）必须是 APPROVE（同意）或 RETURN（退回修改）' })
  decision!: 'APPROVE' | 'RETURN';

  @ApiPropertyOptional({ description: '意见' })
  @IsOptional()
  @IsString({ message: '字段 comment（意见）必须是文本' })
  @MaxLength(1000, { message: '字段 comment（意见）不能超过 1000 个字符' })
  comment?: string;

  @ApiProperty({ description: '所审阅的文稿版本号' })
  @IsInt({ message: '字段 version（版本）必须是整数' })
  @Min(1, { message: '字段 version（版本）至少为 1' })
  version!: number;
}

export class ReasonDto {
  @ApiProperty({ description: '理由' })
  @IsString({ message: '字段 reason（理由）必须是文本' })
  @IsNotEmpty({ message: '字段 reason（理由）不能为空' })
  @MaxLength(500, { message: '字段 reason（理由）不能超过 500 个字符' })
  reason!: string;
}
