/**
 * Who may see and change professional persons (专技人员信息查询, 4.5.4): the HR departments and
 * units of their jurisdiction; a professional person itself. ID numbers and mobiles are
 * personal data: masked in lists, whole on the detail only with 查看完整证件号.
 */
import type { Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';
import { anyOf, inJurisdiction, isPerson, ofOwnPerson } from '../../src/access/scopes.js';
import { personPersonalData } from '../../src/access/personal-data.js';

const view = ['stats.persons:view', 'hours_declare.declare:view'];
/** Whoever sees persons (a person itself; its unit, the HR departments above): their records, their yearly totals, their 学时证明. */
export const seesPersons = (p: Principal) => isPerson(p) || p.permissions.some((c) => view.includes(c));

export const personsPolicy: Policy = {
  id: 'persons',
  table: 'persons',
  actions: {
    list: seesPersons,
    show: seesPersons,
    search: (p) => p.permissions.some((c) => view.includes(c)),
    edit: 'stats.persons:edit',
    resetPassword: 'stats.persons:reset_password',
    importPersons: 'stats.persons:import',
    // 导出 of the list (src/admin/list-export.ts): beyond the list's own right, 专技人员信息查询 · 导出.
    exportList: 'stats.persons:export',
    requestTitleChange: isPerson,
    yearTotals: seesPersons,
    // 打印学时证明 (issue 19, item 6): the person itself, its unit, the HR departments in scope.
    printHourProof: seesPersons,
    // 提醒设置 (issue 19.5): the person itself chooses whether year-end reminders reach it by e-mail / SMS.
    reminderOptions: isPerson,
  },
  scope: anyOf(inJurisdiction(), ofOwnPerson('id')),
  readable: ['id', 'id_number', 'name', 'gender', 'birth_date', 'unit_id', 'title_series', 'title_level', 'title', 'education', 'mobile', 'email', 'status', 'version', 'created_at', 'remind_email', 'remind_sms'],
  writable: { edit: ['mobile', 'email', 'education', 'version'] },
  personalData: personPersonalData,
};
