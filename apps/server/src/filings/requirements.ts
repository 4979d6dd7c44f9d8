import { DomainError, FieldError } from '../common/errors/domain-error';
import { Prisma, Role } from '../prisma/client';
import type { Tx } from '../prisma/prisma.service';
import { RequirementDto } from './dto/filing.dto';
import { ANNUAL_WORK_PLAN, parseFormDefinition, RECTIFICATION_REPORT } from './forms';

const TEMPLATES = { ANNUAL_WORK_PLAN, RECTIFICATION_REPORT };

/** Checks the requirements of a directive (form, deadline) and turns them into rows; every problem is listed. */
export function requirementRows(list: RequirementDto[] | undefined): Omit<Prisma.RequirementCreateManyInput, 'directiveId' | 'orgId'>[] {
  const errors: FieldError[] = [];
  const rows = (list ?? []).map((r, i) => {
    const at = `requirements[${i}]`;
    let form: unknown = r.template ? TEMPLATES[r.template] : r.form;
    if (r.template && r.form) errors.push({ field: `${at}.form`, message: `字段 ${at}.form 与 template 只能填写一个` });
    if (!form) errors.push({ field: `${at}.form`, message: `字段 ${at}.form（表单）或 template（表单模板）必须填写一个` });
    else {
      const parsed = parseFormDefinition(form);
      if (!parsed.ok) errors.push(...parsed.errors.map((e) => ({ field: `${at}.form.${e.field}`, message: e.message })));
      else form = parsed.definition;
    }
    if (r.deadlineKind === 'FIXED' && !(r.deadlineAt && Date.parse(r.deadlineAt) > Date.now())) {
      errors.push({ field: `${at}.deadlineAt`, message: `字段 ${at}.deadlineAt（期限）固定期限须填写晚于现在的时间` });
    }
    if (r.deadlineKind === 'WORKDAYS' && !r.deadlineWorkdays)
      errors.push({ field: `${at}.deadlineWorkdays`, message: `字段 ${at}.deadlineWorkdays（工作日数）按工作日计算期限时必须填写` });
    return {
      title: r.title,
      form: JSON.parse(JSON.stringify(form ?? {})) as Prisma.InputJsonValue,
      deadlineKind: r.deadlineKind,
      deadlineAt: r.deadlineKind === 'FIXED' && r.deadlineAt ? new Date(r.deadlineAt) : null,
      deadlineWorkdays: r.deadlineKind === 'WORKDAYS' ? (r.deadlineWorkdays ?? null) : null,
      deadlineTime: r.deadlineTime ?? '17:30',
      reminderDays: r.reminderDays ?? [3, 1, 0],
      reviewerRole: (r.reviewerRole ?? 'COMMITTEE_STAFF') as Role,
      sortOrder: i,
    };
  });
  if (errors.length) throw DomainError.validation(errors);
  return rows;
}

/** Replaces a draft directive's requirements. */
export async function saveRequirements(
  tx: Tx,
  directive: { id: string; orgId: string },
  rows: Omit<Prisma.RequirementCreateManyInput, 'directiveId' | 'orgId'>[],
): Promise<void> {
  await tx.requirement.deleteMany({ where: { directiveId: directive.id } });
  if (rows.length) await tx.requirement.createMany({ data: rows.map((r) => ({ ...r, directiveId: directive.id, orgId: directive.orgId })) });
}
