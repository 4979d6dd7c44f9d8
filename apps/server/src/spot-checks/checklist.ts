import type { FieldError } from '../common/errors/domain-error';

/**
 * A round's checklist. An item is judged 合格/不合格 (PASS_FAIL) or scored 0…maxScore (SCORE, passed at passScore).
 * The evidence requirement applies to a failed item: NOTE needs a written description, PHOTO at least one photo.
 */
export interface ChecklistItem {
  key: string;
  text: string;
  kind: 'PASS_FAIL' | 'SCORE';
  maxScore?: number;
  passScore?: number;
  evidence: 'NONE' | 'NOTE' | 'PHOTO';
}

export const EVIDENCE_LABELS: Record<ChecklistItem['evidence'], string> = { NONE: '无需佐证', NOTE: '须文字说明', PHOTO: '须拍照取证' };

/** Validates and normalises a checklist; keys are given as i1, i2 … where missing. */
export function parseChecklist(raw: unknown, errors: FieldError[]): ChecklistItem[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push({ field: 'checklist', message: '字段 checklist（检查清单）至少要有一项' });
    return [];
  }
  if (raw.length > 100) errors.push({ field: 'checklist', message: '字段 checklist（检查清单）不能超过 100 项' });
  const keys = new Set<string>();
  return raw.map((item, i) => {
    const at = `checklist[${i}]`;
    const x = (item ?? {}) as Record<string, unknown>;
    const key = typeof x.key === 'string' && x.key.trim() ? x.key.trim() : `i${i + 1}`;
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(key)) errors.push({ field: `${at}.key`, message: `字段 ${at}.key（项目编号）只能用字母、数字、下划线` });
    if (keys.has(key)) errors.push({ field: `${at}.key`, message: `字段 ${at}.key（项目编号）“${key}”重复` });
    keys.add(key);
    const text = typeof x.text === 'string' ? x.text.trim() : '';
    if (!text) errors.push({ field: `${at}.text`, message: `字段 ${at}.text（检查内容）不能为空` });
    else if (text.length > 300) errors.push({ field: `${at}.text`, message: `字段 ${at}.text（检查内容）不能超过 300 个字` });
    const kind = x.kind ?? 'PASS_FAIL';
    if (kind !== 'PASS_FAIL' && kind !== 'SCORE')
      errors.push({ field: `${at}.kind`, message: `字段 ${at}.kind（评判方式）必须是 PASS_FAIL（合格/不合格）或 SCORE（打分）` });
    const evidence = x.evidence ?? 'NONE';
    if (!['NONE', 'NOTE', 'PHOTO'].includes(evidence as string))
      errors.push({ field: `${at}.evidence`, message: `字段 ${at}.evidence（佐证要求）必须是 NONE、NOTE（文字说明）或 PHOTO（拍照）` });
    const out: ChecklistItem = { key, text, kind: kind as ChecklistItem['kind'], evidence: evidence as ChecklistItem['evidence'] };
    if (kind === 'SCORE') {
      const max = x.maxScore;
      if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 100)
        errors.push({ field: `${at}.maxScore`, message: `字段 ${at}.maxScore（满分）必须是 1 到 100 的整数` });
      else {
        out.maxScore = max as number;
        const pass = x.passScore ?? Math.ceil((max as number) * 0.6);
        if (!Number.isInteger(pass) || (pass as number) < 0 || (pass as number) > (max as number))
          errors.push({ field: `${at}.passScore`, message: `字段 ${at}.passScore（合格分）必须是 0 到满分之间的整数` });
        else out.passScore = pass as number;
      }
    }
    return out;
  });
}
