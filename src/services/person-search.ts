/**
 * Finding persons for a picker (applicants, a person to transfer): by a name fragment or a
 * whole ID number, active only, always inside the principal's scope on persons.
 */
import { Op } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { scopeOf } from '../access/scope.js';
import type { AnyModel } from '../db/models.js';
import { containsCondition } from '../db/sql.js';

export interface FoundPerson { id: number; name: string; id_number: string; unit_id: number; title_series: string | null; title: string | null }

export async function searchPersons(Person: AnyModel, p: Principal, query: string, limit = 20): Promise<FoundPerson[]> {
  const q = query.trim().slice(0, 30);
  if (!q) return [];
  return Person.findAll({
    where: { [Op.and]: [scopeOf(p, 'persons', 'list').where, { status: 'active' }, { [Op.or]: [{ name: containsCondition(q) }, { id_number: q.toUpperCase() }] }] },
    attributes: ['id', 'name', 'id_number', 'unit_id', 'title_series', 'title'], limit, order: [['name', 'ASC'], ['id', 'ASC']], raw: true,
  }) as unknown as Promise<FoundPerson[]>;
}
