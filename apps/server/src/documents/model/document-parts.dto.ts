// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DocumentBlockDto } from './document-block.dto';
import { ISSUER_KINDS, IssuerKind } from './document-kind';
import { M } from './validation-messages';
import { IsCalendarDate } from './validators';

/** 发文机关: full name, optional 标志 text (defaults to name), 代字 for the 发文字号. */
export class IssuingOrganDto {
  @IsString({ message: M.string('name') })
  @IsNotEmpty({ message: M.required('name') })
  @MaxLength(60, { message: M.tooLong('name', 60) })
  name!: string;

  /** 发文机关标志 without 文件, e.g. 中共大滩乡委员会; the format adds 文件 / 命令 / 纪要 itself. */
  @IsOptional()
  @IsString({ message: M.string('markName') })
  @MaxLength(60, { message: M.tooLong('markName', 60) })
  markName?: string;

  @IsOptional()
  @IsString({ message: M.string('organCode') })
  @MaxLength(20, { message: M.tooLong('organCode', 20) })
  organCode?: string;

  /** 机关性质: a Party organ's red separator carries a five-pointed star, a government organ's is a plain rule. The lead organ's decides. */
  @IsOptional()
  @IsIn(ISSUER_KINDS, { message: M.oneOf('kind', ISSUER_KINDS) })
  kind?: IssuerKind;
}

export class DocNumberDto {
  @IsString({ message: M.string('organCode') })
  @IsNotEmpty({ message: M.required('organCode') })
  @MaxLength(20, { message: M.tooLong('organCode', 20) })
  @Matches(/^[^〔〕[\]【】\s]+$/u, { message: M.pattern('organCode', '不含括号和空格的机关代字，如 大滩委发') })
  organCode!: string;

  @IsInt({ message: M.int('year', 1949, 2999) })
  @Min(1949, { message: M.int('year', 1949, 2999) })
  @Max(2999, { message: M.int('year', 1949, 2999) })
  year!: number;

  @IsInt({ message: M.int('serial', 1, 99999) })
  @Min(1, { message: M.int('serial', 1, 99999) })
  @Max(99999, { message: M.int('serial', 1, 99999) })
  serial!: number;
}

/** An uploaded file carried as the attachment (POST /api/files answers this reference); it is not printed. */
export class AttachmentFileDto {
  @IsString({ message: M.string('sha256') })
  @Matches(/^[0-9a-f]{64}$/, { message: M.pattern('sha256', '上传后得到的文件编号') })
  sha256!: string;

  @IsString({ message: M.string('name') })
  @IsNotEmpty({ message: M.required('name') })
  @MaxLength(255, { message: M.tooLong('name', 255) })
  name!: string;

  @IsInt({ message: M.int('size', 1, 20 * 1024 * 1024) })
  @Min(1, { message: M.int('size', 1, 20 * 1024 * 1024) })
  @Max(20 * 1024 * 1024, { message: M.int('size', 1, 20 * 1024 * 1024) })
  size!: number;

  @IsString({ message: M.string('mimeType') })
  @IsNotEmpty({ message: M.required('mimeType') })
  @MaxLength(255, { message: M.tooLong('mimeType', 255) })
  mimeType!: string;
}

export class AttachmentDto {
  @IsString({ message: M.string('title') })
  @IsNotEmpty({ message: M.required('title') })
  @MaxLength(200, { message: M.tooLong('title', 200) })
  title!: string;

  @IsOptional()
  @IsArray({ message: M.array('body') })
  @ValidateNested({ each: true })
  @Type(() => DocumentBlockDto)
  body?: DocumentBlockDto[];

  /** The attachment as an uploaded file (a form, a table in Excel): listed in the 附件说明, carried beside the PDF. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AttachmentFileDto)
  file?: AttachmentFileDto;
}

/** 印发机关和印发日期 (版记). */
export class PrintingDto {
  @IsString({ message: M.string('organ') })
  @IsNotEmpty({ message: M.required('organ') })
  @MaxLength(60, { message: M.tooLong('organ', 60) })
  organ!: string;

  @IsCalendarDate({ message: M.pattern('date', 'YYYY-MM-DD 的有效日期') })
  date!: string;
}

/** 纪要: 出席 / 请假 / 列席. */
export class MinutesPeopleDto {
  @IsArray({ message: M.array('attendees') })
  @ArrayMinSize(1, { message: M.minItems('attendees', 1) })
  @IsString({ each: true, message: M.string('attendees') })
  @IsNotEmpty({ each: true, message: M.required('attendees') })
  attendees!: string[];

  @IsOptional()
  @IsArray({ message: M.array('absentees') })
  @IsString({ each: true, message: M.string('absentees') })
  absentees?: string[];

  @IsOptional()
  @IsArray({ message: M.array('observers') })
  @IsString({ each: true, message: M.string('observers') })
  observers?: string[];
}
