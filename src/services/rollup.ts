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
    const sums = await sequelize.query<{ person_id: number; year: number; org_path: string; region_code: string | null; pub: string; prof: string }>(
      `WITH k AS (SELECT * FROM unnest($1::int[], $2::smallint[]) AS k(person_id, year)),
       per_form AS (
         SELECT h.person_id, h.year, h.subject_type,
                least(sum(h.approved_hours), coalesce(f.cap_per_year, sum(h.approved_hours))) hours
           FROM hour_declarations h JOIN k ON k.person_id = h.person_id AND k.year = h.year
           JOIN learning_forms f ON f.id = h.learning_form_id
          WHERE h.status = 'approved'
          GROUP BY h.person_id, h.year, h.subject_type, f.id, f.cap_per_year)
       SELECT k.person_id, k.year, p.org_path, o.region_code,
              coalesce(sum(pf.hours) FILTER (WHERE pf.subject_type = 'public'), 0) pub,
              coalesce(sum(pf.hours) FILTER (WHERE pf.subject_type = 'professional'), 0) prof
         FROM k JOIN persons p ON p.id = k.person_id JOIN organisations o ON o.id = p.unit_id
         LEFT JOIN per_form pf ON pf.person_id = k.person_id AND pf.year = k.year
        GROUP BY k.person_id, k.year, p.org_path, o.region_code`,
      { bind: [chunk.map((c) => c.person_id), chunk.map((c) => c.year)], type: QueryTypes.SELECT, transaction },
    );
    if (!sums.length) continue;
    const values: unknown[] = [];
    const rows = sums.map((s, j) => {
      const done = isCompleted(requirementFor(s.year, s.region_code ?? undefined), Number(s.pub), Number(s.prof));
      values.push(s.person_id, s.year, s.org_path, s.pub, s.prof, done);
      const o = j * 6;
      return `($${o + 1}::int, $${o + 2}::smallint, $${o + 3}, $${o + 4}::numeric, $${o + 5}::numeric, $${o + 6}::boolean)`;
    });
    await sequelize.query(
      `INSERT INTO person_year_hours (person_id, year, org_path, public_hours, professional_hours, completed)
       VALUES ${rows.join(', ')}
       ON CONFLICT (person_id, year) DO UPDATE SET org_path = EXCLUDED.org_path, public_hours = EXCLUDED.public_hours,
         professional_hours = EXCLUDED.professional_hours, completed = EXCLUDED.completed, updated_at = now()`,
      { bind: values, transaction },
    );
  }
}
