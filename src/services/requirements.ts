/**
 * 年度学时要求 as the database holds it (yearly_requirements, migration 009/016): the one reader
 * for code that must show or explain a requirement. The yearly totals use the same SQL function
 * (`ce_requirement`), so what a certificate refusal or a person's yearly table says is what
 * decided `completed`.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { YearlyRequirement } from '../../config/yearly-requirements.js';

export async function requirementOf(
  sequelize: Sequelize, year: number, regionCode: string | null, transaction?: Transaction,
): Promise<YearlyRequirement> {
  const [r] = await sequelize.query<{ total_hours: string; public_hours: string; professional_hours: string }>(
    'SELECT * FROM ce_requirement(CAST(:year AS smallint), :region)',
    { replacements: { year, region: regionCode }, type: QueryTypes.SELECT, transaction });
  return { total: Number(r?.total_hours ?? 0), public: Number(r?.public_hours ?? 0), professional: Number(r?.professional_hours ?? 0) };
}

/** The columns `required_total`, `required_public`, `required_professional` for a query over years and regions. */
export const REQUIREMENT_COLUMNS = 'r.total_hours AS required_total, r.public_hours AS required_public, r.professional_hours AS required_professional';

export const requirementFromRow = (row: { required_total: string | null; required_public: string | null; required_professional: string | null }): YearlyRequirement =>
  ({ total: Number(row.required_total ?? 0), public: Number(row.required_public ?? 0), professional: Number(row.required_professional ?? 0) });
