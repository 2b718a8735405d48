/**
 * A person's hour history over a span of years: approved hours per year by subject type
 * (公需科目 / 专业科目), whether the year's requirement is met, and its verification state
 * (学时审验: hours withdrawn by a failed verification). One reading for everything that
 * reports it: the integration API (`GET /api/v1/persons/{idNumber}/hours`) and the 学时证明
 * (src/services/certificates/proof.ts), which stores it and compares it later.
 *
 * `scope` narrows the rows with the access layer's SQL (scopeOf(…).sql()) where the caller
 * reads on a principal's behalf; the caller has already found the person in its scope.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export interface YearFigures {
  year: number;
  publicHours: number;
  professionalHours: number;
  totalHours: number;
  completed: boolean;
  verification: { state: 'ok' | 'failed' | 'none'; failedHours: number };
}

export interface HistoryScope { years: string; declarations: string }

export async function yearlyFigures(
  sequelize: Sequelize, personId: number, from: number, to: number,
  opts: { scope?: HistoryScope; transaction?: Transaction } = {},
): Promise<YearFigures[]> {
  const { scope, transaction } = opts;
  const replacements = { p: personId, from, to };
  const totals = await sequelize.query<{ year: number; public_hours: string; professional_hours: string; total_hours: string; completed: boolean }>(
    `SELECT year, public_hours, professional_hours, total_hours, completed FROM person_year_hours
      WHERE person_id = :p AND year BETWEEN :from AND :to${scope ? ` AND ${scope.years}` : ''}`,
    { replacements, type: QueryTypes.SELECT, transaction });
  const checks = await sequelize.query<{ year: number; approved: string; failed: string }>(
    `SELECT year, count(*) FILTER (WHERE status = 'approved') approved, coalesce(sum(approved_hours) FILTER (WHERE status = 'verification_failed'), 0) failed
       FROM hour_declarations WHERE person_id = :p AND year BETWEEN :from AND :to AND status IN ('approved', 'verification_failed')
        ${scope ? `AND ${scope.declarations}` : ''} GROUP BY year`,
    { replacements, type: QueryTypes.SELECT, transaction });
  const byYear = new Map(totals.map((t) => [Number(t.year), t]));
  const checkOf = new Map(checks.map((c) => [Number(c.year), c]));
  const years: YearFigures[] = [];
  for (let y = from; y <= to; y++) {
    const t = byYear.get(y);
    const c = checkOf.get(y);
    const failed = Number(c?.failed ?? 0);
    years.push({
      year: y, publicHours: Number(t?.public_hours ?? 0), professionalHours: Number(t?.professional_hours ?? 0), totalHours: Number(t?.total_hours ?? 0),
      completed: t?.completed ?? false,
      verification: { state: failed > 0 ? 'failed' : Number(c?.approved ?? 0) > 0 ? 'ok' : 'none', failedHours: failed },
    });
  }
  return years;
}
