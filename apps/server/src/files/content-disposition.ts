/** Types a browser shows safely in place (no script runs in them); everything else is downloaded. */
const INLINE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** The stored type if it is a plain `type/subtype`, else a generic download (the type came from the uploader's browser). */
export function safeContentType(mimeType: string): string {
  const t = mimeType.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(t) ? t : 'application/octet-stream';
}

/** RFC 5987 ext-value: UTF-8, percent-encoding everything outside attr-char (encodeURIComponent leaves ' ( ) * alone). */
function extValue(name: string): string {
  return `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** An ASCII name for old clients: non-ASCII runs become `_`, the extension is kept. */
function asciiFallback(name: string): string {
  const plain = name.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\%;]/g, '_');
  const dot = plain.lastIndexOf('.');
  const stem = dot > 0 ? plain.slice(0, dot) : plain;
  const ext = dot > 0 ? plain.slice(dot) : '';
  return `${/[A-Za-z0-9]/.test(stem) ? stem : 'file'}${ext}`;
}

/**
 * Content-Disposition for a stored attachment: shown in place when the type is safe to show, downloaded otherwise;
 * the Chinese name in `filename*` (RFC 6266 / RFC 5987), an ASCII `filename` for clients that ignore it.
 */
export function contentDisposition(name: string, mimeType: string): string {
  const kind = INLINE_TYPES.includes(safeContentType(mimeType)) ? 'inline' : 'attachment';
  const clean = name.replace(/[\r\n]/g, ' ').trim() || 'file';
  return `${kind}; filename="${asciiFallback(clean)}"; filename*=${extValue(clean)}`;
}
