import type { FieldError } from '../../common/errors/domain-error';
import type { FileField, FileRef } from './form-types';
import { charCount, describeAccept, extensionOf, fieldName, formatBytes, isPlainObject, mimeAccepted, own } from './shared';

const FILE_KEYS = ['name', 'mimeType', 'size', 'sha256'];

/**
 * Checks the metadata of a present attachment list. Each bad file is its own error (path `key[i]`)
 * so the UI can mark it; the list's own problems (count) are reported at `key`. There is no minimum
 * beyond `required`, which the caller applies.
 */
export function checkFiles(field: FileField, raw: unknown): { value?: FileRef[]; errors: FieldError[] } {
  const name = fieldName(field);
  if (!Array.isArray(raw)) return { errors: [{ field: field.key, message: `${name}应为文件列表` }] };
  const errors: FieldError[] = [];
  if (raw.length > field.maxCount) errors.push({ field: field.key, message: `${name}最多上传 ${field.maxCount} 个文件，现有 ${raw.length} 个` });
  const value: FileRef[] = [];
  const hashes = new Set<string>();
  raw.forEach((item, i) => {
    const path = `${field.key}[${i}]`;
    const checked = checkFile(field, item, i);
    if (typeof checked === 'string') return errors.push({ field: path, message: `${name}${checked}` });
    // The same bytes twice is an upload slip, and storage addresses files by hash anyway.
    if (hashes.has(checked.sha256)) return errors.push({ field: path, message: `${name}的文件“${checked.name}”与前面的文件内容相同，重复上传` });
    hashes.add(checked.sha256);
    value.push(checked);
  });
  return errors.length ? { errors } : { value, errors };
}

function checkFile(field: FileField, item: unknown, index: number): FileRef | string {
  const nth = `第 ${index + 1} 个文件`;
  if (!isPlainObject(item)) return `的${nth}应为文件信息（name、mimeType、size、sha256）`;
  const extra = Object.keys(item).filter((k) => !FILE_KEYS.includes(k));
  if (extra.length) return `的${nth}含有未知属性：${extra.join('、')}`;
  const name = own(item, 'name');
  const mimeType = own(item, 'mimeType');
  const size = own(item, 'size');
  const sha256 = own(item, 'sha256');
  if (typeof name !== 'string' || name.trim() === '') return `的${nth}缺少文件名`;
  const shown = name.trim();
  // A name is shown back to people and used in downloads: no folders, no control characters.
  if (/[\\/]/.test(shown) || [...shown].some((c) => c.charCodeAt(0) < 32) || charCount(shown) > 255)
    return `的文件“${shown}”文件名无效（不能含路径或控制字符，最长 255 个字）`;
  if (typeof mimeType !== 'string' || typeof size !== 'number' || typeof sha256 !== 'string') return `的文件“${shown}”缺少类型、大小或校验值`;
  if (!extensionOf(shown) || !field.accept.extensions.includes(extensionOf(shown)) || !mimeAccepted(mimeType, field.accept.mimeTypes)) {
    return `的文件“${shown}”类型不允许，只接受 ${describeAccept(field.accept)}`;
  }
  if (!Number.isInteger(size) || size <= 0) return `的文件“${shown}”大小无效（应为正整数字节数，空文件不能上传）`;
  if (size > field.maxSizeBytes) return `的文件“${shown}”大小为 ${formatBytes(size)}，超过上限 ${formatBytes(field.maxSizeBytes)}`;
  if (!/^[0-9a-fA-F]{64}$/.test(sha256)) return `的文件“${shown}”校验值无效，应为 64 位十六进制 SHA-256`;
  return { name: shown, mimeType: mimeType.toLowerCase(), size, sha256: sha256.toLowerCase() };
}
