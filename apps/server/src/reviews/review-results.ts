import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { peopleBarred } from '../accountability/influence';
import { PrismaService } from '../prisma/prisma.service';
import { DailyAssessmentService, type DailyAssessment } from './daily-assessment';
import { aggregate, FORMULA_LABEL, FORMULA_VERSION, type Ballot, type FormulaInput, type GradeKey, type Subject, type SubjectResult } from './formula/formula';
import { formulaGroup } from './review-config';
import type { RoundRow } from './reviews.service';

/** The per-group count check: what the roster says was cast against what the ballot box holds. */
export interface GroupCount {
  key: string;
  name: string;
  raters: number;
  voted: number;
  /** Ballots the voted raters' sheets held, by the roster. */
  expected: number;
  /** Ballots in the box. */
  ballots: number;
}

/** What a round keeps when it closes: the formula's output, the 日常考核 behind it and the count check. */
export interface FrozenResults {
  version: number;
  label: string;
  computedAt: string;
  results: SubjectResult[];
  /** The formula's subjects as they were at close (日常考核 score, top-grade bar), so an export recounts the same. */
  subjects: Subject[];
  daily: Record<string, DailyAssessment>;
  /** Names of the organisations under review, by id (the keys of `daily`). */
  orgNames: Record<string, string>;
  counts: GroupCount[];
}

/** The file `npm run cli -- aggregate <file>` reads: everything the formula needs, and nothing that names a rater. */
export interface ExportFile extends Omit<FormulaInput, 'items'> {
  formulaVersion: number;
  round: { year: number; name: string };
  items: FormulaInput['items'];
}

@Injectable()
export class ReviewResultsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly daily: DailyAssessmentService,
  ) {}

  /** The formula's input from the database: subjects with their 日常考核 and bars, the anonymous ballots. */
  async input(round: RoundRow, now = new Date()): Promise<{ input: FormulaInput; daily: Map<string, DailyAssessment>; orgNames: Record<string, string> }> {
    const subjects = await this.prisma.reviewSubject.findMany({ where: { roundId: round.id }, orderBy: { sortOrder: 'asc' } });
    const [people, orgs, measures, ballots] = await Promise.all([
      this.prisma.person.findMany({ where: { id: { in: subjects.map((s) => s.personId) } }, select: { id: true, name: true } }),
      this.prisma.organization.findMany({ where: { id: { in: subjects.map((s) => s.orgId) } }, select: { id: true, name: true } }),
      peopleBarred(
        this.prisma,
        subjects.map((s) => s.personId),
        '最高等次',
        `${round.year}-01-01`,
        `${round.year}-12-31`,
      ),
      // In id order (random uuids): nothing of the order they were cast in reaches the file.
      this.prisma.reviewBallot.findMany({ where: { roundId: round.id }, orderBy: { id: 'asc' } }),
    ]);
    const daily = await this.daily.forOrgs(
      subjects.map((s) => s.orgId),
      round.year,
      round.dailyWeights,
      now,
    );
    const name = new Map(people.map((p) => [p.id, p.name]));
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const input: FormulaInput = {
      settings: round.settings,
      items: round.items.map(({ key, name: n, weight, max }) => ({ key, name: n, weight, max })),
      groups: round.groups.map(formulaGroup),
      subjects: subjects.map((s) => {
        const bar = measures.find((m) => m.personId === s.personId);
        const on = bar ? DateTime.fromISO(bar.effectiveOn).toFormat('yyyy年M月d日') : '';
        return {
          subjectId: s.id,
          name: name.get(s.personId) ?? '',
          orgName: orgName.get(s.orgId) ?? '',
          daily: daily.get(s.orgId)?.score ?? null,
          topGradeBar: bar ? `${on}受到${bar.kind}${bar.detail ? `（${bar.detail}）` : ''}` : null,
        };
      }),
      ballots: ballots.map((b): Ballot => ({
        groupKey: b.groupKey,
        subjectId: b.subjectId,
        ...(b.abstain ? { abstain: true } : {}),
        ...(b.grade ? { grade: b.grade as GradeKey } : {}),
        ...(b.items ? { items: b.items as Record<string, number> } : {}),
      })),
    };
    return { input, daily, orgNames: Object.fromEntries(orgName) };
  }

  /** Computes the results once, at close. */
  async compute(round: RoundRow): Promise<FrozenResults> {
    const { input, daily, orgNames } = await this.input(round);
    const out = aggregate(input);
    const raters = await this.prisma.reviewRater.findMany({ where: { roundId: round.id }, select: { groupKey: true, votedAt: true, ballotCount: true } });
    const counts = round.groups.map((g) => {
      const ballots = input.ballots.filter((b) => b.groupKey === g.key).length;
      // 自评: no roster; each secretary who graded themselves in the report cast the group's one ballot for them.
      if (g.self) return { key: g.key, name: g.name, raters: input.subjects.length, voted: ballots, expected: ballots, ballots };
      const inGroup = raters.filter((r) => r.groupKey === g.key);
      return {
        key: g.key,
        name: g.name,
        raters: inGroup.length,
        voted: inGroup.filter((r) => r.votedAt).length,
        expected: inGroup.reduce((a, r) => a + (r.ballotCount ?? 0), 0),
        ballots: input.ballots.filter((b) => b.groupKey === g.key).length,
      };
    });
    return {
      version: out.version,
      label: FORMULA_LABEL,
      computedAt: new Date().toISOString(),
      results: out.results,
      subjects: input.subjects,
      daily: Object.fromEntries(daily),
      orgNames,
      counts,
    };
  }

  /** The export for `npm run cli -- aggregate`: the same input the round's results were computed from. */
  async exportFile(round: RoundRow): Promise<ExportFile> {
    const { input } = await this.input(round);
    const frozen = round.results as unknown as FrozenResults | null;
    if (frozen) input.subjects = frozen.subjects;
    return { formulaVersion: FORMULA_VERSION, round: { year: round.year, name: round.title }, ...input };
  }
}
