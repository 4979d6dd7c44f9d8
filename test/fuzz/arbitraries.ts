/**
 * fast-check arbitraries for requests built from an OpenAPI operation: path parameters, query parameters and JSON
 * bodies, each mostly plausible (real ids from the test world, enum values, dates) and often hostile (wrong types,
 * missing or extra properties, NUL, lone surrogates, emoji, overlong text, SQL and HTML, deep nesting, broken JSON).
 */
import fc from 'fast-check';

export type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
};

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** A generated request: the path with its parameters filled in, query pairs, and a raw body (JSON or deliberately not). */
export interface FuzzRequest {
  path: string;
  query: [string, string][];
  body?: string;
  contentType?: string;
  /** Every string the request carries (decoded), so a message that quotes the input back is not taken for a leaked name. */
  echoes: string[];
}

/** Text a person might type, and text an attacker would. */
export const HOSTILE = [
  '',
  ' ',
  'FOO',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '1e308',
  '99999999999999999999999',
  '2030-W01',
  '2030-W01-1',
  '2030-015',
  '2030-02-30',
  '2030-02-30T10:00:00Z',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  "' OR 1=1--",
  '\'; DROP TABLE "Person"; --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</title><svg onload=alert(1)>',
  '{{constructor.constructor "alert(1)"}}',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '👩‍👩‍👧‍👦🎉',
  '\u202etxt.exe',
  '__proto__',
  'constructor',
  'toString',
  '中文文本',
  '关于开展“两学一做”学习教育的通知',
];

const hostile = fc.constantFrom(...HOSTILE);
const longText = fc.constantFrom(1000, 5000, 70_000).chain((n) => fc.constantFrom('长'.repeat(n), 'a'.repeat(n), '<b>'.repeat(Math.ceil(n / 3))));

/** Any text: hostile, random unicode (lone surrogates included), or overlong. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostile },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: longText },
);

const ISO_DATES = ['2030-01-15', '2030-01-15T09:00:00+08:00', '2026-12-31T16:00:00.000Z', '2017-04-21', '1900-01-01', '2100-12-31'];

/** The ids the world holds, by the kind of thing a path segment or field names. */
export type Pools = Record<string, string[]>;

function poolFor(pools: Pools, name: string): string[] {
  return pools[name] ?? pools.any ?? [];
}

/** Strings for a field by its name and format: ids from the pool for *Id fields, dates for date-ish ones. */
function stringFor(name: string, schema: Schema, pools: Pools): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [{ weight: 3, arbitrary: anyText }];
  if (schema.enum?.length) options.push({ weight: 6, arbitrary: fc.constantFrom(...schema.enum.map(String)) });
  const idLike = /Ids?$|^id$|^reviewers$|^countersigners$|^sha256$/.test(name) || schema.format === 'uuid';
  if (idLike) {
    const pool = poolFor(pools, 'any');
    if (pool.length) options.push({ weight: 6, arbitrary: fc.constantFrom(...pool) });
    options.push({ weight: 2, arbitrary: fc.uuid() });
  }
  if (/date|Date|At$|day|until|from|to|window|Deadline|deadline|On$/.test(name) || schema.format === 'date-time' || schema.format === 'date') {
    options.push({ weight: 6, arbitrary: fc.constantFrom(...ISO_DATES) });
    options.push({ weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) });
  }
  return fc.oneof(...options);
}

const numbers = fc.oneof(
  fc.integer({ min: -3, max: 30 }),
  fc.constantFrom(0, -1, 1.5, 1e21, -1e21, Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 53 + 1, 1e308),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A value of the wrong kind for wherever it lands. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  numbers,
  anyText,
  fc.constant([]),
  fc.constant({}),
  fc.array(anyText, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', '$where', 'x'), anyText, { maxKeys: 3 }),
);

function resolve(schema: Schema | undefined, components: Record<string, Schema>, seen = 0): Schema {
  if (!schema || seen > 20) return {};
  if (schema.$ref) return resolve(components[schema.$ref.replace('#/components/schemas/', '')], components, seen + 1);
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => resolve(s, components, seen + 1));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  if (schema.oneOf?.length || schema.anyOf?.length) return resolve((schema.oneOf ?? schema.anyOf)![0], components, seen + 1);
  return schema;
}

/** Values for a schema: mostly of the right shape with bad leaves, sometimes of the wrong type altogether. */
export function valueFor(schema: Schema | undefined, components: Record<string, Schema>, pools: Pools, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const type = s.type ?? (s.properties ? 'object' : undefined);
  let right: fc.Arbitrary<unknown>;
  switch (type) {
    case 'string':
      right = stringFor(name, s, pools);
      break;
    case 'integer':
    case 'number':
      right = fc.oneof({ weight: 4, arbitrary: numbers }, { weight: 1, arbitrary: numbers.map(String) });
      break;
    case 'boolean':
      right = fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 'false', 0, 1) });
      break;
    case 'array':
      right =
        depth > 4
          ? fc.constant([])
          : fc.oneof(
              { weight: 5, arbitrary: fc.array(valueFor(s.items, components, pools, name, depth + 1), { maxLength: 4 }) },
              { weight: 1, arbitrary: fc.constantFrom(200, 5000).map((n) => Array.from({ length: n }, (_, i) => (s.items ? `x${i}` : i))) },
            );
      break;
    case 'object':
      right = depth > 4 ? fc.constant({}) : objectFor(s, components, pools, depth);
      break;
    default:
      // Free-form (公文模型, 表单取值): any JSON.
      right = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(anyText, anyText, { maxKeys: 4 }));
  }
  return fc.oneof({ weight: 8, arbitrary: right }, { weight: 1, arbitrary: wrongType });
}

const MISSING = Symbol('missing');

function objectFor(s: Schema, components: Record<string, Schema>, pools: Pools, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(s.required ?? []);
  // Required properties are mostly present (so validation reaches the other fields), optional ones often absent.
  const fields = Object.fromEntries(
    Object.entries(s.properties ?? {}).map(([key, sub]) => {
      const value = valueFor(sub, components, pools, key, depth + 1);
      const missing = fc.constant(MISSING);
      return [key, required.has(key) ? fc.oneof({ weight: 9, arbitrary: value }, { weight: 1, arbitrary: missing }) : fc.oneof(value, missing)];
    }),
  );
  const extra = fc.option(
    fc.dictionary(fc.constantFrom('extra', 'isAdmin', '__proto__', 'constructor', '中文键', '\u0000k'), anyText, { minKeys: 1, maxKeys: 2 }),
    {
      freq: 6,
    },
  );
  return fc.tuple(fc.record(fields), extra).map(([r, x]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of [...Object.entries(r), ...Object.entries(x ?? {})]) {
      // defineProperty: a key named __proto__ stays an own property, as JSON.parse on the server makes it.
      if (v !== MISSING) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** A JSON text nested `depth` levels deep (arrays or objects), built as text so nothing here recurses. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const brokenJson = fc.constantFrom('{', '{"a":', '[1,2', 'null', '"text"', '123', 'undefined', '{"a":1}}', '\u0000', '');

/** The body of a request: the schema's JSON most of the time, else nested, broken or not JSON at all. */
export function bodyFor(
  schema: Schema | undefined,
  components: Record<string, Schema>,
  pools: Pools,
): fc.Arbitrary<{ body?: string; contentType?: string; value?: unknown }> {
  const asJson = valueFor(schema, components, pools).map((value) => ({ body: JSON.stringify(value ?? null), contentType: 'application/json', value }));
  return fc.oneof(
    { weight: 16, arbitrary: asJson },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(50, 5000, 20_000), fc.constantFrom('array' as const, 'object' as const))
        .map(([d, k]) => ({ body: deepJson(d, k), contentType: 'application/json' })),
    },
    { weight: 1, arbitrary: brokenJson.map((body) => ({ body, contentType: 'application/json' })) },
    { weight: 1, arbitrary: anyText.map((body) => ({ body, contentType: 'text/plain' })) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

/** A path parameter: a real id of the right kind most of the time, else anything. */
export function pathParam(pool: string[], name: string): fc.Arbitrary<{ value: string; raw?: boolean }> {
  const plausible: fc.Arbitrary<string>[] = [];
  if (pool.length) plausible.push(fc.constantFrom(...pool));
  if (name === 'day') plausible.push(fc.constantFrom('2030-01-01', '2026-10-01', '2030-W01', '2030-015', '2030-02-30', '20300101'));
  if (name === 'sha256') plausible.push(fc.stringMatching(/^[0-9a-f]{64}$/));
  plausible.push(fc.uuid());
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...plausible).map((value) => ({ value })) },
    { weight: 3, arbitrary: anyText.filter((t) => t.length > 0).map((value) => ({ value })) },
    // Sent as they are, not encoded: broken percent-escapes and dots.
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AE', '..', '.', '%2e%2e', '%00', '%ud800').map((value) => ({ value, raw: true })) },
  );
}

/** A query value: an enum value, a date, a number, or anything; sometimes repeated or bracketed (an array or object). */
export function queryValue(schema: Schema | undefined, name: string, pools: Pools): fc.Arbitrary<[string, string][]> {
  const single = fc.oneof(
    { weight: 3, arbitrary: stringFor(name, schema ?? {}, pools) },
    { weight: 2, arbitrary: fc.constantFrom(...(schema?.enum?.map(String) ?? ['DRAFT', 'ISSUED', 'OPEN', 'ALL']), 'FOO', 'true', 'false') },
    { weight: 1, arbitrary: numbers.map(String) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: single.map((v) => [[name, v]] as [string, string][]) },
    {
      weight: 1,
      arbitrary: fc.tuple(single, single).map(
        ([a, b]) =>
          [
            [name, a],
            [name, b],
          ] as [string, string][],
      ),
    },
    { weight: 1, arbitrary: single.map((v) => [[`${name}[x]`, v]] as [string, string][]) },
  );
}

/** URL-encodes text that may hold lone surrogates (encodeURIComponent would throw on them). */
export function encode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}
