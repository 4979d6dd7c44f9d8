import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ROLE_LABELS } from '../../auth/roles';
import { Role } from '../../prisma/client';

/** Longest 职务, as the spot check's 职务 (targetPost). */
export const POST_MAX = 40;

export class MembershipInputDto {
  @ApiProperty({ description: '组织编号' })
  @IsUUID('all', { message: '字段 orgId（所属组织）必须是有效的编号' })
  orgId!: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role, { message: `字段 role（角色）必须是${Object.values(ROLE_LABELS).join('、')}之一` })
  role!: Role;

  /** 职务 of this membership: a 按职务抽人 spot check picks people by it, so it is compared as typed (trimmed). */
  @ApiPropertyOptional({ description: '职务，如“第一书记”“驻村工作队员”（按职务抽查时据此选人）；同一组织同一角色再次提交即修改职务，留空则清除' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsString({ message: '职务必须是文字' })
  @MaxLength(POST_MAX, { message: `职务不能超过 ${POST_MAX} 个字` })
  @Matches(/^[^\p{Cc}]*$/u, { message: '职务不能含有换行或其他控制字符' })
  post?: string;
}

export class CreatePersonDto {
  @ApiProperty({ description: '用户名（登录名）', example: 'dt.zhangsan' })
  @Matches(/^[a-z0-9._-]{3,32}$/, { message: '字段 username（用户名）只能由 3 到 32 个小写字母、数字、.、_ 或 - 组成' })
  username!: string;

  @ApiProperty({ description: '姓名' })
  @IsString({ message: '字段 name（姓名）必须是文本' })
  @IsNotEmpty({ message: '字段 name（姓名）不能为空' })
  @MaxLength(40, { message: '字段 name（姓名）不能超过 40 个字符' })
  name!: string;

  @ApiPropertyOptional({ description: '手机号' })
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: '字段 phone（手机号）应为 11 位手机号码' })
  phone?: string;

  @ApiProperty({ description: '初始密码（至少 8 位）' })
  @IsString({ message: '字段 password（密码）必须是文本' })
  @MinLength(8, { message: '字段 password（密码）至少 8 个字符' })
  @MaxLength(200, { message: '字段 password（密码）不能超过 200 个字符' })
  password!: string;

  @ApiPropertyOptional({ type: [MembershipInputDto], description: '任职' })
  @IsOptional()
  @IsArray({ message: '字段 memberships（任职）必须是列表' })
  @ArrayMaxSize(20, { message: '字段 memberships（任职）最多 20 项' })
  @ValidateNested({ each: true })
  @Type(() => MembershipInputDto)
  memberships?: MembershipInputDto[];
}

export class UpdatePersonDto {
  @ApiPropertyOptional({ description: '姓名' })
  @IsOptional()
  @IsString({ message: '字段 name（姓名）必须是文本' })
  @IsNotEmpty({ message: '字段 name（姓名）不能为空' })
  @MaxLength(40, { message: '字段 name（姓名）不能超过 40 个字符' })
  name?: string;

  @ApiPropertyOptional({ description: '手机号' })
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: '字段 phone（手机号）应为 11 位手机号码' })
  phone?: string;

  @ApiPropertyOptional({ description: '新密码（至少 8 位）' })
  @IsOptional()
  @IsString({ message: '字段 password（密码）必须是文本' })
  @MinLength(8, { message: '字段 password（密码）至少 8 个字符' })
  password?: string;
}
