/**
 * 人员调出 (manual 4.1.6 c): choose a person of the own jurisdiction, the destination unit
 * anywhere in the province and the reason. GET searches (persons only inside the jurisdiction;
 * destination units province-wide, by name only); POST files the request.
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { QueryTypes } from 'sequelize';
import { escapeLike } from '../../src/db/sql.js';
import { searchPersons } from '../../src/services/person-search.js';
import { principalOf } from '../../src/admin/scoped-resource.js';
import { requestTransfer } from '../../src/workflow/transfer.js';
import { maskIdNumber } from '../../src/domain/identifiers.js';
import { Components } from '../../src/admin/components/index.js';
import { bodyOf, isPost, sequelizeOf, stringField } from '../../actions/request-data.js';

export const transferOutAction = {
  actionType: 'resource' as const,
  icon: 'LogOut',
  component: Components.TransferOut,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const sequelize = sequelizeOf(context);
    const Person = sequelize.model('Person');
    if (!isPost(request)) {
      const found = await searchPersons(Person, p, String(request.query?.person ?? ''));
      const unitQuery = String(request.query?.unit ?? '').trim().slice(0, 50);
      const unitNames = found.length ? new Map((await sequelize.query<{ id: number; name: string }>('SELECT id, name FROM organisations WHERE id IN (:ids)',
        { replacements: { ids: [...new Set(found.map((f) => f.unit_id))] }, type: QueryTypes.SELECT })).map((u) => [u.id, u.name])) : new Map();
      const units = unitQuery.length >= 2 ? await sequelize.query<{ id: number; name: string; superior: string }>(
        `SELECT u.id, u.name, s.name superior FROM organisations u JOIN organisations s ON s.id = u.parent_id
          WHERE u.kind = 'unit' AND u.status = 'active' AND u.name ILIKE :q ORDER BY u.name LIMIT 20`,
        { replacements: { q: `%${escapeLike(unitQuery)}%` }, type: QueryTypes.SELECT }) : [];
      return {
        persons: found.map((f) => ({ id: f.id, name: f.name, idNumber: maskIdNumber(f.id_number), unit: unitNames.get(f.unit_id) ?? '', series: f.title_series, title: f.title })),
        units,
      };
    }
    const body = bodyOf(request);
    const id = await requestTransfer(sequelize, Person, p, {
      personId: Number(stringField(body, 'personId')), toUnitId: Number(stringField(body, 'toUnitId')), reason: stringField(body, 'reason'),
    });
    return { notice: { message: '调出申请已提交，待调出方和调入方审核通过后生效', type: 'success' }, redirectUrl: `/admin/resources/transfers/records/${id}/show` };
  },
};
