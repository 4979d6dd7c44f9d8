import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A day (2030-01-15) or an instant on a calendar day (2030-01-15T17:30, 2030-01-15T17:30:00.000+08:00).
 * Narrower than class-validator's IsISO8601 on purpose: that one also accepts week dates (2030-W01),
 * ordinal dates (2030-015), bare years and impossible days (2030-02-30, without `strict`), which
 * `new Date()` then reads as Invalid Date (a 500 when stored) or as a different day.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;

export function isDateTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const day = new Date(Date.UTC(y, mo - 1, d));
  const realDay = day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
  return realDay && h <= 23 && mi <= 59 && s <= 59 && oh <= 23 && om <= 59 && !Number.isNaN(Date.parse(value));
}

export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: (v: unknown) => isDateTime(v),
        defaultMessage: buildMessage((each) => `${each}$property must be a date or a date and time`, options),
      },
    },
    options,
  );
}
