import { fileTypeFromFile } from 'file-type';
import { open } from 'node:fs/promises';
import { DomainError } from '../common/errors/domain-error';

/**
 * What may be uploaded, and how each kind is recognised by its content. The uploader's browser declares a type from the
 * file's extension; the content is read by `file-type` (a maintained magic-number sniffer). Both must name the same kind.
 */
export interface UploadKind {
  /** How a branch secretary names it: “PNG 图片”, “Word 文档”. */
  readonly noun: string;
  readonly image: boolean;
  /** Declared types a browser sends for it; the first is the one stored. */
  readonly mimeTypes: readonly string[];
  readonly extensions: readonly string[];
  /** What `file-type` reports for such content; empty for plain text, which has no magic number. */
  readonly sniffed: readonly string[];
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
/** Old Office and WPS files are OLE compound files; `file-type` names the container, not what is in it. */
const CFB = ['application/x-cfb'];
/** `file-type` opens zip-based office files to name them, but a file written by other tools may sniff as a plain zip. */
const zipOr = (mime: string) => [mime, 'application/zip'];

export const UPLOAD_KINDS: readonly UploadKind[] = [
  { noun: 'JPG 图片', image: true, mimeTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'], extensions: ['.jpg', '.jpeg'], sniffed: ['image/jpeg'] },
  { noun: 'PNG 图片', image: true, mimeTypes: ['image/png', 'image/apng'], extensions: ['.png'], sniffed: ['image/png', 'image/apng'] },
  { noun: 'WebP 图片', image: true, mimeTypes: ['image/webp'], extensions: ['.webp'], sniffed: ['image/webp'] },
  {
    noun: 'HEIC 图片',
    image: true,
    mimeTypes: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
    extensions: ['.heic', '.heif'],
    sniffed: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
  },
  { noun: 'GIF 图片', image: true, mimeTypes: ['image/gif'], extensions: ['.gif'], sniffed: ['image/gif'] },
  { noun: 'PDF 文件', image: false, mimeTypes: ['application/pdf'], extensions: ['.pdf'], sniffed: ['application/pdf'] },
  {
    noun: 'Word 文档',
    image: false,
    mimeTypes: [`${OOXML}.wordprocessingml.document`],
    extensions: ['.docx'],
    sniffed: zipOr(`${OOXML}.wordprocessingml.document`),
  },
  { noun: 'Excel 表格', image: false, mimeTypes: [`${OOXML}.spreadsheetml.sheet`], extensions: ['.xlsx'], sniffed: zipOr(`${OOXML}.spreadsheetml.sheet`) },
  {
    noun: 'PowerPoint 演示文稿',
    image: false,
    mimeTypes: [`${OOXML}.presentationml.presentation`],
    extensions: ['.pptx'],
    sniffed: zipOr(`${OOXML}.presentationml.presentation`),
  },
  { noun: 'Word 文档', image: false, mimeTypes: ['application/msword'], extensions: ['.doc'], sniffed: CFB },
  { noun: 'Excel 表格', image: false, mimeTypes: ['application/vnd.ms-excel'], extensions: ['.xls'], sniffed: CFB },
  { noun: 'PowerPoint 演示文稿', image: false, mimeTypes: ['application/vnd.ms-powerpoint'], extensions: ['.ppt'], sniffed: CFB },
  {
    noun: 'WPS 文字',
    image: false,
    mimeTypes: ['application/vnd.ms-works', 'application/kswps', 'application/wps-office.wps'],
    extensions: ['.wps'],
    sniffed: CFB,
  },
  { noun: 'WPS 表格', image: false, mimeTypes: ['application/kset', 'application/wps-office.et'], extensions: ['.et'], sniffed: CFB },
  // OFD (GB/T 33190) is a zip with OFD.xml at its root; `file-type` reports the zip.
  { noun: 'OFD 文件', image: false, mimeTypes: ['application/ofd'], extensions: ['.ofd'], sniffed: ['application/zip'] },
  { noun: '文本文件', image: false, mimeTypes: ['text/plain'], extensions: ['.txt'], sniffed: [] },
  // Excel on Windows declares a .csv as an Excel sheet.
  { noun: 'CSV 表格', image: false, mimeTypes: ['text/csv', 'application/vnd.ms-excel'], extensions: ['.csv'], sniffed: [] },
];

/** Types a browser sends when it does not know the extension: the extension and the content decide. */
const GENERIC = ['', 'application/octet-stream', 'binary/octet-stream'];
/** How much of a file without a magic number is read to tell text from binary. */
const TEXT_PROBE_BYTES = 64 * 1024;

export type UploadPurpose = 'attachment' | 'photo';
const LABEL: Record<UploadPurpose, string> = { attachment: '附件', photo: '照片' };

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};

function allowedKinds(purpose: UploadPurpose): readonly UploadKind[] {
  return purpose === 'photo' ? UPLOAD_KINDS.filter((k) => k.image) : UPLOAD_KINDS;
}

/** “JPG、PNG、WebP、HEIC、GIF 图片” / the list of everything: what the refusal tells people to upload instead. */
export function describeAllowed(purpose: UploadPurpose): string {
  const images = `${UPLOAD_KINDS.filter((k) => k.image)
    .map((k) => k.noun.replace(/ 图片$/, ''))
    .join('、')} 图片`;
  if (purpose === 'photo') return images;
  const others = [...new Set(UPLOAD_KINDS.filter((k) => !k.image).map((k) => k.noun))];
  return `${others.join('、')}或 ${images}`;
}

/** The kind a stored type belongs to (for comparing a form value's claimed type with what was stored). */
export function kindOfMime(mimeType: string): UploadKind | undefined {
  const m = mimeType.trim().toLowerCase();
  return UPLOAD_KINDS.find((k) => k.mimeTypes.includes(m));
}

/** `file-type`'s answer in words, for the refusal (“看起来是 PDF 文件”). */
function describeSniffed(mime: string | undefined, looksText: boolean): string {
  if (!mime) return looksText ? '文本' : '无法识别的内容';
  const kind = UPLOAD_KINDS.find((k) => k.sniffed.includes(mime) && k.sniffed.length === 1) ?? UPLOAD_KINDS.find((k) => k.sniffed[0] === mime);
  if (kind) return kind.noun;
  if (mime === 'application/zip') return '压缩包';
  if (mime === 'application/x-cfb') return 'Office 旧格式文件';
  if (mime.startsWith('image/')) return '其他格式的图片';
  if (mime.startsWith('video/')) return '视频';
  if (mime.startsWith('audio/')) return '音频';
  return '其他类型的文件';
}

async function isText(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const probe = Buffer.alloc(TEXT_PROBE_BYTES);
    const { bytesRead } = await file.read(probe, 0, TEXT_PROBE_BYTES, 0);
    return !probe.subarray(0, bytesRead).includes(0);
  } finally {
    await file.close();
  }
}

/**
 * Checks an uploaded file (already written to `path`) against its name and declared type, by its content. Answers the
 * type to store (the kind's own, whatever alias the browser sent); refuses with a Chinese message naming the file.
 */
export async function checkUpload(file: { name: string; mimeType: string; path: string }, purpose: UploadPurpose = 'attachment'): Promise<string> {
  const label = LABEL[purpose];
  const declared = file.mimeType.trim().toLowerCase();
  const ext = extensionOf(file.name);
  const kinds = allowedKinds(purpose);
  const refuse = (reason: string) => DomainError.validation([{ field: 'file', message: `${label}“${file.name}”${reason}` }], `${label}未上传`);

  // The extension says what the file claims to be; a browser's declared type must agree with it.
  const byExt = ext ? kinds.filter((k) => k.extensions.includes(ext)) : [];
  const kind = ext
    ? byExt.find((k) => GENERIC.includes(declared) || k.mimeTypes.includes(declared))
    : kinds.find((k) => k.mimeTypes.includes(declared) && !GENERIC.includes(declared));
  if (!kind) {
    if (byExt.length) throw refuse(`的文件名表明是${byExt[0].noun}，但浏览器报告的类型与之不符，请确认文件后重新上传`);
    throw refuse(`的类型不能上传，只接受${describeAllowed(purpose)}`);
  }

  const sniffed = (await fileTypeFromFile(file.path))?.mime;
  if (kind.sniffed.length === 0) {
    const text = !sniffed && (await isText(file.path));
    if (!text) throw refuse(`的内容不是${kind.noun}（看起来是${describeSniffed(sniffed, false)}），请上传${describeAllowed(purpose)}`);
  } else if (!sniffed || !kind.sniffed.includes(sniffed)) {
    const actual = describeSniffed(sniffed, !sniffed && (await isText(file.path)));
    const what = kind.image ? '图片' : kind.noun;
    throw refuse(`的内容不是${what}（看起来是${actual}），请上传真正的${kind.image ? describeAllowed('photo') : kind.noun}`);
  }
  return kind.mimeTypes[0];
}
