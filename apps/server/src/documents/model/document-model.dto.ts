// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { DocumentBlockDto } from './document-block.dto';
import { DOCUMENT_KINDS, DocumentKind, SECRET_LEVELS, URGENCIES } from './document-kind';
import { AttachmentDto, DocNumberDto, IssuingOrganDto, MinutesPeopleDto, PrintingDto } from './document-parts.dto';
import { M } from './validation-messages';
import { IsCalendarDate, IsImageDataUrl } from './validators';

/** Everything the renderer needs for one official document (GB/T 9704-2012). */
export class DocumentModel {
  @IsIn(DOCUMENT_KINDS, { message: M.oneOf('kind', DOCUMENT_KINDS) })
  kind!: DocumentKind;

  /** 份号: 6 digits. */
  @IsOptional()
  @Matches(/^\d{6}$/, { message: M.pattern('copyNumber', '6位数字，如 000123') })
  copyNumber?: string;

  @IsOptional()
  @IsIn(SECRET_LEVELS, { message: M.oneOf('secretLevel', SECRET_LEVELS) })
  secretLevel?: (typeof SECRET_LEVELS)[number];

  /** 保密期限, e.g. "1年"; only with a 密级. */
  @ValidateIf((o: DocumentModel) => o.secretTerm !== undefined)
  @IsString({ message: M.string('secretTerm') })
  @Matches(/^\d+(年|个月)$/u, { message: M.pattern('secretTerm', '“1年”或“6个月”') })
  secretTerm?: string;

  @IsOptional()
  @IsIn(URGENCIES, { message: M.oneOf('urgency', URGENCIES) })
  urgency?: (typeof URGENCIES)[number];

  /** 发文机关; several for 联合行文, the lead organ first. */
  @IsArray({ message: M.array('issuers') })
  @ArrayMinSize(1, { message: M.minItems('issuers', 1) })
  @ValidateNested({ each: true })
  @Type(() => IssuingOrganDto)
  issuers!: IssuingOrganDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => DocNumberDto)
  docNumber?: DocNumberDto;

  /** 签发人 (上行文: 请示, 报告). */
  @IsOptional()
  @IsArray({ message: M.array('signers') })
  @IsString({ each: true, message: M.string('signers') })
  @IsNotEmpty({ each: true, message: M.required('signers') })
  signers?: string[];

  @IsString({ message: M.string('title') })
  @IsNotEmpty({ message: M.required('title') })
  @MaxLength(200, { message: M.tooLong('title', 200) })
  title!: string;

  /** 主送机关, without the trailing colon. */
  @IsOptional()
  @IsString({ message: M.string('addressee') })
  @MaxLength(500, { message: M.tooLong('addressee', 500) })
  addressee?: string;

  @IsArray({ message: M.array('body') })
  @ArrayMinSize(1, { message: M.minItems('body', 1) })
  @ValidateNested({ each: true })
  @Type(() => DocumentBlockDto)
  body!: DocumentBlockDto[];

  @IsOptional()
  @IsArray({ message: M.array('attachments') })
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  /** 署名; empty for 纪要 and 命令 may use the signer instead. */
  @IsArray({ message: M.array('signingOrgans') })
  @IsString({ each: true, message: M.string('signingOrgans') })
  @IsNotEmpty({ each: true, message: M.required('signingOrgans') })
  signingOrgans!: string[];

  /** 成文日期 YYYY-MM-DD; rendered as 2017年4月21日. */
  @IsCalendarDate({ message: M.pattern('date', 'YYYY-MM-DD 的有效日期') })
  date!: string;

  @IsOptional()
  @IsImageDataUrl({ message: M.pattern('seal', 'data:image/png;base64,… 图片') })
  seal?: string;

  /** 附注, printed in （）. */
  @IsOptional()
  @IsString({ message: M.string('note') })
  @MaxLength(500, { message: M.tooLong('note', 500) })
  note?: string;

  @IsOptional()
  @IsArray({ message: M.array('cc') })
  @IsString({ each: true, message: M.string('cc') })
  @IsNotEmpty({ each: true, message: M.required('cc') })
  cc?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => PrintingDto)
  printing?: PrintingDto;

  @ValidateIf((o: DocumentModel) => o.kind === '纪要' || o.minutes !== undefined)
  @IsNotEmpty({ message: M.required('minutes') })
  @ValidateNested()
  @Type(() => MinutesPeopleDto)
  minutes?: MinutesPeopleDto;

  /** 令号 for 命令. */
  @IsOptional()
  @IsInt({ message: M.int('orderNumber', 1, 99999) })
  @Min(1, { message: M.int('orderNumber', 1, 99999) })
  orderNumber?: number;
}
