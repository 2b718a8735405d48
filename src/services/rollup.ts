/**
 * Yearly per-person totals (年度学时汇总), recomputed for the (person, year) pairs a decision
 * touched, in the decision's transaction: approved hours by subject type, each learning form
 * capped at its yearly cap, and whether the year's requirement is met. Statistics read these
 * rows instead of scanning every hour record.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { isCompleted, requirementFor } from '../../config/yearly-requirements.js';

export interface PersonYear { person_id: number; year: number }

export async function refreshYearTotals(sequelize: Sequelize, pairs: PersonYear[], transaction: Transaction): Promise<void> {
  const unique = [...new Map(pairs.map((p) => [`${p.person_id}:${p.year}`, p])).values()];
  for (let i = 0; i < unique.length; i += 5000) {
    const chunk = unique.slice(i, i + 5000);
    const sums = await sequelize.query<{ person_id: number; year: number; region_code: string | null; pub: string; prof: string }>(
      `WITH k AS (SELECT * FROM unnest($1::int[], $2::smallint[]) AS k(person_id, year)),
       per_form AS (
         SELECT h.person_id, h.year, h.subject_type,
                least(sum(h.approved_hours), coalesce(f.cap_per_year, sum(h.approved_hours))) hours
           FROM hour_declarations h JOIN k ON k.person_id = h.person_id AND k.year = h.year
           JOIN learning_forms f ON f.id = h.learning_form_id
          WHERE h.status = 'approved'
          GROUP BY h.person_id, h.year, h.subject_type, f.id, f.cap_per_year)
       SELECT k.person_id, k.year, o.region_code,
              coalesce(sum(pf.hours) FILTER (WHERE pf.subject_type = 'public'), 0) pub,
              coalesce(sum(pf.hours) FILTER (WHERE pf.subject_type = 'professional'), 0) prof
         FROM k JOIN persons p ON p.id = k.person_id JOIN organisations o ON o.id = p.unit_id
         LEFT JOIN per_form pf ON pf.person_id = k.person_id AND pf.year = k.year
        GROUP BY k.person_id, k.year, o.region_code`,
      { bind: [chunk.map((c) => c.person_id), chunk.map((c) => c.year)], type: QueryTypes.SELECT, transaction },
    );
    if (!sums.length) continue;
    // The totals travel as five arrays (not 6 × 5,000 bind parameters: parsing that statement
    // alone took 50 ms). Rows that exist are updated in place, then the missing ones inserted:
    // an INSERT … ON CONFLICT DO UPDATE runs the row trigger that describes the person twice
    // for every existing row (once for the proposed insert, once for the update).
    const cols = { person: [] as number[], year: [] as number[], pub: [] as string[], prof: [] as string[], done: [] as boolean[] };
    for (const s of sums) {
      cols.person.push(s.person_id); cols.year.push(s.year); cols.pub.push(s.pub); cols.prof.push(s.prof);
      cols.done.push(isCompleted(requirementFor(s.year, s.region_code ?? undefined), Number(s.pub), Number(s.prof)));
    }
    const bind = [cols.person, cols.year, cols.pub, cols.prof, cols.done];
    const totals = 'unnest($1::int[], $2::smallint[], $3::numeric[], $4::numeric[], $5::boolean[]) AS v(person_id, year, pub, prof, done)';
    await sequelize.query(
      `UPDATE person_year_hours y SET public_hours = v.pub, professional_hours = v.prof, completed = v.done, updated_at = now()
         FROM ${totals} WHERE y.person_id = v.person_id AND y.year = v.year`, { bind, transaction });
    // org_path is set by the row trigger from the person, as on every write of this table.
    await sequelize.query(
      `INSERT INTO person_year_hours (person_id, year, org_path, public_hours, professional_hours, completed)
       SELECT v.person_id, v.year, '', v.pub, v.prof, v.done FROM ${totals}
        WHERE NOT EXISTS (SELECT 1 FROM person_year_hours y WHERE y.person_id = v.person_id AND y.year = v.year)
       ON CONFLICT (person_id, year) DO UPDATE SET public_hours = EXCLUDED.public_hours,
         professional_hours = EXCLUDED.professional_hours, completed = EXCLUDED.completed, updated_at = now()`,
      { bind, transaction });
  }
}
