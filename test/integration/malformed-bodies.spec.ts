import fc from 'fast-check';
import { STATUS_CODES } from 'node:http';
import { completeProposal } from '../support/fixtures';
import { HttpResult, Stack } from '../support/stack';

/**
 * docs/spec.md section 7: bad input to POST /proposals is refused with 400 (field details), 413 or 415,
 * never 5xx, and nothing is stored. Mutations of the valid fixture, table-driven per kind of
 * mistake, plus seeded fast-check samples for the open-ended ones (names, texts, cut points).
 */

type Path = (string | number)[];
type Node = Record<string | number, unknown>;
/** What answers a case: validation (400 with details), the JSON parser (400), the media type (415), the size limit (413). */
type Kind = 'validation' | 'syntax' | 'media' | 'size';

interface Case {
  name: string;
  kind: Kind;
  /** An object is sent as JSON, a string as-is. */
  body: unknown;
  headers?: Record<string, string>;
  /** A field some detail must be about (itself, an ancestor or a descendant). */
  field?: string;
}

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { field: string; message: string }[];
}

const PATH = '/api/v1/proposals';
const STATUS: Record<Kind, number> = { validation: 400, syntax: 400, media: 415, size: 413 };
const SEED = 14320;
const SHORT = 301;
const LONG = 20_001;
const OVER_LIMIT = 1_100_000;

// Only identifiers and codes: the content of a section may be partly given, a deficiency rather than a 400 (docs/spec.md section 2.1).
const REQUIRED = new Set([
  'title',
  'consortium',
  'consortium.name',
  'consortium.anchorMember',
  'consortium.members',
  'consortium.members[].name',
  'consortium.members[].country',
  'stack.applications[].sector',
  'federalSupport[].instrumentId',
]);

const fieldOf = (path: Path): string =>
  path.reduce<string>((field, key) => (typeof key === 'number' ? `${field}[${key}]` : field ? `${field}.${key}` : key), '');
const schemaPath = (path: Path): string => fieldOf(path).replace(/\[\d+\]/g, '[]');
const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every node of a value with its path, the root first. */
function nodes(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (typeof value !== 'object' || value === null) return [{ path, value }];
  const children = Object.entries(value).flatMap(([key, child]) => nodes(child, [...path, Array.isArray(value) ? Number(key) : key]));
  return [{ path, value }, ...children];
}

/** A fresh valid body with `change` applied to the node at `path` (through its parent). */
function mutated(path: Path, change: (parent: Node, key: string | number) => void): Node {
  const body: Node = completeProposal();
  const parent = path.slice(0, -1).reduce<Node>((node, key) => node[key] as Node, body);
  change(parent, path[path.length - 1]);
  return body;
}
const withValue = (path: Path, value: unknown): Node =>
  mutated(path, (parent, key) => {
    parent[key] = value;
  });
const without = (path: Path): Node =>
  mutated(path, (parent, key) => {
    delete parent[key];
  });

/** A validation case about the field at `path`. */
const invalid = (name: string, path: Path, value: unknown): Case => ({
  name,
  kind: 'validation',
  body: withValue(path, value),
  field: fieldOf(path),
});

const VALID = nodes(completeProposal());
const OBJECT_PATHS = VALID.filter((n) => typeOf(n.value) === 'object').map((n) => n.path);
const KNOWN_KEYS = new Set([
  ...VALID.flatMap((n) => n.path.filter((key): key is string => typeof key === 'string')),
  'ultimateParentName',
  'ultimateParentCountry',
  'notes',
  'endUserScreening',
]);
const SAMPLES: Record<string, unknown> = { string: 'x', number: 1, boolean: true, null: null, array: [], object: {} };

const member0 = ['consortium', 'members', 0];
const hardware = ['stack', 'hardware'];
const application0 = ['stack', 'applications', 0];
const support0 = ['federalSupport', 0];

function requiredFieldsMissing(): Case[] {
  return VALID.filter((n) => n.path.length && REQUIRED.has(schemaPath(n.path))).map((n) => ({
    name: `without ${fieldOf(n.path)}`,
    kind: 'validation',
    body: without(n.path),
    field: fieldOf(n.path),
  }));
}

/** Every node swapped for a value of each other JSON type (null only where the field is required). */
function wrongTypes(): Case[] {
  return VALID.filter((n) => n.path.length).flatMap(({ path, value }) =>
    Object.entries(SAMPLES)
      .filter(([type]) => type !== typeOf(value))
      .filter(([type]) => type !== 'null' || typeof path[path.length - 1] === 'number' || REQUIRED.has(schemaPath(path)))
      .map(([type, sample]) => invalid(`${fieldOf(path)} as ${type}`, path, sample)),
  );
}

function unknownFields(): Case[] {
  return OBJECT_PATHS.map((path) => {
    const field = path.length ? `${fieldOf(path)}.unexpected` : 'unexpected';
    return {
      name: `unknown ${field}`,
      kind: 'validation',
      body: mutated([...path, 'unexpected'], (parent, key) => {
        parent[key] = true;
      }),
      field,
    };
  });
}

function oversizedStrings(): Case[] {
  const short = [
    'title',
    'consortium.name',
    'consortium.anchorMember',
    'businessModel.builder',
    'businessModel.owner',
    'businessModel.operator',
  ];
  const long = [
    'summary',
    'stack.dataPipelines.description',
    'stack.models.description',
    'stack.security.description',
    'businessModel.description',
    'compliance.endUserScreening',
  ];
  const paths: [Path, number][] = [
    ...short.map((f): [Path, number] => [f.split('.'), SHORT]),
    ...long.map((f): [Path, number] => [f.split('.'), LONG]),
    [[...member0, 'name'], SHORT],
    [[...member0, 'ultimateParentName'], SHORT],
    [[...hardware, 'description'], LONG],
    [[...hardware, 'usManufacturingStatement'], LONG],
    [[...application0, 'description'], LONG],
    [[...support0, 'notes'], LONG],
  ];
  return paths.map(([path, length]) => invalid(`${fieldOf(path)} of ${length} characters`, path, 'x'.repeat(length)));
}

function badCodesAndValues(): Case[] {
  const table: [Path, unknown[]][] = [
    [
      [...member0, 'country'],
      ['ZZ', 'AA', 'USA', 'U', '12', '', ' US', 'U S'],
    ],
    [
      [...member0, 'ultimateParentCountry'],
      ['ZZ', 'XX', 'Kenya'],
    ],
    [['targetMarkets'], [['ZZ'], ['KE', 'QQ'], [''], ['KEN']]],
    [
      [...support0, 'instrumentId'],
      ['nope', '', 'EXIM_LOAN_GUARANTEE', 'exim_loan_guarantee ', 'exim'],
    ],
    [
      [...member0, 'layers'],
      [['GPU'], ['hardware'], ['HARDWARE', 'CHIPS']],
    ],
    [
      [...application0, 'sector'],
      ['FINANCE', 'healthcare', ''],
    ],
    [
      [...member0, 'naics'],
      ['abc', '1', '1234567', '33411a'],
    ],
    [
      [...hardware, 'eccns'],
      [['XYZ'], ['3A09'], ['4A090', 'bad']],
    ],
    [
      [...support0, 'amountUsd'],
      [-1, -0.01],
    ],
    [
      [...member0, 'employees'],
      [-1, 1.5, 10_000_001],
    ],
    [[...member0, 'averageAnnualReceiptsUsd'], [-1]],
    [
      [...hardware, 'usContentPct'],
      [-1, 100.5],
    ],
    // Blank required identifiers are malformed (docs/spec.md section 7).
    [['title'], ['', ' ', '\t\n']],
    [
      ['consortium', 'name'],
      ['', ' '],
    ],
    [
      ['consortium', 'anchorMember'],
      ['', ' '],
    ],
    [
      [...member0, 'name'],
      ['', '  '],
    ],
  ];
  return table.flatMap(([path, values]) => values.map((value) => invalid(`${fieldOf(path)} = ${JSON.stringify(value)}`, path, value)));
}

function tooManyOrTooFewItems(): Case[] {
  const valid = completeProposal();
  const repeat = <T>(item: T, n: number): T[] => Array.from({ length: n }, () => item);
  const table: [Path, unknown[]][] = [
    [['consortium', 'members'], repeat(valid.consortium.members[0], 51)],
    [['consortium', 'members'], []],
    [['targetMarkets'], repeat('KE', 61)],
    [['federalSupport'], repeat(valid.federalSupport[0], 31)],
    [['stack', 'applications'], repeat(valid.stack.applications[0], 51)],
    [[...hardware, 'eccns'], repeat('4A090', 51)],
    [
      [...member0, 'layers'],
      ['HARDWARE', 'DATA_PIPELINES', 'MODELS', 'SECURITY', 'APPLICATIONS', 'HARDWARE'],
    ],
  ];
  return table.map(([path, items]) => invalid(`${fieldOf(path)} with ${items.length} items`, path, items));
}

function anchorNotAMember(): Case[] {
  return ['Nobody Inc.', 'acme compute inc.', 'Acme Compute Inc. ', 'Blue River Data'].map((name) =>
    invalid(`anchorMember ${name}`, ['consortium', 'anchorMember'], name),
  );
}

/** JSON that parses but that PostgreSQL cannot store or that targets prototypes. */
function unsafeJson(): Case[] {
  const text = JSON.stringify(completeProposal());
  const withKey = (at: string, key: string): string => text.replace(`"${at}":{`, `"${at}":{${JSON.stringify(key)}:{"polluted":true},`);
  return [
    invalid('NUL in title', ['title'], 'Sovereign\u0000AI'),
    invalid('NUL in a member name', [...member0, 'name'], '\u0000'),
    invalid('unpaired high surrogate in summary', ['summary'], 'x\ud800y'),
    invalid('unpaired low surrogate in a description', [...hardware, 'description'], '\udc00'),
    { name: 'NUL in a key', kind: 'validation', body: withKey('stack', 'a\u0000b'), field: 'stack' },
    ...['__proto__', 'constructor', 'prototype'].flatMap((key): Case[] => [
      { name: `${key} at the root`, kind: 'validation', body: `{${JSON.stringify(key)}:{"polluted":true},${text.slice(1)}`, field: key },
      { name: `${key} in consortium`, kind: 'validation', body: withKey('consortium', key), field: `consortium.${key}` },
    ]),
    {
      name: 'amountUsd 1e400 (Infinity)',
      kind: 'validation',
      body: text.replace('"amountUsd":50000000', '"amountUsd":1e400'),
      field: 'federalSupport[0].amountUsd',
    },
  ];
}

/** `levels` of arrays or objects in place of the node at `path`, as text (a deep value would overflow JSON.stringify). */
function deeplyNested(path: Path, levels: number, shape: 'array' | 'object'): Case {
  const [open, close] = shape === 'array' ? ['[', ']'] : ['{"a":', '}'];
  const marker = 'DEEPLY_NESTED_MARKER';
  const body = JSON.stringify(withValue(path, marker)).replace(`"${marker}"`, `${open.repeat(levels)}1${close.repeat(levels)}`);
  return { name: `${levels} levels of ${shape}s at ${fieldOf(path) || 'the root'}`, kind: 'validation', body, field: fieldOf(path) };
}

function deepNesting(): Case[] {
  const rootArray = '['.repeat(500_000) + ']'.repeat(500_000);
  return [
    deeplyNested(['title'], 10_000, 'array'),
    deeplyNested(['title'], 10_000, 'object'),
    deeplyNested(['consortium', 'members'], 10_000, 'array'),
    deeplyNested([...member0, 'unexpected'], 10_000, 'object'),
    deeplyNested(['stack', 'unexpected'], 33, 'object'),
    deeplyNested(['compliance'], 100, 'object'),
    { name: '500,000 levels of arrays, just under 1 MB', kind: 'validation', body: rootArray, field: '[0]' },
  ];
}

function notJson(): Case[] {
  const text = JSON.stringify(completeProposal());
  const syntax = [
    'hello',
    '{',
    '}',
    '{"title":}',
    "{'title':'x'}",
    '{"title":"x",}',
    '{"title":"x"}}',
    'undefined',
    'NaN',
    '<proposal/>',
    'null',
    '"a string"',
    '123',
    'true',
    '   ',
    '{"title":"x" "summary":"y"}',
    '\u0000',
  ];
  return [
    ...syntax.map((body): Case => ({ name: `not JSON: ${JSON.stringify(body)}`, kind: 'syntax', body })),
    ...[1, 10, 100, 500, text.length - 1].map((cut): Case => ({ name: `truncated at ${cut}`, kind: 'syntax', body: text.slice(0, cut) })),
    { name: 'empty body', kind: 'validation', body: '', field: 'title' },
    { name: 'an empty object', kind: 'validation', body: '{}', field: 'consortium' },
    { name: 'an array at the root', kind: 'validation', body: JSON.stringify([completeProposal()]), field: 'title' },
  ];
}

function wrongContentTypes(): Case[] {
  const json = JSON.stringify(completeProposal());
  const multipart = '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nSovereign AI\r\n--x--\r\n';
  const table: [string, string][] = [
    ['text/plain', json],
    ['text/plain;charset=UTF-8', 'title=x'],
    ['application/x-www-form-urlencoded', json],
    ['application/x-www-form-urlencoded', 'title=x&consortium[name]=y'],
    ['multipart/form-data; boundary=x', multipart],
    ['application/xml', '<proposal><title>x</title></proposal>'],
    ['text/xml', '<proposal/>'],
    ['text/html', '<p>x</p>'],
    ['application/octet-stream', json],
    ['text/json', json],
    ['application/jsonx', json],
    ['json', json],
    ['application/json; charset=iso-8859-1', json],
    ['application/json; charset=utf-16', json],
    ['', json],
    ['text/plain', 'x'.repeat(OVER_LIMIT)],
  ];
  return table.map(([type, body]): Case => ({
    name: `content-type ${JSON.stringify(type)}`,
    kind: 'media',
    body,
    headers: { 'content-type': type },
    field: 'content-type',
  }));
}

function oversizedBodies(): Case[] {
  const valid = completeProposal();
  const json = JSON.stringify(valid);
  return [
    { name: 'summary over 1 MB', kind: 'size', body: completeProposal({ summary: 'x'.repeat(OVER_LIMIT) }) },
    {
      name: '20,000 members',
      kind: 'size',
      body: completeProposal({ consortium: { ...valid.consortium, members: Array(20_000).fill(valid.consortium.members[0]) } }),
    },
    { name: 'valid JSON padded with 2 MB of spaces', kind: 'size', body: json.replace('{', `{${' '.repeat(2 * OVER_LIMIT)}`) },
    { name: 'over 1 MB of non-JSON', kind: 'size', body: '#'.repeat(OVER_LIMIT) },
    {
      name: 'over 1 MB as application/json; charset=utf-8',
      kind: 'size',
      body: 'x'.repeat(OVER_LIMIT),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
  ];
}

/** Seeded samples: unknown names anywhere, any text, any cut point, any depth. */
function propertyBased(): Case[] {
  const text = JSON.stringify(completeProposal());
  // Digit-only names are written `[n]` in detail paths, as array indexes are; assigning `__proto__`
  // would set a prototype, not a field (unsafeJson sends it as text).
  const unknownName = fc
    .string({ minLength: 1, maxLength: 16 })
    .filter((key) => !KNOWN_KEYS.has(key) && !/^\d+$/.test(key) && key !== '__proto__');
  const unknowns = fc
    .sample(fc.record({ at: fc.constantFrom(...OBJECT_PATHS), key: unknownName, value: fc.jsonValue({ maxDepth: 3 }) }), {
      seed: SEED,
      numRuns: 40,
    })
    .map(({ at, key, value }): Case => {
      const field = at.length ? `${fieldOf(at)}.${key}` : key;
      return { name: `random unknown ${JSON.stringify(field)}`, kind: 'validation', body: withValue([...at, key], value), field };
    });
  const texts = fc
    .sample(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), { seed: SEED, numRuns: 25 })
    .map((body): Case => ({ name: `random text ${JSON.stringify(body)}`, kind: parsesToObject(body) ? 'validation' : 'syntax', body }));
  const cuts = fc
    .sample(fc.integer({ min: 1, max: text.length - 1 }), { seed: SEED, numRuns: 15 })
    .map((cut): Case => ({ name: `random truncation at ${cut}`, kind: 'syntax', body: text.slice(0, cut) }));
  const deep = fc
    .sample(
      fc.record({
        at: fc.constantFrom(...VALID.map((n) => n.path).filter((p) => p.length)),
        levels: fc.integer({ min: 33, max: 5_000 }),
        shape: fc.constantFrom('array' as const, 'object' as const),
      }),
      { seed: SEED, numRuns: 15 },
    )
    .map(({ at, levels, shape }) => deeplyNested(at, levels, shape));
  return [...unknowns, ...texts, ...cuts, ...deep];
}

/** An empty body is no body (validation); an object or array parses and fails validation; the rest fails to parse. */
function parsesToObject(text: string): boolean {
  if (text === '') return true;
  try {
    return typeof JSON.parse(text) === 'object' && /^[\s]*[[{]/.test(text);
  } catch {
    return false;
  }
}

const FAMILIES: [string, () => Case[]][] = [
  ['required fields missing', requiredFieldsMissing],
  ['wrong types', wrongTypes],
  ['unknown fields at every level', unknownFields],
  ['oversized strings', oversizedStrings],
  ['bad codes, enums, patterns, amounts and empty strings', badCodesAndValues],
  ['too many or too few array items', tooManyOrTooFewItems],
  ['anchorMember naming no member', anchorNotAMember],
  ['unstorable text and prototype keys', unsafeJson],
  ['deep nesting', deepNesting],
  ['non-JSON, truncated and empty bodies', notJson],
  ['wrong content types', wrongContentTypes],
  ['oversized bodies', oversizedBodies],
  ['property-based samples', propertyBased],
];

const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
const related = (detail: string, field: string): boolean => within(detail, field) || within(field, detail);

/** Why a response breaks the contract, or undefined. */
function violation(c: Case, res: HttpResult<ErrorBody>): string | undefined {
  const expected = STATUS[c.kind];
  const { body } = res;
  if (res.status !== expected) return `status ${res.status} (expected ${expected}): ${JSON.stringify(body).slice(0, 300)}`;
  if (
    typeof body !== 'object' ||
    !body ||
    body.statusCode !== res.status ||
    body.error !== STATUS_CODES[res.status] ||
    typeof body.message !== 'string' ||
    !Array.isArray(body.details)
  ) {
    return `not the docs/spec.md error shape: ${JSON.stringify(body).slice(0, 300)}`;
  }
  if (!body.details.every((d) => typeof d.field === 'string' && d.field && typeof d.message === 'string' && d.message))
    return 'a detail without field or message';
  if ((c.kind === 'validation' || c.kind === 'media') && !body.details.length) return 'no details';
  if (c.field !== undefined && !body.details.some((d) => related(d.field, c.field as string))) {
    return `no detail about ${c.field}: ${JSON.stringify(body.details).slice(0, 300)}`;
  }
  return undefined;
}

/** Runs `task` over `items`, at most `limit` at a time, keeping their order. */
async function boundedMap<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i]);
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

describe('malformed POST /proposals bodies', () => {
  let stack: Stack;
  let storedBefore: number;
  const sent: Case[] = [];
  const proposalCount = async (): Promise<number> => (await stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM proposal'))[0].n;

  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '100000' });
    await stack.token('applicant.acme');
    storedBefore = await proposalCount();
  });
  afterAll(() => stack?.stop());

  it.each(FAMILIES)('%s: 400, 413 or 415 in the docs/spec.md shape, never 5xx', async (_family, build) => {
    const cases = build();
    sent.push(...cases);
    const violations = await boundedMap(cases, 8, async (c) => {
      const res = await stack.as<ErrorBody>('applicant.acme', 'POST', PATH, c.body, c.headers);
      const problem = violation(c, res);
      return problem && `${c.name}: ${problem}`;
    });
    expect(violations.filter(Boolean)).toEqual([]);
  });

  it('sent at least 200 malformed bodies and stored none of them', async () => {
    expect(sent.length).toBeGreaterThanOrEqual(200);
    expect(await proposalCount()).toBe(storedBefore);
  });
});
