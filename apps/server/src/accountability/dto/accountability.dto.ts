import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
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
import { APPEAL_OUTCOMES, TALK_KINDS } from '../case-rules';
import { ADJUSTMENT_KINDS } from '../influence';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MEASURE_KINDS = ['通报', '诫勉', '组织调整', '检查', '改组', '移送纪律审查'];

export class FileRefDto {
  @IsString({ message: '附件的文件名必须是文本' })
  @MaxLength(200, { message: '附件的文件名不能超过 200 个字符' })
  name!: string;

  @IsString({ message: '附件的类型必须是文本' })
  mimeType!: string;

  @IsInt({ message: '附件的大小必须是整数' })
  size!: number;

  @Matches(/^[0-9a-f]{64}$/, { message: '附件的文件指纹无效，请重新上传' })
  sha256!: string;
}

export class EvidenceDto {
  @ApiProperty({ description: '证据名称，如“逾期未报送年度计划的记录”' })
  @IsString({ message: '证据名称必须是文本' })
  @IsNotEmpty({ message: '证据名称不能为空' })
  @MaxLength(200, { message: '证据名称不能超过 200 个字符' })
  title!: string;

  @ApiPropertyOptional({ description: '说明' })
  @IsOptional()
  @IsString({ message: '证据说明必须是文本' })
  @MaxLength(4000, { message: '证据说明不能超过 4000 个字符' })
  note?: string;

  @ApiPropertyOptional({ type: [FileRefDto], description: '附件（先上传到 /api/files）' })
  @IsOptional()
  @IsArray({ message: '证据附件必须是列表' })
  @ArrayMaxSize(20, { message: '每项证据最多 20 个附件' })
  @ValidateNested({ each: true })
  @Type(() => FileRefDto)
  files?: FileRefDto[];
}

/** 人工立案: the target and the evidence. */
export class OpenCaseDto {
  @ApiProperty({ description: '被问责的党组织，或被问责人任职的组织' })
  @IsUUID('all', { message: '被问责组织的编号无效' })
  orgId!: string;

  @ApiPropertyOptional({ description: '被问责人（不填则问责对象为党组织）' })
  @IsOptional()
  @IsUUID('all', { message: '被问责人的编号无效' })
  personId?: string;

  @ApiProperty({ description: '案由，如“逾期未报送2026年度工作计划”' })
  @IsString({ message: '案由必须是文本' })
  @IsNotEmpty({ message: '案由不能为空' })
  @MaxLength(200, { message: '案由不能超过 200 个字符' })
  title!: string;

  @ApiProperty({ type: [EvidenceDto] })
  @IsArray({ message: '证据必须是列表' })
  @ArrayMinSize(1, { message: '人工立案至少需要一项证据' })
  @ArrayMaxSize(50, { message: '证据最多 50 项' })
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence!: EvidenceDto[];
}

/** 由问责建议立案: the proposals about one target, grouped into one case. */
export class OpenFromProposalsDto {
  @ApiProperty({ description: '问责建议（须为同一对象）' })
  @IsArray({ message: '问责建议必须是列表' })
  @ArrayMinSize(1, { message: '至少选择一条问责建议' })
  @ArrayMaxSize(100, { message: '一次最多合并 100 条问责建议' })
  @IsUUID('all', { each: true, message: '问责建议的编号无效' })
  proposalIds!: string[];

  @ApiPropertyOptional({ description: '案由（不填则由建议生成）' })
  @IsOptional()
  @IsString({ message: '案由必须是文本' })
  @MaxLength(200, { message: '案由不能超过 200 个字符' })
  title?: string;
}

export class CommitmentDto {
  @ApiProperty({ description: '承诺事项' })
  @IsString({ message: '承诺事项必须是文本' })
  @IsNotEmpty({ message: '承诺事项不能为空' })
  @MaxLength(500, { message: '承诺事项不能超过 500 个字符' })
  text!: string;

  @ApiProperty({ description: '跟进期限：几个工作日内', example: 10 })
  @IsInt({ message: '承诺事项的期限（工作日数）必须是整数' })
  @Min(1, { message: '承诺事项的期限至少 1 个工作日' })
  @Max(60, { message: '承诺事项的期限不能超过 60 个工作日' })
  workdays!: number;
}

export class TalkDto {
  @ApiProperty({ enum: TALK_KINDS })
  @IsIn(TALK_KINDS as unknown as string[], { message: `谈话方式只能是${TALK_KINDS.join('、')}` })
  kind!: string;

  @ApiProperty({ description: '谈话时间' })
  @IsDateTime({ message: '谈话时间必须是有效的日期或时间' })
  heldAt!: string;

  @ApiProperty({ description: '谈话人（党委成员）' })
  @IsArray({ message: '谈话人必须是列表' })
  @ArrayMinSize(1, { message: '至少填写一名谈话人' })
  @ArrayMaxSize(10, { message: '谈话人最多 10 名' })
  @IsUUID('all', { each: true, message: '谈话人的编号无效' })
  talkerIds!: string[];

  @ApiProperty({ description: '谈话记录' })
  @IsString({ message: '谈话记录必须是文本' })
  @IsNotEmpty({ message: '谈话记录不能为空' })
  @MaxLength(20000, { message: '谈话记录不能超过 20000 个字符' })
  minutes!: string;

  @ApiPropertyOptional({ type: [CommitmentDto] })
  @IsOptional()
  @IsArray({ message: '承诺事项必须是列表' })
  @ArrayMaxSize(20, { message: '承诺事项最多 20 项' })
  @ValidateNested({ each: true })
  @Type(() => CommitmentDto)
  commitments?: CommitmentDto[];
}

/** Named apart in the OpenAPI document: another module has a ReasonDto of its own. */
@ApiSchema({ name: 'AccountabilityReasonDto' })
export class ReasonDto {
  @ApiProperty()
  @IsString({ message: '理由必须是文本' })
  @IsNotEmpty({ message: '理由不能为空' })
  @MaxLength(2000, { message: '理由不能超过 2000 个字符' })
  reason!: string;
}

export class InvestigationDto {
  @ApiProperty({ description: '调查组成员（至少两人）' })
  @IsArray({ message: '调查组成员必须是列表' })
  @ArrayMinSize(2, { message: '调查组至少需要两名成员' })
  @ArrayMaxSize(10, { message: '调查组成员最多 10 名' })
  @IsUUID('all', { each: true, message: '调查组成员的编号无效' })
  investigatorIds!: string[];
}

/** Named apart in the OpenAPI document: another module has a FindingDto of its own. */
@ApiSchema({ name: 'AccountabilityFindingDto' })
export class FindingDto {
  @ApiProperty({ description: '查明的事实' })
  @IsString({ message: '调查事实必须是文本' })
  @IsNotEmpty({ message: '调查事实不能为空' })
  @MaxLength(20000, { message: '调查事实不能超过 20000 个字符' })
  text!: string;

  @ApiPropertyOptional({ type: [FileRefDto] })
  @IsOptional()
  @IsArray({ message: '证据附件必须是列表' })
  @ArrayMaxSize(20, { message: '证据附件最多 20 个' })
  @ValidateNested({ each: true })
  @Type(() => FileRefDto)
  files?: FileRefDto[];
}

export class AskDefenceDto {
  @ApiPropertyOptional({ description: '陈述申辩期限：几个工作日（默认 5）', example: 5 })
  @IsOptional()
  @IsInt({ message: '陈述申辩期限（工作日数）必须是整数' })
  @Min(1, { message: '陈述申辩期限至少 1 个工作日' })
  @Max(30, { message: '陈述申辩期限不能超过 30 个工作日' })
  workdays?: number;
}

export class DefenceDto {
  @ApiProperty({ description: '书面陈述申辩' })
  @IsString({ message: '陈述申辩必须是文本' })
  @IsNotEmpty({ message: '陈述申辩不能为空' })
  @MaxLength(20000, { message: '陈述申辩不能超过 20000 个字符' })
  statement!: string;

  @ApiPropertyOptional({ type: [FileRefDto] })
  @IsOptional()
  @IsArray({ message: '陈述申辩附件必须是列表' })
  @ArrayMaxSize(20, { message: '陈述申辩附件最多 20 个' })
  @ValidateNested({ each: true })
  @Type(() => FileRefDto)
  files?: FileRefDto[];
}

export class MeasureDto {
  @ApiProperty({ enum: MEASURE_KINDS })
  @IsIn(MEASURE_KINDS, { message: `问责方式只能是${MEASURE_KINDS.join('、')}` })
  kind!: string;

  @ApiPropertyOptional({ enum: ADJUSTMENT_KINDS, description: '组织调整的方式' })
  @IsOptional()
  @IsIn(ADJUSTMENT_KINDS as unknown as string[], { message: `组织调整的方式只能是${ADJUSTMENT_KINDS.join('、')}` })
  detail?: string;
}

export class MeetingDto {
  @ApiProperty({ description: '会议名称，如“乡党委2026年第12次委员会会议”' })
  @IsString({ message: '会议名称必须是文本' })
  @IsNotEmpty({ message: '会议名称不能为空' })
  @MaxLength(100, { message: '会议名称不能超过 100 个字符' })
  name!: string;

  @ApiProperty({ description: '会议日期', example: '2026-12-01' })
  @Matches(DAY, { message: '会议日期必须是有效的日期（如 2026-12-01）' })
  heldOn!: string;

  @ApiPropertyOptional({ description: '出席人员' })
  @IsOptional()
  @IsArray({ message: '出席人员必须是列表' })
  @ArrayMaxSize(50, { message: '出席人员最多 50 名' })
  @IsString({ each: true, message: '出席人员必须是文本' })
  attendees?: string[];

  @ApiPropertyOptional({ description: '会上的不同意见（记录在案）' })
  @IsOptional()
  @IsString({ message: '不同意见必须是文本' })
  @MaxLength(4000, { message: '不同意见不能超过 4000 个字符' })
  dissent?: string;
}

/** 集体决定: the committee meeting's item. */
export class DecisionDto {
  @ApiProperty({ type: MeetingDto })
  @ValidateNested({ message: '会议信息格式不正确' })
  @Type(() => MeetingDto)
  meeting!: MeetingDto;

  @ApiProperty({ enum: ['MEASURES', 'LIGHTER', 'NONE'], description: '问责；从轻或减轻问责；不予问责' })
  @IsIn(['MEASURES', 'LIGHTER', 'NONE'], { message: '决定结果只能是问责（MEASURES）、从轻问责（LIGHTER）或不予问责（NONE）' })
  outcome!: 'MEASURES' | 'LIGHTER' | 'NONE';

  @ApiPropertyOptional({ description: '从轻或不予问责的理由（问责条例第十七、十八条）' })
  @IsOptional()
  @IsString({ message: '从轻或不予问责的理由必须是文本' })
  @MaxLength(4000, { message: '理由不能超过 4000 个字符' })
  grounds?: string;

  @ApiPropertyOptional({ type: [MeasureDto], description: '问责方式，可以合并使用' })
  @IsOptional()
  @IsArray({ message: '问责方式必须是列表' })
  @ArrayMaxSize(5, { message: '问责方式最多 5 项' })
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures?: MeasureDto[];

  @ApiPropertyOptional({ description: '基本事实（写入决定书）' })
  @IsOptional()
  @IsString({ message: '基本事实必须是文本' })
  @MaxLength(20000, { message: '基本事实不能超过 20000 个字符' })
  facts?: string;

  @ApiPropertyOptional({ description: '问责依据，如“《中国共产党问责条例》第七条第（一）项”' })
  @IsOptional()
  @IsString({ message: '问责依据必须是文本' })
  @MaxLength(2000, { message: '问责依据不能超过 2000 个字符' })
  basis?: string;

  @ApiPropertyOptional({ description: '生效日期（默认决定当日）' })
  @IsOptional()
  @Matches(DAY, { message: '生效日期必须是有效的日期（如 2026-12-01）' })
  effectiveOn?: string;

  @ApiPropertyOptional({ description: '申诉受理机关（默认作出决定的党委）' })
  @IsOptional()
  @IsString({ message: '申诉受理机关必须是文本' })
  @MaxLength(100, { message: '申诉受理机关不能超过 100 个字符' })
  appealBody?: string;
}

export class AppealAnswerDto {
  @ApiProperty({ enum: APPEAL_OUTCOMES })
  @IsIn(APPEAL_OUTCOMES as unknown as string[], { message: `复查结果只能是${APPEAL_OUTCOMES.join('、')}` })
  outcome!: (typeof APPEAL_OUTCOMES)[number];

  @ApiProperty({ description: '复查意见' })
  @IsString({ message: '复查意见必须是文本' })
  @IsNotEmpty({ message: '复查意见不能为空' })
  @MaxLength(4000, { message: '复查意见不能超过 4000 个字符' })
  answer!: string;

  @ApiPropertyOptional({ type: [MeasureDto], description: '变更后的问责方式' })
  @IsOptional()
  @IsArray({ message: '问责方式必须是列表' })
  @ArrayMaxSize(5, { message: '问责方式最多 5 项' })
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures?: MeasureDto[];
}

export class NoteDto {
  @ApiProperty({ description: '办理情况' })
  @IsString({ message: '办理情况必须是文本' })
  @IsNotEmpty({ message: '办理情况不能为空' })
  @MaxLength(4000, { message: '办理情况不能超过 4000 个字符' })
  note!: string;
}

export class InfluenceQueryDto {
  @ApiPropertyOptional({ description: '查询日期（默认今天）' })
  @IsOptional()
  @Matches(DAY, { message: '查询日期必须是有效的日期（如 2026-12-01）' })
  day?: string;
}
