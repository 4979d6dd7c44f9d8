import fc from 'fast-check';
import { aggregate, Ballot, DEFAULT_SETTINGS, FormulaInput, GRADE_ORDER, RaterGroupConfig, RubricItem, Subject, SubjectResult } from './formula';

/** Positive weights summing to 100, cut at distinct points (some decimal, to catch binary rounding). */
const weights = (maxCount: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 999 }), { maxLength: maxCount - 1 })
    .map((cuts) => [0, ...cuts.sort((a, b) => a - b), 1000].slice(1).map((c, i, all) => (c - (i === 0 ? 0 : all[i - 1])) / 10));

const rubric: fc.Arbitrary<RubricItem[]> = fc
  .tuple(weights(4), fc.array(fc.constantFrom(3, 5, 10, 2.5, 20), { minLength: 4, maxLength: 4 }))
  .map(([ws, maxes]) => ws.map((weight, i) => ({ key: `item${i}`, name: `细则${i + 1}`, weight, max: maxes[i] })));

const groupConfig: fc.Arbitrary<RaterGroupConfig[]> = fc
  .tuple(weights(4), fc.array(fc.constantFrom('ITEMS' as const, 'GRADE' as const), { minLength: 4, maxLength: 4 }))
  .map(([ws, kinds]) => ws.map((weight, i) => ({ key: `group${i}`, name: `评分组${i + 1}`, weight, ballotKind: kinds[i] })));

const subjects: fc.Arbitrary<Subject[]> = fc
  .array(
    fc.record({
      daily: fc.option(fc.integer({ min: 0, max: 10000 }).map((h) => h / 100)),
      bar: fc.boolean(),
      name: fc.constantFrom('张三', '李四', '王五', '赵六', '张三'),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((list) => list.map((s, i) => ({ subjectId: `s${i}`, name: s.name, orgName: `支部${i}`, daily: s.daily, topGradeBar: s.bar ? '受到诫勉' : null })));

/** A valid ballot for the given subject and group: item scores in halves of a point, or a grade. */
function ballot(items: RubricItem[], group: RaterGroupConfig, subjectId: string): fc.Arbitrary<Ballot> {
  if (group.ballotKind === 'GRADE') return fc.constantFrom(...GRADE_ORDER).map((grade) => ({ groupKey: group.key, subjectId, grade }));
  return fc
    .tuple(...items.map((item) => fc.integer({ min: 0, max: item.max * 2 }).map((half) => half / 2)))
    .map((scores) => ({ groupKey: group.key, subjectId, items: Object.fromEntries(items.map((item, i) => [item.key, scores[i]])) }));
}

const formulaInput: fc.Arbitrary<FormulaInput> = fc
  .record({
    items: rubric,
    groups: groupConfig,
    subjects,
    trimAtLeast: fc.integer({ min: 3, max: 6 }),
    minBallotsToShow: fc.integer({ min: 1, max: 4 }),
    dailyWeight: fc.constantFrom(0, 30, 33.3, 50, 100),
  })
  .chain(({ items, groups, subjects, ...settings }) => {
    const one = fc
      .tuple(fc.integer({ min: 0, max: subjects.length - 1 }), fc.integer({ min: 0, max: groups.length - 1 }), fc.integer({ min: 0, max: 9 }))
      .chain(([s, g, roll]) =>
        roll === 0
          ? fc.constant<Ballot>({ groupKey: groups[g].key, subjectId: subjects[s].subjectId, abstain: true })
          : ballot(items, groups[g], subjects[s].subjectId),
      );
    return fc.array(one, { maxLength: 60 }).map((ballots) => ({ settings: { ...DEFAULT_SETTINGS, ...settings }, items, groups, subjects, ballots }));
  });

/** The same input with every group key renamed (and the ballots with it), the groups and the subjects in another order. */
function renamed(input: FormulaInput, order: number[]): { input: FormulaInput; back: (r: SubjectResult[]) => SubjectResult[] } {
  const newKey = (key: string) => `renamed-${key}`;
  const oldKey = (key: string) => key.replace(/^renamed-/, '');
  const rename = (key: string) => (input.groups.some((g) => g.key === key) ? newKey(key) : key);
  const groups = order.filter((i) => i < input.groups.length).map((i) => ({ ...input.groups[i], key: newKey(input.groups[i].key) }));
  const back = (results: SubjectResult[]) =>
    results.map((r) => ({
      ...r,
      groups: [...r.groups].map((g) => ({ ...g, key: oldKey(g.key) })).sort((a, b) => a.key.localeCompare(b.key)),
      missingGroups: r.missingGroups.map(oldKey).sort(),
    }));
  return {
    input: { ...input, groups, subjects: [...input.subjects].reverse(), ballots: input.ballots.map((b) => ({ ...b, groupKey: rename(b.groupKey) })) },
    back,
  };
}

const inConfigOrder = (results: SubjectResult[]) =>
  results.map((r) => ({ ...r, groups: [...r.groups].sort((a, b) => a.key.localeCompare(b.key)), missingGroups: [...r.missingGroups].sort() }));

describe('述职评议计分公式 第 1 版：性质', () => {
  it('gives the same results whatever order the ballots come in', () => {
    fc.assert(
      fc.property(
        formulaInput.chain((input) =>
          fc.tuple(fc.constant(input), fc.shuffledSubarray(input.ballots, { minLength: input.ballots.length, maxLength: input.ballots.length })),
        ),
        ([input, shuffled]) => {
          expect(aggregate({ ...input, ballots: shuffled })).toEqual(aggregate(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same results when the groups are renamed and reordered and the subjects reordered', () => {
    fc.assert(
      fc.property(formulaInput, fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (input, order) => {
        const other = renamed(input, order);
        expect(other.back(aggregate(other.input).results)).toEqual(inConfigOrder(aggregate(input).results));
      }),
      { numRuns: 200 },
    );
  });

  it('changes nothing but the abstention count when an abstention is added', () => {
    fc.assert(
      fc.property(formulaInput, fc.nat(), fc.nat(), fc.nat(), (input, s, g, at) => {
        const extra: Ballot = {
          subjectId: input.subjects[s % input.subjects.length].subjectId,
          groupKey: input.groups[g % input.groups.length].key,
          abstain: true,
        };
        const ballots = [...input.ballots];
        ballots.splice(at % (ballots.length + 1), 0, extra);
        const after = aggregate({ ...input, ballots }).results;
        const before = aggregate(input).results;
        const target = before.find((r) => r.subjectId === extra.subjectId)!.groups.find((x) => x.key === extra.groupKey)!;
        target.abstentions += 1;
        expect(after).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every total, ballot part and shown mean within 0..100, and a total only with valid ballots', () => {
    fc.assert(
      fc.property(formulaInput, (input) => {
        for (const r of aggregate(input).results) {
          const valid = r.groups.reduce((n, g) => n + g.valid, 0);
          expect(r.total === null).toBe(valid === 0);
          expect(r.grade === null).toBe(valid === 0);
          for (const v of [r.total, r.ballotPart, ...r.groups.map((g) => g.mean)]) if (v !== null) expect(v >= 0 && v <= 100).toBe(true);
          if (r.total !== null) expect(Math.round(r.total * 100) / 100).toBe(r.total);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers anyone’s total when one grade ballot is raised to 好', () => {
    fc.assert(
      fc.property(formulaInput, fc.nat(), (input, pick) => {
        const graded = input.ballots.map((b, i) => i).filter((i) => input.ballots[i].grade !== undefined);
        if (graded.length === 0) return;
        const i = graded[pick % graded.length];
        const ballots = input.ballots.map((b, j) => (j === i ? { ...b, grade: 'GOOD' as const } : b));
        const before = new Map(aggregate(input).results.map((r) => [r.subjectId, r.total]));
        for (const r of aggregate({ ...input, ballots }).results) {
          if (r.subjectId === input.ballots[i].subjectId) expect(r.total!).toBeGreaterThanOrEqual(before.get(r.subjectId)!);
          else expect(r.total).toBe(before.get(r.subjectId));
        }
      }),
      { numRuns: 200 },
    );
  });
});
