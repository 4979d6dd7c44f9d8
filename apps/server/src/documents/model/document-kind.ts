/** 公文种类 handled by the renderer, and the layout each one uses. */
export const DOCUMENT_KINDS = ['通知', '方案', '意见', '决定', '通报', '报告', '请示', '函', '纪要', '命令'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export type DocumentFormat = 'standard' | 'letter' | 'minutes' | 'order';

export function formatOf(kind: DocumentKind): DocumentFormat {
  if (kind === '函') return 'letter';
  if (kind === '纪要') return 'minutes';
  if (kind === '命令') return 'order';
  return 'standard';
}

export const SECRET_LEVELS = ['秘密', '机密', '绝密'] as const;
export const URGENCIES = ['特急', '加急'] as const;
export const BLOCK_TYPES = ['paragraph', 'heading', 'list', 'table'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** 发文机关性质: party (党的机关, separator with a red star) or government (行政机关, plain separator). */
export const ISSUER_KINDS = ['party', 'government'] as const;
export type IssuerKind = (typeof ISSUER_KINDS)[number];
