import type { CatalogRoute } from '../../src/route-catalog.ts';
import { BROKEN_BODIES, JSON_VALUES, pick, seededRandom, URL_VALUES } from './hostile-values.ts';
import { rawRequest, single } from './raw-request.ts';
import type { HostileCase } from './raw-request.ts';
import { maybeValid } from './schema-subset.ts';
import type { Schema } from './schema-subset.ts';

/** Ids of rows that exist (so a case reaches real data if validation let it through) and one that does not. */
export interface FuzzIds {
  readonly existing: Readonly<Record<string, number>>;
  readonly missing: number;
}

/**
 * Cases derived from each route's own schema: hostile values for every path parameter, query
 * parameter, body field and header the route declares, broken bodies, and seeded random
 * mixtures. Each case is provably invalid (see maybeValid) or names only missing rows, so
 * none may change data.
 */
export function routeCases(routes: readonly CatalogRoute[], ids: FuzzIds, seed: number): HostileCase[] {
  const random = seededRandom(seed);
  const cases: HostileCase[] = [];
  const idOf = (name: string): number => ids.existing[name] ?? 1;
  const missingOf = (): number => ids.missing;
  for (const route of routes) {
    const { method, url } = route;
    const schema = (route.schema ?? {}) as Record<string, Schema | undefined>;
    const params = [...url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
    const bodySchema = schema.body;
    const body = bodySchema ? baseBody(bodySchema, idOf) : undefined;
    const send = (name: string, target: string, payload = body === undefined ? undefined : JSON.stringify(body), headers: [string, string][] = []) =>
      cases.push(single(`${method} ${url} ${name}`, method, rawRequest(method, target, headers, payload)));
    const path = (over: Record<string, string> = {}, id: (n: string) => number = idOf) =>
      url.replace(/:(\w+)/g, (_, p: string) => over[p] ?? String(id(p)));
    const paramSchemas = (schema.params?.properties ?? {}) as Record<string, Schema>;

    for (const p of params) {
      for (const v of URL_VALUES) if (!maybeValid(paramSchemas[p], decodeSafe(v))) send(`path ${p}=${v.slice(0, 40)}`, path({ [p]: v }));
    }
    const query = (schema.querystring?.properties ?? {}) as Record<string, Schema>;
    for (const [q, qs] of Object.entries(query)) {
      for (const v of URL_VALUES) if (!maybeValid(qs, decodeSafe(v))) send(`query ${q}=${v.slice(0, 40)}`, `${path()}?${q}=${v}`);
      send(`query ${q} repeated`, `${path()}?${q}=1&${q}=2`);
    }
    if (method === 'GET' || method === 'HEAD') {
      for (const q of ['__proto__[x]=1', 'constructor[prototype][x]=1', 'a[]=1&a[]=2', '%zz=1', 'x=' + 'A'.repeat(6_000), Array.from({ length: 1_000 }, (_, i) => `p${i}=1`).join('&')])
        send(`query ${q.slice(0, 30)}`, `${path()}?${q}`);
    }
    if (!bodySchema) continue;
    const properties = (bodySchema.properties ?? {}) as Record<string, Schema>;
    for (const [field, fieldSchema] of Object.entries(properties)) {
      for (const raw of JSON_VALUES) {
        if (maybeValid(fieldSchema, JSON.parse(raw))) continue;
        send(`body ${field}=${raw.slice(0, 40)}`, path(), withField(body ?? {}, field, raw));
      }
    }
    for (const raw of BROKEN_BODIES) send(`broken body ${JSON.stringify(raw.slice(0, 40))}`, path(), raw);
    send('unknown field', path(), JSON.stringify({ ...body, unexpected: 1 }));
    for (const field of (bodySchema.required ?? []) as string[]) {
      const { [field]: _dropped, ...rest } = body ?? {};
      send(`missing ${field}`, path(), JSON.stringify(rest));
    }
    // Seeded mixtures: several fields hostile at once, sometimes with a stray key.
    const fields = Object.keys(properties);
    for (let i = 0; i < 25; i++) {
      let text = JSON.stringify(body ?? {});
      for (const f of fields) if (random() < 0.6) text = withField(JSON.parse(text) as Record<string, unknown>, f, pick(random, JSON_VALUES));
      if (random() < 0.3) text = text.replace(/^\{/, `{"${pick(random, ['$where', '__proto__x', 'id', 'balance', 'issued'])}":1,`);
      if (maybeValid(bodySchema, JSON.parse(text))) continue;
      send(`mixture ${i}`, path(), text);
    }
    // Header values the schema accepts (injections, unicode) reach the handler: only on missing rows.
    const headerSchemas = (schema.headers?.properties ?? {}) as Record<string, Schema>;
    for (const [header, hs] of Object.entries(headerSchemas)) {
      const missingBody = JSON.stringify(baseBody(bodySchema, missingOf));
      for (const v of ['', ' ', 'k'.repeat(65), 'k'.repeat(4_000), "' OR 1=1 --", '\u00ff\u00fe', '${jndi:ldap://x}', 'a\tb'])
        send(`header ${header}=${v.slice(0, 20)}`, maybeValid(hs, v) ? path({}, missingOf) : path(), maybeValid(hs, v) ? missingBody : undefined, [[header, v]]);
    }
  }
  return cases;
}

/** The required fields with valid values: a case then breaks exactly what it names. */
function baseBody(schema: Schema, id: (name: string) => number): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const body: Record<string, unknown> = {};
  for (const field of (schema.required ?? []) as string[]) {
    const s = properties[field] ?? {};
    body[field] = /Id$/.test(field) ? id(field) : typeof s.minimum === 'number' ? s.minimum : 1;
  }
  return body;
}

/** The body with one field replaced by raw JSON text (kept as written, not re-serialised). */
function withField(body: Record<string, unknown>, field: string, raw: string): string {
  const { [field]: _old, ...rest } = body;
  const tail = JSON.stringify(rest).slice(1);
  return `{${JSON.stringify(field)}:${raw}${tail === '}' ? '}' : `,${tail}`}`;
}

function decodeSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
