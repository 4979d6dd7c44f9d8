import { IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf, ArrayMinSize } from 'class-validator';
import { BLOCK_TYPES, BlockType } from './document-kind';
import { M } from './validation-messages';
import { IsStringMatrix } from './validators';

const isType = (t: BlockType) => (o: DocumentBlockDto) => o.type === t;

/**
 * One block of the body. A single class with a `type` tag (rather than one class per
 * type) keeps validation paths flat and readable: body[3].text.
 * - paragraph: text
 * - heading: level 1 一、 / 2 （一） / 3 1. / 4 （1）; number is the bare numeral
 *   (auto-numbered when absent); runIn continues the paragraph after a heading sentence
 *   ("1.优化班子结构。紧扣…").
 * - list: items, ordered → 1. 2. …
 * - table: header?, rows, caption?
 */
export class DocumentBlockDto {
  @IsIn(BLOCK_TYPES, { message: M.oneOf('type', BLOCK_TYPES) })
  type!: BlockType;

  @ValidateIf((o: DocumentBlockDto) => o.type === 'paragraph' || o.type === 'heading')
  @IsString({ message: M.string('text') })
  @IsNotEmpty({ message: M.required('text') })
  @MaxLength(20000, { message: M.tooLong('text', 20000) })
  text?: string;

  @ValidateIf(isType('heading'))
  @IsInt({ message: M.int('level', 1, 4) })
  @Min(1, { message: M.int('level', 1, 4) })
  @Max(4, { message: M.int('level', 1, 4) })
  level?: 1 | 2 | 3 | 4;

  @IsOptional()
  @IsString({ message: M.string('number') })
  @MaxLength(8, { message: M.tooLong('number', 8) })
  number?: string;

  @IsOptional()
  @ValidateIf(isType('heading'))
  @IsString({ message: M.string('runIn') })
  runIn?: string;

  @ValidateIf(isType('list'))
  @IsArray({ message: M.array('items') })
  @ArrayMinSize(1, { message: M.minItems('items', 1) })
  @IsString({ each: true, message: M.string('items') })
  @IsNotEmpty({ each: true, message: M.required('items') })
  items?: string[];

  @IsOptional()
  @IsBoolean({ message: M.pattern('ordered', 'true 或 false') })
  ordered?: boolean;

  @IsOptional()
  @IsString({ message: M.string('caption') })
  caption?: string;

  @IsOptional()
  @ValidateIf(isType('table'))
  @IsArray({ message: M.array('header') })
  @IsString({ each: true, message: M.string('header') })
  header?: string[];

  @ValidateIf(isType('table'))
  @IsArray({ message: M.array('rows') })
  @ArrayMinSize(1, { message: M.minItems('rows', 1) })
  @IsStringMatrix({ message: M.pattern('rows', '由文字组成的行列表') })
  rows?: string[][];
}
