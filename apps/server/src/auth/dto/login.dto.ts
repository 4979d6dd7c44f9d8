import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: '用户名', example: 'dtw.shuji' })
  @IsString({ message: '字段 username（用户名）必须是文本' })
  @IsNotEmpty({ message: '字段 username（用户名）不能为空' })
  @MaxLength(64, { message: '字段 username（用户名）不能超过 64 个字符' })
  username!: string;

  @ApiProperty({ description: '密码' })
  @IsString({ message: '字段 password（密码）必须是文本' })
  @IsNotEmpty({ message: '字段 password（密码）不能为空' })
  @MaxLength(200, { message: '字段 password（密码）不能超过 200 个字符' })
  password!: string;

  @IsOptional()
  @IsString()
  _csrf?: string;

  @IsOptional()
  @IsString()
  next?: string;
}

export class ChooseCapacityDto {
  @ApiProperty({ description: '任职（身份）编号' })
  @IsUUID('all', { message: '字段 membershipId（身份）必须是有效的编号' })
  membershipId!: string;

  @IsOptional()
  @IsString()
  _csrf?: string;

  @IsOptional()
  @IsString()
  next?: string;
}
