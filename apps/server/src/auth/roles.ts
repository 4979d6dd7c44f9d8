import { Role } from '../prisma/client';

export const ROLE_LABELS: Record<Role, string> = {
  COMMITTEE_STAFF: '党建办工作人员',
  COMMITTEE_SECRETARY: '党委书记',
  BRANCH_SECRETARY: '支部书记',
  BRANCH_STAFF: '支部工作人员',
  INSPECTOR: '督查员',
  EVALUATOR: '评议人',
  ADMIN: '系统管理员',
};

/** Capacities that act for the committee over its whole subtree; the others act for their own branch only. */
export const COMMITTEE_ROLES: Role[] = [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.INSPECTOR, Role.EVALUATOR, Role.ADMIN];
export const BRANCH_ROLES: Role[] = [Role.BRANCH_SECRETARY, Role.BRANCH_STAFF];

export function actsForSubtree(role: Role): boolean {
  return COMMITTEE_ROLES.includes(role);
}
