/**
 * Every operation of the OpenAPI document (/api/docs-json of the app under test), fed requests generated with fast-check
 * from its schema, as a logged-in person in a capacity allowed to call it (read from the route's @RequirePermission),
 * with a valid CSRF token. What must hold for every request:
 *  - no 5xx, and no request left without an answer (each has a 10 s limit);
 *  - every 4xx says what is wrong in Chinese, naming no field path or English name (the API's `fields[].field` keeps
 *    the path for programs; `message` is what people read). Text the request itself carried may be quoted back.
 * 200 cases per operation in CI; `npm run test:fuzz` runs 1,000 (FUZZ_RUNS=1000). A failure prints the smallest request
 * fast-check could shrink it to, and the seed to replay it (FUZZ_SEED=<seed> FUZZ_PATH=<operation>).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import { IS_PUBLIC, NO_CAPACITY, PERMISSIONS } from '../../apps/server/src/common/decorators/auth.decorators';
import { hasEveryPermission, Permission } from '../../apps/server/src/auth/permissions';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';
import { bodyFor, encode, FuzzRequest, Operation, pathParam, queryValue, Schema } from './arbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/**
 * The gate in `npm test` replays one fixed seed, so a change is judged on the same 28,000 requests every time (a red
 * run is the change's doing, and its seed is the one printed); `npm run test:fuzz` (FUZZ_RUNS=1000) explores with a new
 * random seed each run, and whatever it finds joins the unit tests with its fix.
 */
const GATE_SEED = 20261130;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? undefined : GATE_SEED;
const ONLY = process.env.FUZZ_PATH;
const TIMEOUT_MS = 10_000;
/** Operations fuzzed side by side (the app is one process on a shared 2-core machine: modest). */
const PARALLEL = 6;

/**
 * Auth plumbing runs on a throwaway anonymous session, not on the capacity's: GET /api/auth/csrf issues a new token
 * (the capacity's header would stop matching), POST /api/auth/logout ends the session (every later request would be a
 * 401 and test nothing), POST /api/auth/login replaces it.
 */
const THROWAWAY = new Set(['GET /api/auth/csrf', 'POST /api/auth/logout', 'POST /api/auth/login']);

/**
 * Query parameters the document does not list (the handler reads them as `unknown` or from a free-form object, which
 * @nestjs/swagger cannot describe); sent too, so their parsing is fuzzed.
 */
const UNDOCUMENTED_QUERY: Record<string, string[]> = {
  'GET /api/directives': ['status'],
  'GET /api/overview': ['year', 'sort', 'dir'],
  'GET /api/overview/orgs/{orgId}': ['year'],
  'GET /api/overview/people/{personId}': ['year'],
  'GET /api/people': ['orgId', 'role', 'q', 'includeInactive'],
  'GET /api/people/export.csv': ['orgId', 'role', 'q', 'includeInactive'],
  'GET /api/spot-checks': ['status'],
  'GET /api/accountability/cases': ['status'],
};

/** Words people know (formats); anything else in Latin letters in a message is a developer's word leaking out. */
const ALLOWED_WORDS = new Set(['PDF', 'CSV', 'OFD', 'Excel', 'xlsx', 'JSON', 'PNG', 'JPEG', 'MB', 'KB', 'UTF', 'pfx']);
const CJK = /[\u4e00-\u9fff]/;
const WORD = /(?<![0-9A-Za-z])[A-Za-z]{2,}(?![0-9A-Za-z])/g;

/** Every string a request of this run carried: data one request stored may come back in another's message. */
const SENT: string[] = [];

/** What must hold for an answer; the reason it does not, or null. */
export function problemWith(status: number, body: unknown, req: FuzzRequest): string | null {
  if (status >= 500) return `状态 ${status}`;
  if (status < 400) return null;
  const message = (body as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string') return `${status} 的回答没有 message：${JSON.stringify(body)?.slice(0, 200)}`;
  if (!CJK.test(message)) return `${status} 的 message 不是中文：${message.slice(0, 300)}`;
  // The import file's column names, which the first line of the file holds as they are (code,name,kind).
  let rest = message.replace(/CSV 缺少列：[A-Za-z、]+/g, ' ');
  for (const e of [...req.echoes].sort((a, b) => b.length - a.length)) if (e.length >= 2) rest = rest.split(e).join(' ');
  // A quoted value (“…” or （…）) that is part of what a request sent is the person's own text, shown back — cut short
  // (a value is quoted up to 20 characters), or stored by an earlier request and named now (a case's title in a 409).
  if ((rest.match(WORD) ?? []).some((w) => !ALLOWED_WORDS.has(w)))
    rest = rest.replace(/“([^”]*)”|（([^）]*)）/g, (all, a?: string, b?: string) => {
      const quoted = a ?? b ?? '';
      return quoted && (req.echoes.some((e) => e.includes(quoted)) || SENT.some((e) => e.includes(quoted))) ? ' ' : all;
    });
  const words = (rest.match(WORD) ?? []).filter((w) => !ALLOWED_WORDS.has(w));
  if (words.length) return `${status} 的 message 含英文或字段名（${words.join(', ')}）：${message.slice(0, 300)}`;
  return null;
}

function stringsIn(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}

/** Long texts cut in the middle, so a failure report stays readable. */
const shorten = (t: string) => t.replace(/(.{40})(.{150,}?)(.{20})(?=["\\]|$)/gs, (_a, h: string, m: string, e: string) => `${h}…（${m.length} 字）…${e}`);

interface Op {
  key: string;
  method: string;
  path: string;
  op: Operation;
  role: Role | 'anonymous';
}

describe(`fuzzing every operation of the OpenAPI document (${RUNS} cases each)`, () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let ops: Op[] = [];
  let components: Record<string, Schema> = {};
  const sessions = new Map<Role, ApiSession>();
  const pools: Record<string, string[]> = {};
  const summary: { key: string; role: string; runs: number; statuses: Record<number, number>; ms: number }[] = [];

  beforeAll(async () => {
    // Tens of thousands of refused requests: the log keeps errors only (a 5xx is logged, and fails the test anyway).
    process.env.LOG_LEVEL = 'error';
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const world = await issueAnnualPlan(app, prisma, { organCode: `模${Date.now() % 100000}发`, drillSeconds: 3600, branchNames: ['中共模糊村支部委员会'] });
    const staff = world.drafter;
    sessions.set(Role.COMMITTEE_STAFF, staff);
    sessions.set(Role.COMMITTEE_SECRETARY, world.secretary);
    sessions.set(Role.BRANCH_SECRETARY, world.branch[0]);
    const sessionPeople = new Set((await prisma.person.findMany({ select: { id: true } })).map((p) => p.id));
    for (const role of [Role.ADMIN, Role.INSPECTOR, Role.EVALUATOR, Role.BRANCH_STAFF]) {
      const orgId = role === Role.BRANCH_STAFF ? world.branchIds[0] : world.committeeId;
      const p = await makePerson(prisma, [{ orgId, role }], `模糊${role}`);
      sessionPeople.add(p.id);
      const s = new ApiSession(app);
      await s.login(p.username, PASSWORD);
      sessions.set(role, s);
    }

    // Things for the ids to name: more branches and people (ones the fuzz may deactivate or edit freely), a spot-check
    // round, a review, a commendation and an accountability case, made through the API as people would.
    const spare = await makeBranch(prisma, world.committeeId, undefined, '中共模糊二村支部委员会');
    const sparePerson = await makePerson(prisma, [{ orgId: spare.id, role: Role.BRANCH_SECRETARY }], '模糊书记');
    const inspectorId = (await prisma.membership.findFirstOrThrow({ where: { orgId: world.committeeId, role: Role.INSPECTOR } })).personId;
    const evaluatorId = (await prisma.membership.findFirstOrThrow({ where: { orgId: world.committeeId, role: Role.EVALUATOR } })).personId;
    const made = await Promise.all([
      staff.post('/api/spot-checks', {
        title: '模糊测试抽查',
        scopeOrgId: world.committeeId,
        mode: 'ANNOUNCED',
        target: 'BRANCH',
        checklist: [{ text: '“三会一课”记录完整', kind: 'PASS_FAIL', evidence: 'NOTE' }],
        rule: { levels: [{ level: 0, min: 1 }] },
        inspectorIds: [inspectorId],
        windowStart: new Date(Date.now() - 60_000).toISOString(),
        windowEnd: new Date(Date.now() + 86_400_000).toISOString(),
      }),
      staff.post('/api/reviews', {
        year: 2026,
        title: '模糊测试述职评议',
        reportWorkdays: 5,
        scoringWorkdays: 5,
        subjects: [{ orgId: spare.id }],
        raters: [{ groupKey: 'g', personId: evaluatorId }],
        groups: [{ key: 'g', name: '评议组', weight: 100, ballotKind: 'GRADE' }],
      }),
      staff.post('/api/commendations', {
        year: 2026,
        title: '模糊测试评选',
        categories: [{ key: 'fs', name: '优秀第一书记', quota: 3, target: 'PERSON', post: '第一书记' }],
        nominationWorkdays: 5,
        localBars: [],
        contact: '乡党建办 0931-1234567',
      }),
      staff.post('/api/accountability/cases', { orgId: spare.id, personId: sparePerson.id, title: '模糊测试问责', evidence: [{ title: '督查记录' }] }),
    ]);
    for (const res of made) expect(res.status).toBe(201);
    const spotRound = made[0].body.id as string;
    await staff.post(`/api/spot-checks/${spotRound}/draw`, { seed: 'fuzz' });

    const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id);
    const keep = (list: string[]) => list.filter((id) => !sessionPeople.has(id));
    pools.orgs = [spare.id, (await makeBranch(prisma, world.committeeId, undefined, '中共模糊三村支部委员会')).id];
    pools.people = keep(await ids(prisma.person.findMany({ select: { id: true } })));
    pools.memberships = await ids(prisma.membership.findMany({ where: { personId: { in: pools.people } }, select: { id: true } }));
    pools.documents = await ids(prisma.document.findMany({ select: { id: true } }));
    pools.directives = [world.directiveId];
    pools.tasks = await ids(prisma.task.findMany({ select: { id: true } }));
    pools.filings = await ids(prisma.filing.findMany({ select: { id: true } }));
    pools.requirements = [world.requirementId];
    pools.files = (await prisma.storedFile.findMany({ select: { sha256: true } })).map((f) => f.sha256);
    pools.spotChecks = [spotRound];
    pools.findings = await ids(prisma.spotCheckFinding.findMany({ select: { id: true } }));
    pools.reviews = [made[1].body.id];
    pools.commendations = [made[2].body.id];
    pools.notices = await ids(prisma.commendationNotice.findMany({ select: { id: true } }));
    pools.objections = await ids(prisma.commendationObjection.findMany({ select: { id: true } }));
    pools.cases = [made[3].body.id];
    // Ids a body may name (signer, branches, inspectors): everything, the sessions' own people and committee included.
    pools.any = [
      world.committeeId,
      ...world.branchIds,
      ...sessionPeople,
      ...Object.values(pools).flat(),
      ...(await ids(prisma.membership.findMany({ select: { id: true } }))),
    ];

    const doc = (await new ApiSession(app).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    components = doc.components.schemas;
    const handlers = handlerMetadata(app);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const key = `${method.toUpperCase()} ${path}`;
        const meta = handlers.get(op.operationId ?? '');
        if (!meta) throw new Error(`${key}：找不到处理它的控制器方法（${op.operationId}）`);
        ops.push({ key, method, path, op, role: THROWAWAY.has(key) ? 'anonymous' : roleFor(meta.permissions, path) });
      }
    }
    if (ONLY) ops = ops.filter((o) => o.key === ONLY || o.path === ONLY);
  }, 300_000);

  afterAll(async () => {
    // One line per operation: how the answers were spread (seen with --verbose or on failure).
    if (process.env.FUZZ_SUMMARY) {
      const lines = summary.sort((a, b) => b.ms - a.ms).map((s) => `${s.key} [${s.role}] ${s.ms} ms ${JSON.stringify(s.statuses)}`);
      console.log(
        `${summary.length} 个接口，共 ${summary.reduce((n, s) => n + Object.values(s.statuses).reduce((a, b) => a + b, 0), 0)} 个请求\n${lines.join('\n')}`,
      );
    }
    await worker?.close();
    await app?.close();
  });

  /** The capacity to act in: one that holds every permission the route asks for, branch ones for branch routes. */
  function roleFor(required: Permission[] | undefined, path: string): Role {
    const prefer: Role[] = /\/(filings|inbox\/\{taskId\}|accountability\/tasks)/.test(path)
      ? [Role.BRANCH_SECRETARY, Role.COMMITTEE_STAFF]
      : [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.ADMIN, Role.INSPECTOR, Role.EVALUATOR, Role.BRANCH_SECRETARY];
    const role = prefer.find((r) => hasEveryPermission(r, required ?? []));
    if (!role) throw new Error(`${path}：没有哪个身份拥有 ${required?.join(', ')}`);
    return role;
  }

  function poolFor(path: string, param: string): string[] {
    if (param === 'membershipId') return pools.memberships;
    if (param === 'findingId') return pools.findings;
    if (param === 'documentId') return pools.documents;
    if (param === 'noticeId') return pools.notices;
    if (param === 'objectionId') return pools.objections;
    if (param === 'personId') return pools.people;
    if (param === 'orgId') return pools.orgs;
    if (param === 'taskId') return pools.tasks;
    const first = /^\/api\/([^/]+)(?:\/([^/{]+))?/.exec(path);
    const byPrefix: Record<string, string[]> = {
      orgs: pools.orgs,
      people: pools.people,
      documents: pools.documents,
      directives: pools.directives,
      filings: pools.filings,
      requirements: pools.requirements,
      files: pools.files,
      'spot-checks': pools.spotChecks,
      reviews: pools.reviews,
      commendations: pools.commendations,
      accountability: pools.cases,
    };
    return byPrefix[first?.[1] ?? ''] ?? pools.any;
  }

  function requestFor(o: Op): fc.Arbitrary<FuzzRequest> {
    const params = o.op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const queryNames = new Map(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
    for (const name of UNDOCUMENTED_QUERY[o.key] ?? []) if (!queryNames.has(name)) queryNames.set(name, undefined);
    const content = o.op.requestBody?.content?.['application/json'];
    const pathArb = fc.tuple(...pathParams.map((p) => pathParam(poolFor(o.path, p.name), p.name)));
    const queryArb = fc.tuple(...[...queryNames].map(([name, schema]) => fc.option(queryValue(schema, name, pools), { freq: 2 })));
    const bodyArb: ReturnType<typeof bodyFor> = o.method === 'get' || o.method === 'delete' ? fc.constant({}) : bodyFor(content?.schema, components, pools);
    return fc.tuple(pathArb, queryArb, bodyArb).map(([pv, qv, b]) => {
      let path = o.path;
      const echoes: string[] = [];
      pathParams.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, pv[i].raw ? pv[i].value : encode(pv[i].value));
        echoes.push(pv[i].value);
      });
      const query = qv.flatMap((q) => q ?? []);
      for (const [k, v] of query) echoes.push(k, v);
      if (b.value !== undefined) stringsIn(b.value, echoes);
      else if (b.body) echoes.push(b.body);
      for (const e of echoes) if (SENT.length < 1_000_000) SENT.push(e);
      return { path, query, body: b.body, contentType: b.contentType, echoes };
    });
  }

  async function send(o: Op, r: FuzzRequest): Promise<{ status: number; body: unknown }> {
    const s = o.role === 'anonymous' ? await new ApiSession(app).start() : sessions.get(o.role)!;
    const qs = r.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    const url = qs ? `${r.path}?${qs}` : r.path;
    let req = s.agent[o.method as 'get'](url).timeout(TIMEOUT_MS);
    if (o.method !== 'get') req = req.set('x-csrf-token', s.csrfToken);
    if (r.contentType) req = req.set('content-type', r.contentType);
    if (r.body !== undefined && o.method !== 'get') req = req.send(r.body);
    try {
      const res = await req;
      return { status: res.status, body: res.body };
    } catch (e) {
      const err = e as { timeout?: number; code?: string; message?: string };
      if (err.timeout) throw new Error(`${TIMEOUT_MS / 1000} 秒内没有回答`);
      throw e;
    }
  }

  it('covers every operation in the document', () => {
    expect(ops.length).toBeGreaterThan(ONLY ? 0 : 100);
  });

  it(`answers every generated request without a 5xx or an English message`, async () => {
    const failures: string[] = [];
    const queue = [...ops];
    const runOne = async (o: Op) => {
      const statuses: Record<number, number> = {};
      const started = Date.now();
      const result = await fc.check(
        fc.asyncProperty(requestFor(o), async (r) => {
          const { status, body } = await send(o, r);
          statuses[status] = (statuses[status] ?? 0) + 1;
          const problem = problemWith(status, body, r);
          if (problem) throw new Error(problem);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      if (result.failed) {
        const [r] = result.counterexample ?? [];
        const error = (result.errorInstance as Error | undefined)?.message ?? String(result.errorInstance);
        failures.push(
          `${o.key} [${o.role}] ${shorten(error)}\n  请求：${shorten(JSON.stringify({ ...r, echoes: undefined }))}\n  重放：FUZZ_SEED=${result.seed} FUZZ_PATH='${o.key}'`,
        );
      }
      summary.push({ key: o.key, role: o.role, runs: RUNS, statuses, ms: Date.now() - started });
    };
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let o = queue.shift(); o; o = queue.shift()) await runOne(o);
      }),
    );
    expect(failures).toEqual([]);
  }, 3_600_000);
});

/** operationId (Controller_method) → what the route's decorators say about who may call it. */
function handlerMetadata(app: NestExpressApplication): Map<string, { permissions?: Permission[]; public: boolean; noCapacity: boolean }> {
  const out = new Map<string, { permissions?: Permission[]; public: boolean; noCapacity: boolean }>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!cls) continue;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        if (name === 'constructor') continue;
        const handler = (cls.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const get = <T>(k: string) => (Reflect.getMetadata(k, handler) ?? Reflect.getMetadata(k, cls)) as T | undefined;
        out.set(`${cls.name}_${name}`, { permissions: get<Permission[]>(PERMISSIONS), public: !!get(IS_PUBLIC), noCapacity: !!get(NO_CAPACITY) });
      }
    }
  }
  return out;
}
