import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
import { FileRefDto } from '../../accountability/dto/accountability.dto';

export class CategoryDto {
  @ApiProperty({ description: '类别代号（本轮内唯一），如 first-secretary', example: 'first-secretary' })
  @Matches(/^[a-z0-9-]{1,40}$/, { message: '类别代号只能用小写字母、数字和连字符，最长 40 个字符' })
  key!: string;

  @ApiProperty({ description: '类别名称，如“优秀第一书记”' })
  @IsString({ message: '类别名称必须是文本' })
  @IsNotEmpty({ message: '类别名称不能为空' })
  @MaxLength(40, { message: '类别名称不能超过 40 个字符' })
  name!: string;

  @ApiProperty({ description: '名额', example: 3 })
  @IsInt({ message: '名额必须是整数' })
  @Min(1, { message: '名额至少为 1' })
  @Max(100, { message: '名额不能超过 100' })
  quota!: number;

  @ApiProperty({ description: '表扬对象：PERSON 个人，ORG 支部', enum: ['PERSON', 'ORG'] })
  @IsIn(['PERSON', 'ORG'], { message: '表扬对象只能是个人（PERSON）或支部（ORG）' })
  target!: 'PERSON' | 'ORG';

  @ApiPropertyOptional({ description: '个人类别限定的职务，如“第一书记”；不填则不限' })
  @IsOptional()
  @IsString({ message: '限定职务必须是文本' })
  @MaxLength(40, { message: '限定职务不能超过 40 个字符' })
  post?: string;
}

export class CreateCommendationRoundDto {
  @ApiProperty({ description: '年度', example: 2026 })
  @IsInt({ message: '年度必须是四位年份' })
  @Min(2000, { message: '年度必须是四位年份' })
  @Max(2100, { message: '年度必须是四位年份' })
  year!: number;

  @ApiProperty({ description: '名称，如“2026年度‘三名三优’评选表扬”' })
  @IsString({ message: '名称必须是文本' })
  @IsNotEmpty({ message: '名称不能为空' })
  @MaxLength(100, { message: '名称不能超过 100 个字符' })
  title!: string;

  @ApiProperty({ type: [CategoryDto], description: '评选类别与名额' })
  @IsArray({ message: '评选类别必须是列表' })
  @ArrayMinSize(1, { message: '至少设置一个评选类别' })
  @ArrayMaxSize(20, { message: '评选类别不能超过 20 个' })
  @ValidateNested({ each: true })
  @Type(() => CategoryDto)
  categories!: CategoryDto[];

  @ApiProperty({ description: '推荐截止：启动后第几个工作日 17:30', example: 5 })
  @IsInt({ message: '推荐期限必须是整数个工作日' })
  @Min(1, { message: '推荐期限至少 1 个工作日' })
  @Max(60, { message: '推荐期限不能超过 60 个工作日' })
  nominationWorkdays!: number;

  @ApiPropertyOptional({ description: '公示期（工作日），默认 5', example: 5 })
  @IsOptional()
  @IsInt({ message: '公示期必须是整数个工作日' })
  @Min(1, { message: '公示期至少 1 个工作日' })
  @Max(30, { message: '公示期不能超过 30 个工作日' })
  noticeWorkdays?: number;

  @ApiPropertyOptional({ description: '述职评议等次最低要求：GOOD 好、FAIRLY_GOOD 较好（默认）、AVERAGE 一般、POOR 差' })
  @IsOptional()
  @IsIn(['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'], { message: '述职评议等次要求只能是好、较好、一般或差' })
  minGrade?: string;

  @ApiPropertyOptional({ description: '本党委附加的限制：问责影响期中这些限制期内也不得评优（如“提拔”：组织调整后五年）', example: ['提拔'] })
  @IsOptional()
  @IsArray({ message: '附加限制必须是列表' })
  @IsString({ each: true, message: '附加限制必须是文本' })
  localBars?: string[];

  @ApiProperty({ description: '公示联系人与电话（印在公示上，受理异议）', example: '乡党建办 张党建 0931-1234567' })
  @IsString({ message: '公示联系人必须是文本' })
  @IsNotEmpty({ message: '公示联系人不能为空' })
  @MaxLength(100, { message: '公示联系人不能超过 100 个字符' })
  contact!: string;
}

export class NominateDto {
  @ApiProperty({ description: '评选类别代号' })
  @IsString({ message: '评选类别必须是文本' })
  categoryKey!: string;

  @ApiPropertyOptional({ description: '被推荐人（个人类别）' })
  @IsOptional()
  @IsUUID('all', { message: '被推荐人的编号无效' })
  personId?: string;

  @ApiProperty({ description: '被推荐人所在支部，或被推荐的支部' })
  @IsUUID('all', { message: '支部的编号无效' })
  orgId!: string;

  @ApiProperty({ description: '推荐理由（主要事迹）' })
  @IsString({ message: '推荐理由必须是文本' })
  @IsNotEmpty({ message: '推荐理由不能为空' })
  @MaxLength(2000, { message: '推荐理由不能超过 2000 个字符' })
  reason!: string;

  @ApiPropertyOptional({ type: [FileRefDto], description: '证明材料' })
  @IsOptional()
  @IsArray({ message: '证明材料必须是列表' })
  @ArrayMaxSize(20, { message: '证明材料不能超过 20 个' })
  @ValidateNested({ each: true })
  @Type(() => FileRefDto)
  files?: FileRefDto[];
}

export class RankingDto {
  @ApiProperty({ description: '评选类别代号' })
  @IsString({ message: '评选类别必须是文本' })
  categoryKey!: string;

  @ApiProperty({ description: '该类别全部推荐对象，按排名先后' })
  @IsArray({ message: '排序必须是列表' })
  @IsUUID('all', { each: true, message: '推荐对象的编号无效' })
  order!: string[];
}

export class ApprovedCategoryDto {
  @ApiProperty({ description: '评选类别代号' })
  @IsString({ message: '评选类别必须是文本' })
  categoryKey!: string;

  @ApiProperty({ description: '审定的拟表扬对象（推荐对象编号）' })
  @IsArray({ message: '审定名单必须是列表' })
  @IsUUID('all', { each: true, message: '推荐对象的编号无效' })
  nomineeIds!: string[];
}

export class ApproveDto {
  @ApiProperty({ description: '审定的会议，如“乡党委会议（2026年第12次）”' })
  @IsString({ message: '会议名称必须是文本' })
  @IsNotEmpty({ message: '会议名称不能为空' })
  @MaxLength(100, { message: '会议名称不能超过 100 个字符' })
  meeting!: string;

  @ApiProperty({ description: '会议日期 YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '会议日期格式应为 YYYY-MM-DD' })
  heldOn!: string;

  @ApiProperty({ type: [ApprovedCategoryDto] })
  @IsArray({ message: '审定名单必须是列表' })
  @ValidateNested({ each: true })
  @Type(() => ApprovedCategoryDto)
  categories!: ApprovedCategoryDto[];
}

export class ObjectionDto {
  @ApiProperty({ description: '对哪一位拟表扬对象提出异议' })
  @IsUUID('all', { message: '拟表扬对象的编号无效' })
  nomineeId!: string;

  @ApiProperty({ description: '异议内容（实名）' })
  @IsString({ message: '异议内容必须是文本' })
  @IsNotEmpty({ message: '异议内容不能为空' })
  @MaxLength(2000, { message: '异议内容不能超过 2000 个字符' })
  text!: string;

  @ApiPropertyOptional({ description: '来源：PAGE 网页（默认），PHONE 电话，LETTER 信件（后两者由党建办登记）', enum: ['PAGE', 'PHONE', 'LETTER'] })
  @IsOptional()
  @IsIn(['PAGE', 'PHONE', 'LETTER'], { message: '异议来源只能是网页、电话或信件' })
  channel?: 'PAGE' | 'PHONE' | 'LETTER';

  @ApiPropertyOptional({ description: '电话或信件异议人的真实姓名（党建办登记时必填）' })
  @IsOptional()
  @IsString({ message: '异议人姓名必须是文本' })
  @MaxLength(40, { message: '异议人姓名不能超过 40 个字符' })
  objectorName?: string;

  @ApiPropertyOptional({ description: '异议人联系电话' })
  @IsOptional()
  @IsString({ message: '联系电话必须是文本' })
  @MaxLength(40, { message: '联系电话不能超过 40 个字符' })
  objectorPhone?: string;

  @ApiPropertyOptional({ description: '电话或信件的异议人在本系统中的人员编号（有账号的，处理结果在系统中告知本人）' })
  @IsOptional()
  @IsUUID('all', { message: '异议人无效，请重新选择' })
  objectorId?: string;

  @ApiPropertyOptional({ description: '电话或信件的收到日期 YYYY-MM-DD（党建办登记时填，默认今天）' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '收到日期格式应为 YYYY-MM-DD' })
  receivedOn?: string;

  @ApiPropertyOptional({ type: [FileRefDto], description: '证据材料' })
  @IsOptional()
  @IsArray({ message: '证据材料必须是列表' })
  @ArrayMaxSize(20, { message: '证据材料不能超过 20 个' })
  @ValidateNested({ each: true })
  @Type(() => FileRefDto)
  files?: FileRefDto[];
}

export class ResolveObjectionDto {
  @ApiProperty({ description: '异议是否成立' })
  @IsBoolean({ message: '请说明异议是否成立' })
  upheld!: boolean;

  @ApiProperty({ description: '核查情况与处理意见（告知异议人）' })
  @IsString({ message: '核查情况必须是文本' })
  @IsNotEmpty({ message: '核查情况不能为空' })
  @MaxLength(2000, { message: '核查情况不能超过 2000 个字符' })
  finding!: string;
}

/** Named apart in the OpenAPI document: another module has a DecideDto of its own. */
@ApiSchema({ name: 'CommendationDecideDto' })
export class DecideDto {
  @ApiPropertyOptional({ description: '文种：通报（通报表扬，默认）或决定（授予称号，须填批准文号）', enum: ['通报', '决定'] })
  @IsOptional()
  @IsIn(['通报', '决定'], { message: '表扬文件只能是通报或决定' })
  kind?: '通报' | '决定';

  @ApiPropertyOptional({ description: '授予称号的批准依据（如上级党委的批复文号），发“决定”时必填' })
  @IsOptional()
  @IsString({ message: '批准依据必须是文本' })
  @MaxLength(100, { message: '批准依据不能超过 100 个字符' })
  approvalRef?: string;
}

export class CancelRoundDto {
  @ApiProperty({ description: '撤销理由' })
  @IsString({ message: '撤销理由必须是文本' })
  @IsNotEmpty({ message: '撤销理由不能为空' })
  @MaxLength(500, { message: '撤销理由不能超过 500 个字符' })
  reason!: string;
}
