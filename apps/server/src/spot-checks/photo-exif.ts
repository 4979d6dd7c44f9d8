import exifr from 'exifr';
import { DateTime } from 'luxon';
import { ZONE } from '../calendar/working-calendar';

/** Photo types a phone camera produces that the pages can show. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/**
 * When the photo was taken, from its EXIF DateTimeOriginal (or CreateDate). EXIF stores the camera's local time without
 * a zone unless OffsetTimeOriginal is present; without it the time is read as Asia/Shanghai. Null when there is none.
 */
export async function photoTakenAt(bytes: Buffer): Promise<string | null> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, { pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal'], reviveValues: false })) as
      Record<string, unknown> | undefined;
  } catch {
    return null; // not an image exifr understands: no time to keep
  }
  const raw = (tags?.DateTimeOriginal ?? tags?.CreateDate) as string | undefined;
  if (typeof raw !== 'string') return null;
  const offset = typeof tags?.OffsetTimeOriginal === 'string' ? (tags.OffsetTimeOriginal as string).trim() : '';
  const zone = /^[+-]\d{2}:\d{2}$/.test(offset) ? `UTC${offset}` : ZONE;
  const t = DateTime.fromFormat(raw.trim(), 'yyyy:MM:dd HH:mm:ss', { zone });
  return t.isValid ? t.toUTC().toISO() : null;
}
