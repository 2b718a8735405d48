/** Hooks of the organisation tree: validation of editable fields; a new node's id and path. */
import { QueryTypes, type Transaction } from 'sequelize';
import type { Principal } from '../../src/access/principal.js';
import type { AnyModel } from '../../src/db/models.js';
import { validateFields } from '../../hooks/validate-fields.js';

export async function validateOrganisationEdit(values: Record<string, unknown>): Promise<Record<string, unknown>> {
  return validateFields(values, 'name' in values ? ['name'] : []);
}

/** Children get their id first, so that their path ('/…/<parent>/<id>/') is written with the row. */
export async function childOf(model: AnyModel, parent: { id: number; path: string; depth: number }, transaction: Transaction) {
  const [{ id }] = await model.sequelize!.query<{ id: number }>(
    "SELECT nextval(pg_get_serial_sequence('organisations', 'id'))::int AS id", { type: QueryTypes.SELECT, transaction },
  );
  return { id, parent_id: parent.id, path: `${parent.path}${id}/`, depth: parent.depth + 1 };
}

export function ownOrganisationNode(p: Principal) {
  return { id: p.organisationId, path: p.orgPath, depth: p.orgDepth };
}
