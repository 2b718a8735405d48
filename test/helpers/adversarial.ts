/** Shared by the adversarial suites: the hostile strings, the tally, the platform's resources. */
import type { TestPlatform } from './platform.js';
import type { ScopedResource } from '../../src/admin/scoped-resource.js';
import { policyOf as accessOf } from '../../resources/policies.js';

/** Every text filter and every writable text field meets each of these. */
export const HOSTILE: Array<[label: string, value: string]> = [
  ['单引号', "'"], ['双引号', '"'], ['反斜杠', '\\'], ['分号', ';'], ['SQL注释', '--'],
  ['百分号', '%'], ['下划线', '_'], ['双百分号', '%%'], ['一万字符', 'a'.repeat(10_000)],
  ['NUL字节', 'a\u0000b'], ['RTL覆盖', '\u202Eabc'], ['零宽连接符', 'a\u200Db'],
  ['emoji与扩展平面', '测😀𠀀'], ['组合附加符', 'e\u0301\u0308'], ['全角数字', '１２３'],
  ['OR注入', "' OR 1=1 --"], ['JSON/$where', '{"$where":"1==1"}'], ['路径穿越', '../../etc/passwd'],
];

/** What SQL or a stack trace looks like when it leaks into an answer. */
export const LEAK = /syntax error|SequelizeDatabaseError|sequelize|postgres|pg_|SELECT |ILIKE|node_modules|at async|invalid input syntax|unterminated/i;

export class Tally {
  readonly counts = new Map<string, number>();
  add(outcome: string, n = 1) { this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + n); }
  get total() { return [...this.counts.values()].reduce((a, b) => a + b, 0); }
  line(part: string) {
    return `adversarial cases tried (${part}): ${this.total} (${[...this.counts].map(([k, v]) => `${k}: ${v}`).join(', ')})`;
  }
}

export interface ResourceInfo {
  id: string;
  resource: ScopedResource;
  table: string;
  /** The primary key column. */
  pk: string;
  /** Text properties offered as filters (no enumeration, no reference). */
  textFilters: string[];
  /** Writable text fields per action. */
  writableText: { new: string[]; edit: string[] };
  actions: string[];
  hasSearch: boolean;
  /** The column holding a row's organisation path, if any. */
  pathColumn?: string;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'richtext']);

/** Derived from what the platform registered: a new resource is covered without editing the suites. */
export function resourcesOf(t: TestPlatform): ResourceInfo[] {
  return t.platform.admin.resources.map((r) => {
    const resource = r as unknown as ScopedResource;
    const id = resource.id();
    const decorated = r.decorate();
    const access = accessOf(id);
    const isText = (name: string) => {
      const p = decorated.getPropertyByKey(name);
      if (!p || !TEXT_TYPES.has(p.type()) || p.availableValues() || p.reference()) return false;
      // Uploads are typed by content and covered by the file suite.
      return !(p.options.components?.edit && /File/i.test(String(p.options.components.edit)));
    };
    const textFilters = decorated.getProperties({ where: 'filter' })
      .filter((p) => TEXT_TYPES.has(p.type()) && !p.availableValues() && !p.reference()).map((p) => p.name());
    const attributes = resource.model.getAttributes();
    return {
      id, resource, table: resource.model.getTableName() as string, pk: resource.primaryKey(), textFilters,
      writableText: {
        new: (access.writable.new ?? []).filter((f) => f !== 'version' && isText(f)),
        edit: (access.writable.edit ?? []).filter((f) => f !== 'version' && isText(f)),
      },
      actions: Object.keys(access.actions),
      hasSearch: 'search' in access.actions,
      pathColumn: 'org_path' in attributes ? 'org_path' : 'path' in attributes ? 'path' : undefined,
    };
  });
}

/**
 * A county of a suite's own under 济南 — its HR bureau with a super admin, a unit, persons — so
 * that edits and imports never touch the demo data other test files count on.
 */
export async function createSandbox(sequelize: import('sequelize').Sequelize, label: string, persons: number, password: string) {
  const { createAdminAccount, createCountyBureau } = await import('./accounts.js');
  const { generateIdNumber } = await import('../../src/domain/identifiers.js');
  const stamp = `${Date.now() % 100000}${Math.floor(Math.random() * 90 + 10)}`;
  const name = `${label}区人力资源和社会保障局${stamp}`;
  const bureau = await createCountyBureau(sequelize, name);
  const [[unit]] = await sequelize.query(
    `INSERT INTO organisations (id, parent_id, kind, name, path, depth)
     SELECT n, :pid, 'unit', :name, :ppath || n || '/', 3 FROM (SELECT nextval(pg_get_serial_sequence('organisations','id'))::int n) x
     RETURNING id, path`, { replacements: { pid: bureau.id, ppath: bureau.path, name: `${label}单位${stamp}` } },
  ) as unknown as [[{ id: number; path: string }]];
  const people: Array<{ id: number; name: string; id_number: string }> = [];
  for (let i = 0; i < persons; i++) {
    for (let attempt = 0; ; attempt++) {
      const idn = generateIdNumber('370102', `198${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}`, Math.floor(Math.random() * 1000));
      try {
        const [[p]] = await sequelize.query(
          `INSERT INTO persons (id_number, name, gender, birth_date, unit_id, org_path, mobile, email)
           VALUES (:idn, :name, 'F', '1988-02-02', :unit, :path, '13800000000', 'sandbox@test.example.com') RETURNING id, name, id_number`,
          { replacements: { idn, name: `${label}人员${i}`, unit: unit.id, path: unit.path } },
        ) as unknown as [[{ id: number; name: string; id_number: string }]];
        people.push(p);
        break;
      } catch (e) {
        if (attempt > 5) throw e; // a random ID number already taken: draw again
      }
    }
  }
  const admin = await createAdminAccount(sequelize, name, password, { isSuper: true });
  return { bureauId: bureau.id, path: bureau.path, bureauName: name, unitId: unit.id, unitPath: unit.path, persons: people, admin };
}
