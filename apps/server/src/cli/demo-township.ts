import { OrgKind, Role } from '../prisma/client';

/**
 * The demo township, modelled on seed 000 (大滩委发〔2017〕58号): the committee and its
 * village, community, office and school branches ("各村(社区)党支部,机关、学校党支部").
 */
export const DEMO_COMMITTEE = { code: 'DT', name: '中共达州市达川区大滩乡委员会', shortName: '大滩乡党委', kind: OrgKind.COMMITTEE, organCode: '大滩委发' };

const VILLAGES = ['大滩村', '石河村', '龙滩村', '白庙村', '青龙村', '金竹村', '马家村', '观音村', '双河村', '红岩村', '新桥村', '柏林村', '桂花村', '团结村'];
const COMMUNITIES = ['大滩社区', '场镇社区'];
const OFFICES = ['乡机关第一支部', '乡机关第二支部', '乡卫生院支部'];
const SCHOOLS = ['大滩小学支部', '大滩中学支部'];

export interface DemoBranch {
  code: string;
  name: string;
  shortName: string;
  kind: OrgKind;
}

export const DEMO_BRANCHES: DemoBranch[] = [
  ...VILLAGES.map((v, i) => ({
    code: `DT-V${String(i + 1).padStart(2, '0')}`,
    name: `中共大滩乡${v}支部委员会`,
    shortName: `${v}党支部`,
    kind: OrgKind.VILLAGE,
  })),
  ...COMMUNITIES.map((c, i) => ({
    code: `DT-C${String(i + 1).padStart(2, '0')}`,
    name: `中共大滩乡${c}支部委员会`,
    shortName: `${c}党支部`,
    kind: OrgKind.COMMUNITY,
  })),
  ...OFFICES.map((o, i) => ({ code: `DT-O${String(i + 1).padStart(2, '0')}`, name: `中共大滩乡${o}`, shortName: o, kind: OrgKind.OFFICE })),
  ...SCHOOLS.map((s, i) => ({ code: `DT-S${String(i + 1).padStart(2, '0')}`, name: `中共大滩乡${s}`, shortName: s, kind: OrgKind.SCHOOL })),
];

export const DEMO_PASSWORD = 'Datan@2017';

export interface DemoPerson {
  username: string;
  name: string;
  memberships: { orgCode: string; role: Role; post?: string }[];
}

/** One account per role, plus a branch secretary who also sits on the committee as an evaluator. */
export const DEMO_PEOPLE: DemoPerson[] = [
  { username: 'dt.admin', name: '李管理', memberships: [{ orgCode: 'DT', role: Role.ADMIN }] },
  { username: 'dt.shuji', name: '王书记', memberships: [{ orgCode: 'DT', role: Role.COMMITTEE_SECRETARY }] },
  { username: 'dt.djb', name: '张党建', memberships: [{ orgCode: 'DT', role: Role.COMMITTEE_STAFF }] },
  { username: 'dt.ducha', name: '赵督查', memberships: [{ orgCode: 'DT', role: Role.INSPECTOR }] },
  // A second inspector who is also staff of 石河村: never assigned to check 石河村 itself.
  {
    username: 'dt.ducha2',
    name: '孙督查',
    memberships: [
      { orgCode: 'DT', role: Role.INSPECTOR },
      { orgCode: 'DT-V02', role: Role.BRANCH_STAFF },
    ],
  },
  { username: 'dt.pingyi', name: '钱评议', memberships: [{ orgCode: 'DT', role: Role.EVALUATOR }] },
  // 述职评议's three default rater groups each need a rater: 党员代表 and 群众代表 (钱评议 and 刘大滩 sit in the committee's).
  { username: 'dt.pingyi2', name: '周代表', memberships: [{ orgCode: 'DT', role: Role.EVALUATOR }] },
  { username: 'dt.pingyi3', name: '吴代表', memberships: [{ orgCode: 'DT', role: Role.EVALUATOR }] },
  {
    username: 'v01.shuji',
    name: '刘大滩',
    memberships: [
      { orgCode: 'DT-V01', role: Role.BRANCH_SECRETARY },
      { orgCode: 'DT', role: Role.EVALUATOR },
    ],
  },
  { username: 'v01.ganshi', name: '陈干事', memberships: [{ orgCode: 'DT-V01', role: Role.BRANCH_STAFF }] },
  ...DEMO_BRANCHES.slice(1).map((b, i) => ({
    username: `${b.code.slice(3).toLowerCase()}.shuji`,
    name: `${b.shortName.replace(/党支部|支部/, '')}书记${i + 2}号`,
    memberships: [{ orgCode: b.code, role: Role.BRANCH_SECRETARY }],
  })),
  // 驻村工作队员 in every village and 第一书记 in four (seed 004 samples them by post).
  ...VILLAGES.map((v, i) => ({
    username: `v${String(i + 1).padStart(2, '0')}.duiyuan`,
    name: `${v.replace('村', '')}队员`,
    memberships: [{ orgCode: `DT-V${String(i + 1).padStart(2, '0')}`, role: Role.BRANCH_STAFF, post: '驻村工作队员' }],
  })),
  ...VILLAGES.slice(0, 4).map((v, i) => ({
    username: `v${String(i + 1).padStart(2, '0')}.diyi`,
    name: `${v.replace('村', '')}第一书记`,
    memberships: [{ orgCode: `DT-V${String(i + 1).padStart(2, '0')}`, role: Role.BRANCH_SECRETARY, post: '第一书记' }],
  })),
];
