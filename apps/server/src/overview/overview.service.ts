import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { barsOf, influenceUntil, type BarRecord } from '../accountability/influence';
import { CASE_STATUS_LABELS } from '../accountability/case-rules';
import type { Actor } from '../audit/actor';
import { actsForSubtree } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { OrgScopeService } from '../orgs/org-scope.service';
import { OrgKind, Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { ReadPool } from '../prisma/read-pool';
import { GRADE_LABELS, type GradeKey } from '../reviews/formula/formula';
import { gradeRank, rate, sortRows, type Sort, type SortKey } from './overview-query';

/** Filings of directives whose deadline fell in the year (the same records 日常考核 counts). */
export interface FilingCounts {
  /** First version by the deadline. */
  onTime: number;
  /** First version after the deadline. */
  late: number;
  /** Nothing submitted and the deadline has passed. */
  missing: number;
  /** Nothing submitted yet, the deadline still ahead (not counted in the rate). */
  pending: number;
  /** onTime + late + missing. */
  due: number;
  /** onTime / due × 100, 2 decimals; null when nothing was due. */
  rate: number | null;
}

/** Spot-check items checked at the branch in the year, and the rectifications opened for it. */
export interface SpotCheckCounts {
  items: number;
  passed: number;
  failed: number;
  rate: number | null;
  rectifications: number;
  /** Rectification filings accepted. */
  rectClosed: number;
  rectOpen: number;
}

export interface GradeRecord {
  roundId: string;
  title: string;
  year: number;
  grade: GradeKey;
  gradeLabel: string;
  personId: string;
  personName: string;
  post: string;
  orgId: string;
  href: string;
}

export interface CommendationRecord {
  id: string;
  year: number;
  title: string;
  /** Whom: the person's name, or the branch's. */
  who: string;
  personId: string | null;
  orgId: string;
  docNumber: string;
  conferredOn: string;
  href: string;
}

export interface CaseRecord {
  id: string;
  year: number;
  title: string;
  status: string;
  statusLabel: string;
  open: boolean;
  who: string;
  personId: string | null;
  orgId: string;
  createdOn: string;
  href: string;
}

export interface MeasureRecord {
  id: string;
  kind: string;
  detail: string | null;
  who: string;
  personId: string | null;
  orgId: string;
  effectiveOn: string;
  /** Last day of the influence period, or null when it bars nothing. */
  until: string | null;
  bars: (BarRecord & { text: string })[];
  /** Some bar still runs on the day looked at. */
  inForce: boolean;
  href: string | null;
}

/** One branch's year: the committee table's row. */
export interface OrgYear {
  orgId: string;
  name: string;
  sortOrder: number;
  year: number;
  filings: FilingCounts;
  spotChecks: SpotCheckCounts;
  /** The branch's secretary's grade in the year's closed 述职评议 (the latest round when there are several). */
  review: GradeRecord | null;
  commendations: CommendationRecord[];
  cases: CaseRecord[];
  measures: MeasureRecord[];
}

/** One person's year: the figures of the branches they serve in, and their own grade, commendations, cases and measures. */
export interface PersonYear {
  year: number;
  filings: FilingCounts;
  spotChecks: SpotCheckCounts;
  grade: GradeRecord | null;
  commendations: number;
  cases: number;
  measures: number;
}

/** Filing counts of several branches together (a person serving in more than one). */
export function sumFilings(all: FilingCounts[]): FilingCounts {
  const out = emptyFilings();
  for (const f of all) {
    out.onTime += f.onTime;
    out.late += f.late;
    out.missing += f.missing;
    out.pending += f.pending;
    out.due += f.due;
  }
  return { ...out, rate: rate(out.onTime, out.due) };
}

/** Spot-check counts of several branches together. */
export function sumSpotChecks(all: SpotCheckCounts[]): SpotCheckCounts {
  const out = emptySpot();
  for (const c of all) {
    out.items += c.items;
    out.passed += c.passed;
    out.failed += c.failed;
    out.rectifications += c.rectifications;
    out.rectClosed += c.rectClosed;
    out.rectOpen += c.rectOpen;
  }
  return { ...out, rate: rate(out.passed, out.items) };
}

const CLOSED_CASES = ['CLOSED', 'DISMISSED'];
/** Whose records: branches (everything about them and their people) or people. */
type Who = { orgIds: string[] } | { personIds: string[] };
const cn = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
const shanghaiDay = (d: Date) => DateTime.fromJSDate(d).setZone('Asia/Shanghai').toISODate() as string;
const yearStart = (year: number) => DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'Asia/Shanghai' }).toJSDate();
const emptyFilings = (): FilingCounts => ({ onTime: 0, late: 0, missing: 0, pending: 0, due: 0, rate: null });
const emptySpot = (): SpotCheckCounts => ({ items: 0, passed: 0, failed: 0, rate: null, rectifications: 0, rectClosed: 0, rectOpen: 0 });
const BAR_WORDS: Record<string, string> = { 评优: '不得评优', 最高等次: '不得评定最高等次', 提拔: '不得提拔', 调离: '不得调离' };

/**
 * 年度综合情况 (lifecycle 5, point 7): per branch and per person, what the record says about a year — filings on time,
 * spot-check results and rectifications, the 述职评议 grade, commendations, accountability cases and measures with
 * their influence periods. Read from the records of lifecycles 2–6 with one grouped query per kind of record, whatever
 * the number of branches (no query per branch).
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reads: ReadPool,
    private readonly scope: OrgScopeService,
  ) {}

  /** The branches the committee table lists: the actor's subtree below the committee (a branch: itself), in one query. */
  async branchesOf(actor: Actor): Promise<{ id: string; name: string; sortOrder: number }[]> {
    return this.reads.rows(Prisma.sql`
      WITH RECURSIVE t AS (
        SELECT id FROM organization WHERE id = ${actor.orgId}::uuid
        ${actsForSubtree(actor.role) ? Prisma.sql`UNION ALL SELECT o.id FROM organization o JOIN t ON o.parent_id = t.id` : Prisma.empty}
      )
      SELECT o.id::text AS id, o.name, o.sort_order AS "sortOrder"
        FROM organization o JOIN t ON t.id = o.id
       WHERE o.active AND o.kind <> 'COMMITTEE'
       ORDER BY o.sort_order, o.name`);
  }

  /** The committee table: every visible branch's year, sorted as asked. */
  async table(actor: Actor, year: number, sort: Sort, now = new Date()): Promise<OrgYear[]> {
    const orgs = await this.branchesOf(actor);
    const years = await this.years(orgs, year, year, now);
    const rows = orgs.map((o) => years.get(o.id)?.get(year) as OrgYear);
    return sortRows(rows, sort, sortValue);
  }

  /** One branch over `from`..`to` (the chart's years), the branch checked against the actor's scope. */
  async org(actor: Actor, orgId: string, year: number, span = 5, now = new Date()) {
    const org = await this.assertOrg(actor, orgId);
    const from = year - span + 1;
    const years = (await this.years([org], from, year, now)).get(org.id) as Map<number, OrgYear>;
    const members = await this.prisma.membership.findMany({
      where: { orgId, active: true, person: { active: true } },
      select: { personId: true, post: true, role: true, person: { select: { name: true } } },
      orderBy: [{ createdAt: 'asc' }],
    });
    const people = new Map<string, { id: string; name: string; posts: string[] }>();
    for (const m of members) {
      const p = people.get(m.personId) ?? { id: m.personId, name: m.person.name, posts: [] };
      if (m.post && !p.posts.includes(m.post)) p.posts.push(m.post);
      people.set(m.personId, p);
    }
    const current = years.get(year) as OrgYear;
    const findings = await this.failedFindings(orgId, year);
    return {
      org: { id: org.id, name: org.name },
      year,
      current,
      history: [...years.values()].sort((a, b) => a.year - b.year),
      findings,
      people: [...people.values()].map((p) => ({
        ...p,
        commendations: current.commendations.filter((c) => c.personId === p.id).length,
        cases: current.cases.filter((c) => c.personId === p.id).length,
        grade: current.review?.personId === p.id ? current.review.gradeLabel : null,
      })),
    };
  }

  /** One person: grades, commendations, cases and measures (with influence periods), the year's and the last few. */
  async person(actor: Actor, personId: string, year: number, span = 5, now = new Date()) {
    const person = await this.prisma.person.findUnique({
      where: { id: personId },
      select: {
        id: true,
        name: true,
        memberships: { where: { active: true }, select: { orgId: true, post: true, org: { select: { name: true, kind: true, sortOrder: true } } } },
      },
    });
    if (!person) throw DomainError.notFound('人员');
    const visible = await this.assertPerson(
      actor,
      person.memberships.map((m) => m.orgId),
    );
    const from = year - span + 1;
    // The branches the person serves in (and the actor may see): their filings and spot checks are the person's work.
    const branches = person.memberships
      .filter((m) => m.org.kind !== OrgKind.COMMITTEE && visible.has(m.orgId))
      .map((m) => ({ id: m.orgId, name: m.org.name, sortOrder: m.org.sortOrder }))
      .filter((b, i, all) => all.findIndex((x) => x.id === b.id) === i);
    const [grades, commendations, cases, measures, branchYears] = await Promise.all([
      this.grades({ personIds: [personId] }, from, year),
      this.commendations({ personIds: [personId] }, from, year),
      this.cases({ personIds: [personId] }, from, year),
      this.measures({ personIds: [personId] }, from, year, now),
      branches.length ? this.years(branches, from, year, now) : Promise.resolve(new Map<string, Map<number, OrgYear>>()),
    ]);
    const ofYear = (y: number) => branches.map((b) => branchYears.get(b.id)?.get(y)).filter((r): r is OrgYear => !!r);
    const history: PersonYear[] = [];
    for (let y = from; y <= year; y++)
      history.push({
        year: y,
        filings: sumFilings(ofYear(y).map((r) => r.filings)),
        spotChecks: sumSpotChecks(ofYear(y).map((r) => r.spotChecks)),
        grade: grades.filter((g) => g.year === y).at(-1) ?? null,
        commendations: commendations.filter((c) => c.year === y).length,
        cases: cases.filter((c) => c.year === y).length,
        measures: measures.filter((m) => m.effectiveOn.startsWith(`${y}-`)).length,
      });
    const inYear = (m: MeasureRecord) => m.effectiveOn <= `${year}-12-31` && (m.until ?? m.effectiveOn) >= `${year}-01-01`;
    return {
      person: {
        id: person.id,
        name: person.name,
        orgs: person.memberships
          .filter((m) => m.org.kind !== OrgKind.COMMITTEE || actsForSubtree(actor.role))
          .map((m) => ({ id: m.orgId, name: m.org.name, post: m.post })),
      },
      year,
      /** The year's figures of the branches the person serves in (summed when more than one). */
      current: history[history.length - 1],
      branches: branches.map((b) => ({ id: b.id, name: b.name })),
      grades: grades.filter((g) => g.year === year),
      commendations: commendations.filter((c) => c.year === year),
      cases: cases.filter((c) => c.year === year),
      /** Measures in effect some day of the year (taking effect in it, or an influence period reaching into it). */
      measures: measures.filter(inYear),
      history,
    };
  }

  /** A branch the actor may see: the committee its subtree (others 404), a branch itself only (others 403). */
  async assertOrg(actor: Actor, orgId: string): Promise<{ id: string; name: string; sortOrder: number }> {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true, sortOrder: true, kind: true } });
    if (!org) throw DomainError.notFound('组织');
    if (actsForSubtree(actor.role)) {
      if (!(await this.scope.canSee(actor, orgId))) throw DomainError.notFound('组织');
    } else if (orgId !== actor.orgId) throw DomainError.forbidden('只能查看本支部的年度综合情况');
    return org;
  }

  /**
   * A person the actor may see: in the committee's subtree (others 404), or a member of the actor's own branch (others
   * 403). Returns which of the person's organisations the actor sees.
   */
  private async assertPerson(actor: Actor, orgIds: string[]): Promise<Set<string>> {
    if (actsForSubtree(actor.role)) {
      const subtree = new Set(await this.scope.subtreeIds(actor.orgId));
      const visible = new Set(orgIds.filter((id) => subtree.has(id)));
      if (!visible.size) throw DomainError.notFound('人员');
      return visible;
    }
    if (!orgIds.includes(actor.orgId)) throw DomainError.forbidden('只能查看本支部人员的年度综合情况');
    return new Set([actor.orgId]);
  }

  /** Every branch's every year of from..to, one grouped query per kind of record. */
  private async years(
    orgs: { id: string; name: string; sortOrder: number }[],
    from: number,
    to: number,
    now: Date,
  ): Promise<Map<string, Map<number, OrgYear>>> {
    const ids = orgs.map((o) => o.id);
    const out = new Map<string, Map<number, OrgYear>>();
    for (const o of orgs) {
      const m = new Map<number, OrgYear>();
      for (let y = from; y <= to; y++)
        m.set(y, {
          orgId: o.id,
          name: o.name,
          sortOrder: o.sortOrder,
          year: y,
          filings: emptyFilings(),
          spotChecks: emptySpot(),
          review: null,
          commendations: [],
          cases: [],
          measures: [],
        });
      out.set(o.id, m);
    }
    if (!ids.length) return out;
    const start = yearStart(from);
    const end = yearStart(to + 1);
    const at = (orgId: string, y: number) => out.get(orgId)?.get(y);

    const [filings, findings, rects, grades, commendations, cases, measures] = await Promise.all([
      this.reads.rows<{ orgId: string; year: number; onTime: number; late: number; missing: number; pending: number }>(Prisma.sql`
        SELECT f.org_id::text AS "orgId",
               EXTRACT(YEAR FROM f.deadline_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
               count(*) FILTER (WHERE v.submitted_at <= f.deadline_at)::int AS "onTime",
               count(*) FILTER (WHERE v.submitted_at > f.deadline_at)::int AS late,
               count(*) FILTER (WHERE v.submitted_at IS NULL AND f.deadline_at <= ${now})::int AS missing,
               count(*) FILTER (WHERE v.submitted_at IS NULL AND f.deadline_at > ${now})::int AS pending
          FROM filing f
          JOIN requirement r ON r.id = f.requirement_id AND r.directive_id IS NOT NULL
          LEFT JOIN filing_version v ON v.filing_id = f.id AND v.version = 1
         WHERE f.org_id = ANY(${ids}::uuid[]) AND f.deadline_at >= ${start} AND f.deadline_at < ${end} AND f.status <> 'CLOSED'
         GROUP BY 1, 2`),
      this.reads.rows<{ orgId: string; year: number; items: number; passed: number }>(Prisma.sql`
        SELECT u.org_id::text AS "orgId",
               EXTRACT(YEAR FROM x.recorded_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
               count(*)::int AS items,
               count(*) FILTER (WHERE x.passed)::int AS passed
          FROM spot_check_finding x
          JOIN spot_check_unit u ON u.id = x.unit_row_id
         WHERE u.org_id = ANY(${ids}::uuid[]) AND x.recorded_at >= ${start} AND x.recorded_at < ${end}
         GROUP BY 1, 2`),
      this.reads.rows<{ orgId: string; year: number; opened: number; closed: number }>(Prisma.sql`
        SELECT r.org_id::text AS "orgId",
               EXTRACT(YEAR FROM r.created_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
               count(*)::int AS opened,
               count(*) FILTER (WHERE f.status = 'ACCEPTED')::int AS closed
          FROM rectification r
          LEFT JOIN filing f ON f.id = r.filing_id
         WHERE r.org_id = ANY(${ids}::uuid[]) AND r.created_at >= ${start} AND r.created_at < ${end}
         GROUP BY 1, 2`),
      this.grades({ orgIds: ids }, from, to),
      this.commendations({ orgIds: ids }, from, to),
      this.cases({ orgIds: ids }, from, to),
      this.measures({ orgIds: ids }, from, to, now),
    ]);
    for (const f of filings) {
      const row = at(f.orgId, f.year);
      if (!row) continue;
      const due = f.onTime + f.late + f.missing;
      row.filings = { onTime: f.onTime, late: f.late, missing: f.missing, pending: f.pending, due, rate: rate(f.onTime, due) };
    }
    for (const f of findings) {
      const row = at(f.orgId, f.year);
      if (row) Object.assign(row.spotChecks, { items: f.items, passed: f.passed, failed: f.items - f.passed, rate: rate(f.passed, f.items) });
    }
    for (const r of rects) {
      const row = at(r.orgId, r.year);
      if (row) Object.assign(row.spotChecks, { rectifications: r.opened, rectClosed: r.closed, rectOpen: r.opened - r.closed });
    }
    // The latest closed round of the year decides (grades come in round order).
    for (const g of grades) {
      const row = at(g.orgId, g.year);
      if (row) row.review = g;
    }
    for (const c of commendations) at(c.orgId, c.year)?.commendations.push(c);
    for (const c of cases) at(c.orgId, c.year)?.cases.push(c);
    for (const m of measures) at(m.orgId, Number(m.effectiveOn.slice(0, 4)))?.measures.push(m);
    return out;
  }

  /** Grades of closed (or published) 述职评议 rounds of from..to, in round order (year, then close), with the names. */
  private async grades(who: Who, from: number, to: number): Promise<GradeRecord[]> {
    const rows = await this.reads.rows<{
      roundId: string;
      title: string;
      year: number;
      grade: GradeKey;
      personId: string;
      personName: string;
      post: string;
      orgId: string;
    }>(
      Prisma.sql`
        WITH g AS (
          SELECT r.id AS round_id, x->>'subjectId' AS subject_id, x->>'grade' AS grade
            FROM review_round r, jsonb_array_elements(r.results->'results') x
           WHERE r.year BETWEEN ${from} AND ${to} AND r.status::text IN ('CLOSED', 'PUBLISHED') AND jsonb_typeof(r.results->'results') = 'array'
        )
        SELECT r.id::text AS "roundId", r.title, r.year, g.grade, s.person_id::text AS "personId", p.name AS "personName", s.post, s.org_id::text AS "orgId"
          FROM g
          JOIN review_subject s ON s.id::text = g.subject_id
          JOIN review_round r ON r.id = g.round_id
          JOIN person p ON p.id = s.person_id
         WHERE ${'orgIds' in who ? Prisma.sql`s.org_id = ANY(${who.orgIds}::uuid[])` : Prisma.sql`s.person_id = ANY(${who.personIds}::uuid[])`}
           AND g.grade IS NOT NULL
         ORDER BY r.year, r.closed_at, r.id`,
    );
    return rows.map((g) => ({ ...g, gradeLabel: GRADE_LABELS[g.grade] ?? g.grade, href: `/reviews/${g.roundId}` }));
  }

  private async commendations(who: Who, from: number, to: number): Promise<CommendationRecord[]> {
    const rows = await this.reads.rows<Omit<CommendationRecord, 'href'> & { documentId: string }>(Prisma.sql`
      SELECT c.id::text AS id, c.year, c.title, COALESCE(p.name, o.name) AS who, c.person_id::text AS "personId", c.org_id::text AS "orgId",
             c.doc_number AS "docNumber", c.conferred_on AS "conferredOn", c.document_id::text AS "documentId"
        FROM commendation c
        LEFT JOIN person p ON p.id = c.person_id
        JOIN organization o ON o.id = c.org_id
       WHERE ${'orgIds' in who ? Prisma.sql`c.org_id = ANY(${who.orgIds}::uuid[])` : Prisma.sql`c.person_id = ANY(${who.personIds}::uuid[])`}
         AND c.year BETWEEN ${from} AND ${to}
       ORDER BY c.year, c.conferred_on, c.created_at`);
    return rows.map(({ documentId, ...c }) => ({ ...c, href: `/api/documents/${documentId}/pdf` }));
  }

  private async cases(who: Who, from: number, to: number): Promise<CaseRecord[]> {
    const rows = await this.reads.rows<{
      id: string;
      year: number;
      title: string;
      status: keyof typeof CASE_STATUS_LABELS;
      who: string;
      personId: string | null;
      orgId: string;
      createdAt: Date;
    }>(
      Prisma.sql`
        SELECT c.id::text AS id, c.year, c.title, c.status::text AS status, COALESCE(p.name, o.name) AS who,
               c.target_person_id::text AS "personId", c.target_org_id::text AS "orgId", c.created_at AS "createdAt"
          FROM accountability_case c
          LEFT JOIN person p ON p.id = c.target_person_id
          JOIN organization o ON o.id = c.target_org_id
         WHERE ${'orgIds' in who ? Prisma.sql`c.target_org_id = ANY(${who.orgIds}::uuid[])` : Prisma.sql`c.target_person_id = ANY(${who.personIds}::uuid[])`}
           AND c.year BETWEEN ${from} AND ${to}
         ORDER BY c.year, c.serial`,
    );
    return rows.map(({ createdAt, ...c }) => ({
      ...c,
      statusLabel: CASE_STATUS_LABELS[c.status],
      open: !CLOSED_CASES.includes(c.status),
      createdOn: shanghaiDay(createdAt),
      href: `/accountability/cases/${c.id}`,
    }));
  }

  /**
   * Measures in force (not revoked or replaced on appeal): for branches those taking effect in from..to; for a person
   * also earlier ones whose influence period reaches into the span.
   */
  private async measures(who: Who, from: number, to: number, now: Date): Promise<MeasureRecord[]> {
    const rows = await this.reads.rows<{
      id: string;
      kind: string;
      detail: string | null;
      who: string;
      personId: string | null;
      orgId: string;
      effectiveOn: string;
      bars: unknown;
      caseId: string | null;
    }>(Prisma.sql`
      SELECT m.id::text AS id, m.kind, m.detail, COALESCE(p.name, o.name) AS who, m.person_id::text AS "personId", m.org_id::text AS "orgId",
             m.effective_on AS "effectiveOn", m.bars, m.case_id::text AS "caseId"
        FROM accountability_measure m
        LEFT JOIN person p ON p.id = m.person_id
        JOIN organization o ON o.id = m.org_id
       WHERE ${'orgIds' in who ? Prisma.sql`m.org_id = ANY(${who.orgIds}::uuid[]) AND m.effective_on >= ${`${from}-01-01`}` : Prisma.sql`m.person_id = ANY(${who.personIds}::uuid[])`}
         AND m.effective_on <= ${`${to}-12-31`} AND m.status = 'ACTIVE'
       ORDER BY m.effective_on, m.created_at`);
    const today = shanghaiDay(now);
    return rows
      .map((m) => {
        const bars = barsOf({ kind: m.kind, effectiveOn: m.effectiveOn, bars: m.bars as Prisma.JsonValue });
        const until = influenceUntil(bars);
        return {
          id: m.id,
          kind: m.kind,
          detail: m.detail,
          who: m.who,
          personId: m.personId,
          orgId: m.orgId,
          effectiveOn: m.effectiveOn,
          until,
          bars: bars.map((b) => ({ ...b, text: `${cn(b.until)}前${BAR_WORDS[b.bar] ?? `不得${b.bar}`}` })),
          inForce: m.effectiveOn <= today && !!until && until >= today,
          href: m.caseId ? `/accountability/cases/${m.caseId}` : null,
        };
      })
      .filter((m) => 'orgIds' in who || m.effectiveOn >= `${from}-01-01` || (m.until ?? '') >= `${from}-01-01`);
  }

  /** The year's failed spot-check items at the branch, each with its rectification's state. */
  private async failedFindings(orgId: string, year: number) {
    const rows = await this.prisma.spotCheckFinding.findMany({
      where: { unit: { orgId }, passed: false, recordedAt: { gte: yearStart(year), lt: yearStart(year + 1) } },
      select: {
        id: true,
        roundId: true,
        itemKey: true,
        severity: true,
        notes: true,
        recordedAt: true,
        unit: { select: { label: true } },
        round: { select: { title: true, checklist: true } },
        rectification: { select: { filingId: true } },
      },
      orderBy: { recordedAt: 'asc' },
    });
    const filings = new Map(
      (
        await this.prisma.filing.findMany({
          where: { id: { in: rows.flatMap((r) => (r.rectification ? [r.rectification.filingId] : [])) } },
          select: { id: true, status: true, deadlineAt: true },
        })
      ).map((f) => [f.id, f]),
    );
    return rows.map((r) => {
      const item = (r.round.checklist as { key: string; text: string }[]).find((i) => i.key === r.itemKey);
      const f = r.rectification ? filings.get(r.rectification.filingId) : undefined;
      return {
        id: r.id,
        round: r.round.title,
        item: item?.text ?? r.itemKey,
        unit: r.unit.label,
        severity: r.severity,
        notes: r.notes,
        recordedOn: shanghaiDay(r.recordedAt),
        rectification: !r.rectification ? '未要求整改' : f?.status === 'ACCEPTED' ? '整改已完成' : f && f.deadlineAt < new Date() ? '整改逾期未完成' : '整改中',
        rectHref: r.rectification ? `/filings/${r.rectification.filingId}` : null,
        href: `/spot-checks/${r.roundId}`,
      };
    });
  }
}

/** What the committee table sorts by, per column; null sorts last. */
export function sortValue(r: OrgYear, key: SortKey): number | string | null {
  switch (key) {
    case 'name':
      return r.sortOrder;
    case 'onTimeRate':
      return r.filings.rate;
    case 'late':
      return r.filings.late;
    case 'missing':
      return r.filings.missing;
    case 'passRate':
      return r.spotChecks.rate;
    case 'failed':
      return r.spotChecks.failed;
    case 'rectOpen':
      return r.spotChecks.rectOpen;
    case 'grade':
      return r.review ? gradeRank(r.review.grade) : null;
    case 'commendations':
      return r.commendations.length;
    case 'cases':
      return r.cases.length;
    case 'measures':
      return r.measures.length;
  }
}
