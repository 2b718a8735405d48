/**
 * 专技人员名册: every professional person in the principal's jurisdiction with the year's
 * approved hours (from the yearly rollup) and whether the year is complete. ID numbers are
 * whole only for principals allowed to see them whole (the same rule as the panel's detail
 * view); everyone else gets them masked.
 *
 * Rows are read in keyset batches (`id > last ORDER BY id LIMIT n`) through the persons
 * resource's own access rules, so the province's whole roster never sits in memory; the next
 * batch is read while the current one is written.
 */
import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { scopeOf } from '../../access/scope.js';
import { maskPersonalData, personPersonalData } from '../../access/personal-data.js';
import { labelOf, titleLevel } from '../../domain/labels.js';
import { readerIn, type ReportContext, type ReportDefinition } from './types.js';
import { reportYear } from './params.js';

export const ROSTER_BATCH = 2_000;

/** The persons the principal may list, as a Sequelize where (the persons policy's scope). */
export function personScope(ctx: ReportContext): WhereOptions {
  return scopeOf(ctx.principal, 'persons', 'list').where;
}

interface PersonRow { id: number; name: string; id_number: string; unit_id: number; title_series: string | null; title_level: string | null; title: string | null }
interface HoursRow { person_id: number; public_hours: string; professional_hours: string; total_hours: string; completed: boolean }

interface Batch { persons: PersonRow[]; hours: Map<number, HoursRow> }

async function* rosterRows(ctx: ReportContext): AsyncIterable<Record<string, unknown>> {
  const year = reportYear(ctx.params);
  const scope = personScope(ctx);
  // The read replica when the job has one (same wall, same row-level security).
  const db = readerIn(ctx);
  const Person = db.model('Person');
  const unitNames = new Map<number, string>();

  const fetchBatch = async (after: number): Promise<Batch> => {
    const persons = await Person.findAll({
      where: { [Op.and]: [scope, { id: { [Op.gt]: after } }] },
      attributes: ['id', 'name', 'id_number', 'unit_id', 'title_series', 'title_level', 'title'],
      order: [['id', 'ASC']], limit: ROSTER_BATCH, raw: true,
    }) as unknown as PersonRow[];
    if (!persons.length) return { persons, hours: new Map() };
    const missingUnits = [...new Set(persons.map((p) => p.unit_id))].filter((id) => !unitNames.has(id));
    if (missingUnits.length) {
      const units = await db.query<{ id: number; name: string }>('SELECT id, name FROM organisations WHERE id = ANY($1::int[])',
        { bind: [missingUnits], type: QueryTypes.SELECT });
      for (const u of units) unitNames.set(u.id, u.name);
    }
    const hours = await db.query<HoursRow>(
      `SELECT person_id, public_hours, professional_hours, total_hours, completed FROM person_year_hours
        WHERE year = $1 AND person_id = ANY($2::int[])`,
      { bind: [year, persons.map((p) => p.id)], type: QueryTypes.SELECT });
    return { persons, hours: new Map(hours.map((h) => [h.person_id, h])) };
  };

  // The next batch is read while this one is written (one batch ahead, never more).
  let next = fetchBatch(0);
  for (;;) {
    const { persons, hours } = await next;
    if (!persons.length) return;
    next = persons.length < ROSTER_BATCH ? Promise.resolve({ persons: [], hours: new Map() }) : fetchBatch(persons[persons.length - 1].id);
    next.catch(() => {}); // a consumer that stops early must not leave an unhandled rejection
    for (const p of persons) {
      const h = hours.get(p.id);
      yield maskPersonalData({
        name: p.name,
        id_number: p.id_number,
        unit: unitNames.get(p.unit_id) ?? '',
        title_series: p.title_series ?? '',
        title_level: p.title_level ? labelOf(titleLevel, p.title_level) : '',
        title: p.title ?? '',
        year,
        public_hours: Number(h?.public_hours ?? 0),
        professional_hours: Number(h?.professional_hours ?? 0),
        total_hours: Number(h?.total_hours ?? 0),
        completed: h?.completed ? '已完成' : '未完成',
      }, personPersonalData, ctx.principal, true);
    }
  }
}

export const personRoster: ReportDefinition = {
  key: 'person-roster',
  title: '专技人员名册',
  permission: 'stats.persons:export',
  columns: [
    { key: 'name', header: '姓名', width: 12 },
    { key: 'id_number', header: '身份证号', width: 22 },
    { key: 'unit', header: '工作单位', width: 32 },
    { key: 'title_series', header: '职称系列', width: 16 },
    { key: 'title_level', header: '职称级别', width: 10 },
    { key: 'title', header: '专业技术职务', width: 16 },
    { key: 'year', header: '年度', width: 8 },
    { key: 'public_hours', header: '公需科目学时', width: 12 },
    { key: 'professional_hours', header: '专业科目学时', width: 12 },
    { key: 'total_hours', header: '总学时', width: 10 },
    { key: 'completed', header: '完成情况', width: 10 },
  ],
  rows: rosterRows,
};
