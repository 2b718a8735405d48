/**
 * Adversarial suite over HTTP (issue #7 item 9), part 1: hostile strings in every text filter,
 * picker search and writable text field of every registered resource; forged payloads and ids;
 * CSRF on every state-changing route; credential stuffing; two admins editing at once.
 * Cases are derived from the registered resources, so a new resource is covered by itself.
 * The count of cases tried is printed at the end.
 */
import { QueryTypes } from 'sequelize';
import { asPlatform } from '../../src/access/context.js';
import type { AddressInfo } from 'node:net';
import { Client, loggedIn, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createAdminAccount, createCountyBureau } from '../helpers/accounts.js';
import { HOSTILE, LEAK, Tally, resourcesOf, type ResourceInfo } from '../helpers/adversarial.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/demo-accounts.js';
import { loadPrincipal, type Principal } from '../../src/access/principal.js';
import { abilityFor } from '../../src/access/ability.js';
import { generateIdNumber } from '../../src/domain/identifiers.js';
import { createApp } from '../../src/server.js';

let t: TestPlatform;
const tally = new Tally();
const PROVINCE = DEMO_ACCOUNTS.find((a) => a.organisationName === '山东省人力资源和社会保障厅' && a.isSuper)!;
const JINAN = DEMO_ACCOUNTS.find((a) => a.organisationName === '济南市人力资源和社会保障局' && a.isSuper)!;
const CHINESE = /[\u4e00-\u9fff]/;

async function q<T extends object>(sql: string, r: Record<string, unknown> = {}) {
  try {
    return await t.platform.db.owner.query<T>(sql, { replacements: r, type: QueryTypes.SELECT });
  } catch (e) {
    throw new Error(`${(e as Error).message} in ${sql} with ${JSON.stringify(r).slice(0, 200)}`);
  }
}
async function principalOf(idNumber: string, kind: 'admin' | 'person' = 'admin'): Promise<Principal> {
  const [a] = await q<{ id: number }>('SELECT id FROM accounts WHERE id_number = :n', { n: idNumber });
  return (await loadPrincipal(t.platform.db.owner, a.id, kind))!;
}

/** A sandbox county of this suite's own under 济南: a unit, a person, a unit admin; changes stay here. */
interface Actor { idNumber: string; password: string; principal: Principal; client: Client }
let sandbox: { bureauId: number; path: string; unitId: number; personId: number };
let boss: Actor;
let unitAdmin: Actor;
let province: Actor;
let resources: ResourceInfo[];

async function actor(idNumber: string, password: string): Promise<Actor> {
  return { idNumber, password, principal: await principalOf(idNumber), client: await loggedIn(t.base, idNumber, password) };
}

beforeAll(async () => {
  t = await startTestPlatform();
  resources = resourcesOf(t);
  const s = t.platform.db.owner;
  const name = `对抗测试区人力资源和社会保障局${Date.now() % 100000}`;
  const bureau = await createCountyBureau(s, name);
  const [[unit]] = await s.query(
    `INSERT INTO organisations (id, parent_id, kind, name, path, depth)
     SELECT n, :pid, 'unit', :name, :ppath || n || '/', 3 FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) x
     RETURNING id, path`, { replacements: { pid: bureau.id, ppath: bureau.path, name: `对抗测试单位${Date.now() % 100000}` } },
  ) as unknown as [[{ id: number; path: string }]];
  const [[person]] = await s.query(
    `INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path, mobile, email)
     VALUES (:idn, '对抗测试人员', 'M', '1990-01-01', :unit, :path, '13800000000', 'adv@test.example.com') RETURNING id`,
    { replacements: { idn: generateIdNumber('370102', '19900101', Date.now() % 997), unit: unit.id, path: unit.path } },
  ) as unknown as [[{ id: number }]];
  sandbox = { bureauId: bureau.id, path: bureau.path, unitId: unit.id, personId: person.id };
  const b = await createAdminAccount(s, name, 'Adv#Pass2026', { isSuper: true });
  const [unitName] = await q<{ name: string }>('SELECT name FROM organisations WHERE id = :id', { id: unit.id });
  const u = await createAdminAccount(s, unitName.name, 'Unit#Pass2026', { isSuper: true });
  boss = await actor(b.idNumber, 'Adv#Pass2026');
  unitAdmin = await actor(u.idNumber, 'Unit#Pass2026');
  province = await actor(PROVINCE.idNumber, DEMO_PASSWORD);
});
afterAll(async () => {
  console.log(tally.line('filters, fields, payloads, CSRF, login, concurrency'));
  await t.close();
});

const api = (id: string) => `/admin/api/resources/${id}`;
function noLeak(text: string): boolean { return !LEAK.test(text); }

describe('hostile strings in every text filter and picker search', () => {
  it('never a 500 or SQL text; only rows in scope; %, _ and \\ match themselves', async () => {
    const problems: string[] = [];
    const me = boss;
    for (const r of resources) {
      const ability = abilityFor(me.principal);
      const canList = ability.can('list', r.id);
      for (const prop of r.textFilters) {
        for (const [label, value] of HOSTILE) {
          const url = `${api(r.id)}/actions/list?perPage=50&filters.${prop}=${encodeURIComponent(value)}`;
          const res = await me.client.request(url);
          const text = await res.text();
          const where = `${r.id}.${prop} × ${label}`;
          if (res.status >= 500) { problems.push(`${where}: HTTP ${res.status}`); continue; }
          if (!noLeak(text)) { problems.push(`${where}: leaks ${text.slice(0, 200)}`); continue; }
          const body = JSON.parse(text) as { records?: Array<{ id: string }>; notice?: { message: string; type?: string } };
          const ids = (body.records ?? []).map((x) => String(x.id));
          if (res.status !== 200 || !canList) {
            if (ids.length) problems.push(`${where}: refused (${res.status}) but carried records`);
            tally.add('filter refused');
            continue;
          }
          if (body.notice?.type === 'error' && !ids.length) {
            if (!CHINESE.test(body.notice.message)) problems.push(`${where}: refusal without a Chinese message`);
            tally.add('filter refused');
            continue;
          }
          if (ids.length) {
            // Literal match: every row returned holds the needle itself (ILIKE is case-insensitive).
            const column = r.resource.model.getAttributes()[prop] ? prop : null;
            if (column) {
              const wrong = await q(`SELECT 1 FROM ${r.table} WHERE ${r.pk}::text IN (:ids) AND strpos(lower(${column}::text), lower(:v)) = 0`, { ids, v: value });
              if (wrong.length) problems.push(`${where}: ${wrong.length} rows without the literal text`);
            }
            if (r.pathColumn) {
              const outside = await q(`SELECT 1 FROM ${r.table} WHERE ${r.pk}::text IN (:ids) AND ${r.pathColumn} NOT LIKE :p`, { ids, p: `${me.principal.orgPath}%` });
              if (outside.length) problems.push(`${where}: ${outside.length} rows outside the jurisdiction`);
            }
          }
          tally.add('filter matched literally');
        }
      }
      if (r.hasSearch && ability.can('search', r.id)) {
        for (const [label, value] of HOSTILE) {
          const res = await me.client.request(`${api(r.id)}/search/${encodeURIComponent(value)}`);
          const text = await res.text();
          const where = `${r.id} search × ${label}`;
          if (res.status >= 500 || !noLeak(text)) { problems.push(`${where}: HTTP ${res.status} ${text.slice(0, 200)}`); continue; }
          const body = JSON.parse(text) as { records?: Array<{ id: string }> };
          const ids = (body.records ?? []).map((x) => String(x.id));
          if (ids.length && r.pathColumn) {
            const outside = await q(`SELECT 1 FROM ${r.table} WHERE ${r.pk}::text IN (:ids) AND ${r.pathColumn} NOT LIKE :p`, { ids, p: `${me.principal.orgPath}%` });
            if (outside.length) problems.push(`${where}: ${outside.length} rows outside the jurisdiction`);
          }
          tally.add('picker search safe');
        }
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('a filter of % or _ returns no row that lacks the character (not a wildcard)', async () => {
    for (const value of ['%', '_', '%%']) {
      const r = await boss.client.json<{ records: unknown[]; meta: { total: number } }>(`${api('persons')}/actions/list?filters.name=${encodeURIComponent(value)}`);
      expect(r.status).toBe(200);
      expect(r.body.meta.total).toBe(0);
      tally.add('filter matched literally');
    }
    // And a value that holds them finds exactly the row that holds them.
    const marker = `对抗%_\\${Date.now() % 1000}`;
    await t.platform.db.owner.query('UPDATE persons SET title = :m WHERE id = :id', { replacements: { m: marker, id: sandbox.personId } });
    const found = await boss.client.json<{ records: Array<{ id: number }> }>(`${api('persons')}/actions/list?filters.name=${encodeURIComponent('对抗测试')}`);
    expect(found.body.records.map((x) => Number(x.id))).toEqual([sandbox.personId]);
    tally.add('filter matched literally');
  }, 240_000);

  it('filters on dates, numbers, JSON and ids with garbage are refused, never a 500', async () => {
    const problems: string[] = [];
    // Each typed column once (the review lists share their tables): the conversion is the scoped resource's.
    const seen = new Set<string>();
    for (const r of resources) {
      const props = r.resource.decorate().getProperties({ where: 'filter' })
        .filter((p) => !['string', 'textarea', 'richtext'].includes(p.type()) || p.availableValues() || p.reference())
        .filter((p) => !seen.has(`${r.table}.${p.name()}`));
      props.forEach((p) => seen.add(`${r.table}.${p.name()}`));
      for (const p of props) {
        const ranged = ['date', 'datetime', 'number', 'float'].includes(p.type());
        for (const suffix of ranged ? ['', '~~from', '~~to'] : ['']) {
          for (const value of ["'", '99999999999999999999']) {
            const res = await boss.client.request(`${api(r.id)}/actions/list?filters.${p.name()}${suffix}=${encodeURIComponent(value)}`);
            const text = await res.text();
            if (res.status >= 500 || !noLeak(text)) problems.push(`${r.id}.${p.name()}${suffix}=${value}: HTTP ${res.status} ${text.slice(0, 150)}`);
            else tally.add('typed filter refused or empty');
          }
        }
      }
      // sortBy an unknown or hostile column; direction garbage.
      const res = await boss.client.request(`${api(r.id)}/actions/list?sortBy=${encodeURIComponent('id; DROP TABLE persons')}&direction=sideways`);
      if (res.status >= 500) problems.push(`${r.id} sortBy: HTTP ${res.status}`);
      else tally.add('typed filter refused or empty');
    }
    expect(problems).toEqual([]);
  }, 240_000);
});

/** Who writes what: the first of the suite's actors whose ability allows the action on the resource. */
function writerFor(r: ResourceInfo, action: 'new' | 'edit'): Actor | undefined {
  return [boss, unitAdmin, province].find((a) => abilityFor(a.principal).can(action, r.id));
}

async function firstRecord(a: Actor, r: ResourceInfo): Promise<string | undefined> {
  const list = await a.client.json<{ records?: Array<{ id: string }> }>(`${api(r.id)}/actions/list?perPage=1&sortBy=id&direction=desc`);
  const id = list.body.records?.[0]?.id;
  return id === undefined ? undefined : String(id);
}

async function rowOf(r: ResourceInfo, id: string) {
  const [row] = await q<Record<string, unknown>>(`SELECT * FROM ${r.table} WHERE ${r.pk}::text = :id`, { id: String(id) });
  return row;
}

type Answer = { status: number; body: { record?: { id?: string; params?: Record<string, unknown>; errors?: Record<string, { message: string }> }; notice?: { message: string; type: string } } };
function refusal(a: Answer): string | undefined {
  const errors = a.body.record?.errors ?? {};
  const first = Object.values(errors)[0]?.message;
  if (first) return first;
  if (a.body.notice?.type === 'error' || a.status >= 400) return a.body.notice?.message ?? '';
  return undefined;
}
function form(fields: Record<string, string>) {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

describe('hostile strings in every writable text field', () => {
  // Rows this suite edits outside its sandbox (the catalog) are put back afterwards.
  const restore: Array<{ r: ResourceInfo; row: Record<string, unknown> }> = [];
  afterAll(async () => {
    for (const { r, row } of restore) {
      const { [r.pk]: id, ...values } = row;
      await asPlatform('测试恢复', () => r.resource.model.update(values, { where: { [r.pk]: id }, silent: true }));
    }
  });

  it('stores each exactly or refuses it with a Chinese message, changing nothing; too long is refused by length', async () => {
    const problems: string[] = [];
    // Each writable column once, through the first resource that writes it (departments are
    // organisations too); edit where a resource has it, create where it has only that.
    const seen = new Set<string>();
    for (const r of resources) {
      for (const action of ['edit', 'new'] as const) {
        if (action === 'new' && r.writableText.edit.length) continue;
        const fields = r.writableText[action].filter((f) => !seen.has(`${r.table}.${f}`));
        fields.forEach((f) => seen.add(`${r.table}.${f}`));
        if (!fields.length) continue;
        const who = writerFor(r, action);
        if (!who) { problems.push(`${r.id}.${action}: no actor of the suite may run it`); continue; }
        let id: string | undefined;
        if (action === 'edit') {
          id = await firstRecord(who, r);
          if (!id && r.writableText.new.length) {
            // A saved report or a schedule needs a report besides its name.
            const needsReport: Record<string, string> = r.id === 'saved_reports' || r.id === 'export_schedules' ? { report: 'person-roster' } : {};
            const created = await who.client.json<Answer['body']>(`${api(r.id)}/actions/new`, form({ name: `对抗测试${r.id}`.slice(0, 40), ...needsReport }));
            id = created.body.record?.id ? String(created.body.record.id) : undefined;
          }
          if (!id) { problems.push(`${r.id}.edit: no record to edit`); continue; }
          if (!(await rowOf(r, id))) continue;
          const path = r.pathColumn ? (await rowOf(r, id))[r.pathColumn] as string : undefined;
          if (path && !path.startsWith(sandbox.path) && who !== province) { problems.push(`${r.id}: would edit outside the sandbox`); continue; }
          if (who === province) restore.push({ r, row: await rowOf(r, id) });
        }
        for (const field of fields) {
          let before = id ? await rowOf(r, id) : undefined;
          for (const [label, value] of HOSTILE) {
            const where = `${r.id}.${action}.${field} × ${label}`;
            const payload: Record<string, string> = { [field]: value };
            if (before && 'version' in before) payload.version = String(before.version);
            if (action === 'new' && r.id === 'plan_filings') Object.assign(payload, { kind: 'unit_plan', year: '2026', title: payload.title ?? '对抗测试计划' });
            const url = action === 'edit' ? `${api(r.id)}/records/${id}/edit` : `${api(r.id)}/actions/new`;
            const res = await who.client.request(url, form(payload));
            const text = await res.text();
            if (res.status >= 500 || !noLeak(text)) { problems.push(`${where}: HTTP ${res.status} ${text.slice(0, 200)}`); continue; }
            const answer: Answer = { status: res.status, body: JSON.parse(text) };
            const refused = refusal(answer);
            if (refused !== undefined) {
              if (!CHINESE.test(refused)) problems.push(`${where}: refused without a Chinese message (${refused})`);
              if (id) {
                const now = await rowOf(r, id);
                if (JSON.stringify(now) !== JSON.stringify(before)) problems.push(`${where}: refused but the row changed`);
                before = now;
              }
              if (label === '一万字符' && !/过长|超过|不能超过|字/.test(refused)) problems.push(`${where}: long input refused for another reason: ${refused}`);
              tally.add('field refused (Chinese message, nothing changed)');
              continue;
            }
            if (label === '一万字符') problems.push(`${where}: 10,000 characters accepted`);
            const rid = id ?? answer.body.record?.id;
            if (!rid) { problems.push(`${where}: accepted but no record`); continue; }
            const row = await rowOf(r, String(rid));
            if (id) before = row;
            const stored = field in row ? row[field] : r.id === 'plan_filings' && field === 'summary' ? (row.content as Record<string, unknown>)?.summary : undefined;
            if (field in row || stored !== undefined) {
              if (stored !== value) problems.push(`${where}: stored ${JSON.stringify(String(stored).slice(0, 40))} instead of the input`);
              else tally.add('field stored exactly');
            } else tally.add('field accepted (derived column)');
          }
        }
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);
});

describe('forged payloads', () => {
  it('server-side fields in a payload are ignored; arrays and objects for text are refused', async () => {
    const problems: string[] = [];
    const [outsideUnit] = await q<{ id: number }>("SELECT id FROM organisations WHERE kind = 'unit' AND path NOT LIKE :p LIMIT 1", { p: `${sandbox.path}%` });
    for (const r of resources) {
      if (!r.writableText.edit.length) continue;
      const who = writerFor(r, 'edit');
      if (!who || who === province) continue;
      const id = await firstRecord(who, r);
      if (!id) continue;
      const field = r.writableText.edit[0];
      // Extra fields: organisation path, id, status, unit and parent outside the scope, a forged version.
      const before = await rowOf(r, id);
      const forged: Record<string, string> = {
        [field]: (before[field] as string | null) ?? '', org_path: '/1/', path: '/1/', id: '1', status: 'disabled', unit_id: String(outsideUnit.id),
        parent_id: String(outsideUnit.id), organisation_id: '1', builtin: 'true', kind: 'province_hr', version: String(Number(before.version ?? 0)),
      };
      const res = await who.client.json<Answer['body']>(`${api(r.id)}/records/${id}/edit`, form(forged));
      if (res.status >= 500) problems.push(`${r.id} extra fields: HTTP ${res.status}`);
      const after = await rowOf(r, id);
      for (const k of ['org_path', 'path', 'status', 'unit_id', 'parent_id', 'organisation_id', 'builtin', 'kind']) {
        if (k in before && JSON.stringify(after[k]) !== JSON.stringify(before[k])) problems.push(`${r.id}: forged ${k} was written`);
      }
      tally.add('forged field ignored', 9);
      // Arrays and objects where a string is expected: form-style (a.0, a.1, a.x) and JSON.
      const shapes: Array<[string, RequestInit]> = [
        ['form array', form({ [`${field}.0`]: 'a', [`${field}.1`]: 'b' })],
        ['form object', form({ [`${field}.$ne`]: 'x', [`${field}.toString`]: 'y' })],
        ['JSON array', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [field]: ['a', 'b'] }) }],
        ['JSON object', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [field]: { $ne: null } }) }],
        ['JSON number', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [field]: 12345 }) }],
      ];
      for (const [shape, init] of shapes) {
        const mid = await rowOf(r, id);
        const a = await who.client.json<Answer['body']>(`${api(r.id)}/records/${id}/edit`, init);
        const msg = refusal(a);
        if (a.status >= 500) { problems.push(`${r.id}.${field} ${shape}: HTTP ${a.status}`); continue; }
        const now = await rowOf(r, id);
        if (msg === undefined) {
          // Accepted: then it must have been stored as text, not as a structure.
          const v = now[field];
          if (typeof v !== 'string' && v !== null) problems.push(`${r.id}.${field} ${shape}: stored ${JSON.stringify(v)}`);
          if (typeof v === 'string' && /\[object|^\[|^\{/.test(v)) problems.push(`${r.id}.${field} ${shape}: stored the structure as ${v}`);
          tally.add('structured value stored as text');
        } else {
          if (!CHINESE.test(msg)) problems.push(`${r.id}.${field} ${shape}: message ${msg}`);
          if (JSON.stringify(now) !== JSON.stringify(mid)) problems.push(`${r.id}.${field} ${shape}: refused but changed`);
          tally.add('structured value refused');
        }
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('forged record ids (not a number, huge, negative, SQL) are refused on every record route, never a 500', async () => {
    const problems: string[] = [];
    const ids = ['abc', '99999999999999999999', '1e3', "1' OR '1'='1"];
    for (const r of resources) {
      for (const rid of ids) {
        for (const [action, method] of [['show', 'GET'], ['edit', 'POST'], ['delete', 'POST']] as const) {
          const res = await boss.client.request(`${api(r.id)}/records/${encodeURIComponent(rid)}/${action}`, { method, ...(method === 'POST' ? form({ name: '篡改' }) : {}) });
          const text = await res.text();
          if (res.status >= 500 || !noLeak(text)) problems.push(`${r.id}/${rid}/${action}: HTTP ${res.status} ${text.slice(0, 120)}`);
          else tally.add('forged id refused');
        }
      }
      const res = await boss.client.request(`${api(r.id)}/bulk/bulkDelete?recordIds=${encodeURIComponent('1,abc,99999999999999999999')}`, { method: 'POST' });
      if (res.status >= 500) problems.push(`${r.id} bulk forged ids: HTTP ${res.status}`);
      else tally.add('forged id refused');
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('ids of another jurisdiction in pickers, references and bulk actions', async () => {
    // A reference picker (search) by the 市南 county admin never offers 历下's organisations.
    const shinan = await loggedIn(t.base, DEMO_ACCOUNTS.find((a) => a.organisationName === '市南区人力资源和社会保障局' && a.isSuper)!.idNumber);
    const found = await shinan.json<{ records: Array<{ id: string }> }>(`${api('organisations')}/search/${encodeURIComponent('对抗测试单位')}`);
    expect(found.body.records ?? []).toEqual([]);
    // Bulk approve of a sandbox record and one of 市南 by the sandbox admin: refused as a whole.
    const [theirs] = await q<{ id: number }>("SELECT id FROM hour_declarations WHERE status = 'pending' AND channel <> 'ce_base' AND org_path NOT LIKE :p LIMIT 1", { p: `${JINAN.organisationName ? '' : ''}${(await principalOf(JINAN.idNumber)).orgPath}%` });
    const r = await boss.client.json(`${api('hour_reviews')}/bulk/bulkApprove?recordIds=${theirs.id}`, { method: 'POST' });
    expect(r.status).toBe(403);
    expect((await q<{ status: string }>('SELECT status FROM hour_declarations WHERE id = :id', { id: theirs.id }))[0].status).toBe('pending');
    tally.add('other jurisdiction refused', 2);
  }, 240_000);
});

describe('CSRF: every state-changing route without the token', () => {
  it('is refused with 403 and changes nothing', async () => {
    const c = new Client(t.base);
    await c.login(boss.idNumber, boss.password);
    c.withoutCsrf = true;
    const [{ max: auditBefore }] = await q<{ max: number }>('SELECT max(id) max FROM audit_log');
    const problems: string[] = [];
    const targets: string[] = [];
    for (const r of resources) {
      const decorated = t.platform.admin.findResource(r.id).decorate();
      const recordId = (await firstRecord(boss, r)) ?? '1';
      for (const a of Object.values(decorated.actions)) {
        if (a.isResourceType()) targets.push(`${api(r.id)}/actions/${a.name}`);
        else if (a.isRecordType()) targets.push(`${api(r.id)}/records/${recordId}/${a.name}`);
        else targets.push(`${api(r.id)}/bulk/${a.name}?recordIds=${recordId}`);
      }
    }
    targets.push('/admin/password', '/admin/api/resources/hour_declarations/actions/importHours');
    const upload = () => { const f = new FormData(); f.append('file', new Blob([new Uint8Array([0x50, 0x4b, 3, 4])]), 'x.xlsx'); return f; };
    for (const [i, url] of targets.entries()) {
      // A form post; an upload (multipart) where a file goes; a token of another session is no better than none.
      const init: RequestInit = /import|password/i.test(url) ? { method: 'POST', body: upload() }
        : i % 2 ? { ...form({ name: '伪造' }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-xsrf-token': 'forged-token-of-another-session-xxxxxxxxx' } }
          : form({ name: '伪造', oldPassword: boss.password, password: 'Forged#Pass1', confirm: 'Forged#Pass1' });
      const res = await c.request(url, init);
      const text = await res.text();
      if (res.status !== 403 || !text.includes('CSRF')) problems.push(`${url}: HTTP ${res.status}`);
      else tally.add('CSRF refused');
    }
    for (const url of ['/admin/password', `${api('roles')}/actions/new`]) {
      const res = await c.request(url, form({ name: '伪造', oldPassword: boss.password, password: 'Forged#Pass1', confirm: 'Forged#Pass1' }));
      if (res.status !== 403) problems.push(`${url} as a form: HTTP ${res.status}`);
      else tally.add('CSRF refused');
    }
    const [{ max: auditAfter }] = await q<{ max: number }>('SELECT max(id) max FROM audit_log');
    expect(problems).toEqual([]);
    expect(auditAfter).toBe(auditBefore);
    expect((await c.json('/admin/api/dashboard')).status).toBe(200);
    expect((await new Client(t.base).login(boss.idNumber, boss.password)).status).toBe(302);
  }, 240_000);

  it('logout from another site is refused (fetch metadata); from the panel it works', async () => {
    const c = await loggedIn(t.base, boss.idNumber, boss.password);
    const forged = await c.request('/admin/logout', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toMatch(CHINESE);
    expect((await c.json('/admin/api/dashboard')).status).toBe(200);
    tally.add('CSRF refused');
    const own = await c.request('/admin/logout', { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(own.headers.get('location')).toBe('/admin/login');
    expect((await c.json('/admin/api/dashboard')).status).toBe(401);
  }, 240_000);
});

describe('brute force', () => {
  it('the per-address limit stops credential stuffing across many ID numbers; answers reveal nothing', async () => {
    // A second app on the same database with the production-like limit of 5 attempts a minute.
    const { app, storePool, sessionStore } = createApp({
      sequelize: t.platform.db.sequelize, models: t.platform.models, databaseUrl: t.platform.db.url,
      sessionSecret: 'adversarial-suite-session-secret-0123456789', loginRateLimit: 5, rateLimitNamespace: `brute-force-${Date.now()}`,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const id = generateIdNumber('370102', `1985010${1 + (i % 9)}`, 100 + i);
        const res = await new Client(base).login(id, `Stuffed#Pass${i}`);
        statuses.push(res.status);
        const text = await res.text();
        if (res.status === 429) expect(text).toContain('请求过于频繁');
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
      tally.add('login attempt limited', statuses.filter((s) => s === 429).length);
      tally.add('login attempt refused', statuses.filter((s) => s === 200).length);
      // The reset form shares the limit of its address.
      expect((await new Client(base).postForm('/admin/forgot-password', { idNumber: '11010519491231002X', contact: 'x@y.cn' })).status).toBe(429);
      tally.add('login attempt limited');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sessionStore.close();
      await storePool.end();
    }
  }, 240_000);

  it('a locked account and an unknown ID number get the same answer', async () => {
    const a = await createAdminAccount(t.platform.db.owner, JINAN.organisationName, 'Lock#Pass2026');
    const unknown = generateIdNumber('370102', '19700101', 999);
    const answers: Record<string, string[]> = { existing: [], unknown: [] };
    for (let i = 0; i < 7; i++) {
      answers.existing.push((await (await new Client(t.base).login(a.idNumber, `Wrong#Pass${i}`)).text()).match(/class="msg err"[^>]*>([^<]*)/)?.[1] ?? '');
      answers.unknown.push((await (await new Client(t.base).login(unknown, `Wrong#Pass${i}`)).text()).match(/class="msg err"[^>]*>([^<]*)/)?.[1] ?? '');
    }
    expect(answers.existing).toEqual(answers.unknown);
    expect(answers.existing[0]).toContain('账号或密码错误');
    // Locked indeed: the right password does not get in, and says nothing else either.
    const right = await new Client(t.base).login(a.idNumber, 'Lock#Pass2026');
    expect(right.status).toBe(200);
    expect((await right.text()).match(/class="msg err"[^>]*>([^<]*)/)?.[1]).toBe(answers.unknown[0]);
    tally.add('lockout reveals nothing', 15);
  }, 240_000);
});

describe('concurrent edits', () => {
  async function editAt(c: Client, resourceId: string, id: number, fields: Record<string, string>) {
    return c.json<Answer['body']>(`${api(resourceId)}/records/${id}/edit`, form(fields));
  }

  it('two admins editing the same person at once: one wins, the other is told 已被他人修改', async () => {
    const jinan = await loggedIn(t.base, JINAN.idNumber);
    for (let round = 0; round < 3; round++) {
      const [before] = await q<{ version: number; mobile: string }>('SELECT version, mobile FROM persons WHERE id = :id', { id: sandbox.personId });
      const mine = `1390000${String(round).padStart(4, '0')}`;
      const theirs = `1370000${String(round).padStart(4, '0')}`;
      const [a, b] = await Promise.all([
        editAt(boss.client, 'persons', sandbox.personId, { mobile: mine, version: String(before.version) }),
        editAt(jinan, 'persons', sandbox.personId, { mobile: theirs, version: String(before.version) }),
      ]);
      const [after] = await q<{ version: number; mobile: string }>('SELECT version, mobile FROM persons WHERE id = :id', { id: sandbox.personId });
      const outcomes = [a, b].map((x) => refusal(x));
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
      expect(outcomes.find((o) => o !== undefined)).toContain('已被他人修改');
      expect(after.version).toBe(before.version + 1);
      expect(after.mobile).toBe(outcomes[0] === undefined ? mine : theirs);
      tally.add('concurrent edit: one winner, one 已被他人修改', 2);
    }
  }, 240_000);

  it('two admins editing the same organisation at once (its own admin and the city): one wins', async () => {
    const jinan = await loggedIn(t.base, JINAN.idNumber);
    const [before] = await q<{ version: number; address: string | null }>('SELECT version, address FROM organisations WHERE id = :id', { id: sandbox.bureauId });
    const [a, b] = await Promise.all([
      editAt(boss.client, 'my_organisation', sandbox.bureauId, { address: '泉城路1号', version: String(before.version) }),
      editAt(jinan, 'organisations', sandbox.bureauId, { address: '经十路2号', version: String(before.version) }),
    ]);
    const outcomes = [a, b].map((x) => refusal(x));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.find((o) => o !== undefined)).toContain('已被他人修改');
    const [after] = await q<{ version: number; address: string }>('SELECT version, address FROM organisations WHERE id = :id', { id: sandbox.bureauId });
    expect(after.address).toBe(outcomes[0] === undefined ? '泉城路1号' : '经十路2号');
    expect(after.version).toBe(before.version + 1);
    tally.add('concurrent edit: one winner, one 已被他人修改', 2);
  }, 240_000);
});
