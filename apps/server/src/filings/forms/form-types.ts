/**
 * The form a branch fills in for a filing requirement (e.g. the annual plan of seed 003).
 * Definitions are plain JSON so they can be stored with the requirement and shown by the task UI;
 * they are checked once by `validateFormDefinition` and then trusted by `validateSubmission`.
 */

export interface FieldBase {
  /** ASCII identifier: the key in submitted values and in error paths. */
  readonly key: string;
  /** Chinese label shown to the branch and named in every error message. */
  readonly label: string;
  readonly required: boolean;
  readonly help?: string;
}

export interface TextPattern {
  /** A JavaScript regular expression (unicode mode), matched against the whole trimmed value. */
  readonly regex: string;
  /** What the pattern means in words, e.g. “11 位手机号”: users never see the regex. */
  readonly description: string;
}

export interface ShortTextField extends FieldBase {
  readonly type: 'shortText';
  readonly maxLength: number;
  readonly pattern?: TextPattern;
}

export interface LongTextField extends FieldBase {
  readonly type: 'longText';
  readonly maxLength: number;
}

export interface NumberField extends FieldBase {
  readonly type: 'number';
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** Shown after the number and in messages: 万元, 人, 个, 户. */
  readonly unit?: string;
}

export interface DateField extends FieldBase {
  readonly type: 'date';
  /** Inclusive bounds, YYYY-MM-DD. */
  readonly min?: string;
  readonly max?: string;
}

export interface ChoiceOption {
  readonly value: string;
  readonly label: string;
}

export interface SingleChoiceField extends FieldBase {
  readonly type: 'singleChoice';
  readonly options: readonly ChoiceOption[];
}

export interface MultipleChoiceField extends FieldBase {
  readonly type: 'multipleChoice';
  readonly options: readonly ChoiceOption[];
  readonly minSelections?: number;
  readonly maxSelections?: number;
}

/** Field types that hold one value and may therefore be table columns. */
export type ScalarField = ShortTextField | LongTextField | NumberField | DateField | SingleChoiceField | MultipleChoiceField;

export interface TableField extends FieldBase {
  readonly type: 'table';
  readonly columns: readonly ScalarField[];
  readonly minRows?: number;
  readonly maxRows: number;
}

export interface FileAccept {
  /** Exact types (application/pdf) or a family (image/*). */
  readonly mimeTypes: readonly string[];
  /** Lower-case with the dot: .pdf, .docx. A file must match both lists. */
  readonly extensions: readonly string[];
}

export interface FileField extends FieldBase {
  readonly type: 'files';
  readonly accept: FileAccept;
  readonly maxSizeBytes: number;
  readonly maxCount: number;
}

export type FormField = ScalarField | TableField | FileField;
export type FieldType = FormField['type'];

export interface FormDefinition {
  readonly title: string;
  readonly description?: string;
  readonly fields: readonly FormField[];
}

export const SCALAR_TYPES: readonly ScalarField['type'][] = ['shortText', 'longText', 'number', 'date', 'singleChoice', 'multipleChoice'];
export const FIELD_TYPES: readonly FieldType[] = [...SCALAR_TYPES, 'table', 'files'];

/** Upper bounds a definition may ask for: beyond them the form is a mistake, not a requirement. */
export const LIMITS = {
  titleLength: 100,
  descriptionLength: 2000,
  keyLength: 64,
  labelLength: 50,
  helpLength: 500,
  fields: 100,
  options: 100,
  shortTextLength: 500,
  longTextLength: 20000,
  unitLength: 10,
  tableRows: 200,
  fileSizeBytes: 100 * 1024 * 1024,
  fileCount: 20,
} as const;

export const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** What a submission carries for each uploaded file; the bytes live in storage, addressed by sha256. */
export interface FileRef {
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly sha256: string;
}

export type CellValue = string | number | string[];
export type TableRow = Record<string, CellValue>;
export type FieldValue = CellValue | TableRow[] | FileRef[];
export type FormValues = Record<string, FieldValue>;
