/**
 * The reviewer's text filters (issue 17, item 3): 姓名, 身份证号 and 工作单位 are typed fragments
 * ("contains"), not pick-one dropdowns — a dropdown of persons stopped at 50 entries for 「王」
 * and offered two identical 丁丹. Each is a virtual filter of a list whose rows name a person
 * or a unit by id: the fragment picks ids in a subquery, and the list's own scope (scopeOf of
 * the list) still decides which rows show.
 *
 * - persons are found inside the principal's scope of the persons list (scopeOf, never a
 *   hand-written jurisdiction condition); a principal without that list (a CE base) finds
 *   nothing by name — the database's wall would hide those persons anyway;
 * - a name fragment of three characters or more uses the trigram index on persons.name
 *   (migration 006); a unit fragment the one on organisations.name (migration 011).
 *   Organisation names are public (the registration page lists them): no scope is needed to
 *   turn a unit's name into its id, and the list's scope keeps out rows of other jurisdictions.
 */
import { literal, Op, type Sequelize, type WhereOptions } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { mayRun, scopeOf } from '../access/scope.js';
import { escapeLike } from '../db/sql.js';

type VirtualFilter = (value: string, p: Principal) => WhereOptions | null;
const MAX = 30;

function like(sequelize: Sequelize, column: string, value: string): string | null {
  const v = value.trim().slice(0, MAX);
  if (!v) return null;
  const op = v.toLowerCase() === v.toUpperCase() ? 'LIKE' : 'ILIKE';
  return `${column} ${op} ${sequelize.escape(`%${escapeLike(v)}%`)}`;
}

/** Rows whose `column` names a person of the principal's persons scope matching `condition`. */
function personWhere(sequelize: Sequelize, column: string, p: Principal, condition: string | null): WhereOptions | null {
  if (!condition) return null;
  if (!mayRun(p, 'persons', 'list')) return literal('false');
  const scope = scopeOf(p, 'persons', 'list').sql('ps');
  return { [column]: { [Op.in]: literal(`(SELECT ps.id FROM persons ps WHERE (${scope}) AND ${condition})`) } };
}

/** 姓名 (person_name) and 身份证号 (person_id_number) of the person a row's `column` names. */
export function personTextFilters(sequelize: Sequelize, column = 'person_id'): Record<string, VirtualFilter> {
  return {
    person_name: (value, p) => personWhere(sequelize, column, p, like(sequelize, 'ps.name', value)),
    person_id_number: (value, p) => personWhere(sequelize, column, p, like(sequelize, 'ps.id_number', value.toUpperCase())),
  };
}

/** 工作单位 (unit_name): rows whose `column` names an organisation whose name contains the fragment. */
export function unitTextFilter(sequelize: Sequelize, column = 'unit_id', key = 'unit_name'): Record<string, VirtualFilter> {
  return {
    [key]: (value) => {
      const condition = like(sequelize, 'o.name', value);
      return condition ? { [column]: { [Op.in]: literal(`(SELECT o.id FROM organisations o WHERE ${condition})`) } } : null;
    },
  };
}

/** The filter fields' options: text inputs shown in the filter only. */
export const textFilterProperty = { type: 'string' as const, isSortable: false, isVisible: { list: false, show: false, edit: false, filter: true } };
export const textFilterProperties = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, textFilterProperty]));
