import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

/** Table rows: an array of arrays of strings. */
export function IsStringMatrix(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringMatrix',
      validator: {
        validate: (v: unknown) => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string')),
        defaultMessage: buildMessage((each) => `${each}rows 必须是文字组成的行`, options),
      },
    },
    options,
  );
}

/** ISO calendar date YYYY-MM-DD that exists (2017-02-30 is rejected). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
          const [y, m, d] = v.split('-').map(Number);
          const t = new Date(Date.UTC(y, m - 1, d));
          return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
        },
        defaultMessage: buildMessage(() => 'date must be YYYY-MM-DD', options),
      },
    },
    options,
  );
}

/** data:image/png|jpeg|svg+xml;base64,… — the seal is embedded, never fetched. */
export function IsImageDataUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isImageDataUrl',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && /^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=\s]+$/.test(v),
        defaultMessage: buildMessage(() => 'seal must be an image data URL', options),
      },
    },
    options,
  );
}
