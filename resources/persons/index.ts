/**
 * 专技人员信息查询 (manual 4.5.4): professional persons in the jurisdiction. ID numbers are
 * masked in lists and shown whole on the detail view only with the permission to see them.
 * A professional person sees itself.
 */
import { textFilterProperty, unitTextFilter } from '../../src/admin/text-filters.js';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { personsPolicy } from './policy.js';
import { education, gender, options as opts, personStatus, titleLevel } from '../../src/domain/labels.js';
import { validateFields } from '../../hooks/validate-fields.js';
import { requestChangeAction } from '../../actions/request-change.js';
import { levelsOf, titleLevelLabel, titleSeries, titlesAt } from '../../config/title-series.js';
import { REQUIREMENT_COLUMNS, requirementFromRow } from '../../src/services/requirements.js';
import { Components } from '../../src/admin/components/index.js';
import { Op, QueryTypes, literal } from 'sequelize';
import type { ActionContext, ActionRequest } from 'adminjs';
import { ANY_VALUE, principalOf } from '../../src/admin/scoped-resource.js';
import { bodyOf, isPost, sequelizeOf } from '../../actions/request-data.js';
import { importAction } from '../../actions/import.js';
import { printHourProofAction } from '../../actions/print-certificates.js';
import { resetPersonPassword } from '../../src/services/person-accounts.js';
import { audit } from '../../src/services/audit.js';
import { statisticsYears } from '../../src/services/statistics.js';
import { reminderOptionsOf, setReminderOptions } from '../../src/services/reminders.js';
import { AccessDenied, PlatformError } from '../../src/domain/errors.js';

/** 完成情况 filter: '2025:completed' | '2025:partly' | '2025:none' for the last five years. */
const COMPLETION_STATES = { completed: '已完成', partly: '部分完成', none: '未开始' } as const;
const completionOptions = () => statisticsYears().flatMap((y) => Object.entries(COMPLETION_STATES).map(([state, label]) => ({ value: `${y}:${state}`, label: `${y}年度${label}` })));
function completionWhere(value: string) {
  const m = /^(\d{4}):(completed|partly|none)$/.exec(value);
  if (!m || !statisticsYears().includes(Number(m[1]))) return null;
  const year = Number(m[1]);
  const done = `SELECT person_id FROM person_year_hours WHERE year = ${year}`;
  if (m[2] === 'completed') return { id: { [Op.in]: literal(`(${done} AND completed)`) } };
  if (m[2] === 'partly') return { id: { [Op.in]: literal(`(${done} AND NOT completed AND total_hours > 0)`) } };
  return { id: { [Op.notIn]: literal(`(${done} AND total_hours > 0)`) } };
}

/**
 * The person list counts whom the statistics count (issue 17, item 8): 6,878 persons in the list
 * against 6,875 in 继教综合统计 (1,375 against 1,372 未开始), because the list also held the pending,
 * rejected and disabled persons — without a column saying so — while the statistics (stat_persons,
 * stat_completion, migration 007) count active persons only. The list now opens on 在册 (active)
 * persons and shows each one's status; 全部状态 shows everyone.
 */
export const ANY_STATUS = ANY_VALUE;

export const personsResource = ({ Person }: Models) => defineResource({
  policy: personsPolicy,
  model: Person,
  scoped: {
    prepareUpdate: async (values, current) => validateFields(values, [], current),
    virtualFilters: { completion: completionWhere, ...unitTextFilter(Person.sequelize!) },
    defaultFilters: { status: 'active' },
    // Pages 6 on of a county's persons by name: keys from the scope index first (see ScopedResourceOptions).
    keysFirstFrom: 100,
  },
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'name', direction: 'asc' },
    listProperties: ['name', 'id_number', 'gender', 'unit_id', 'title_series', 'title_level', 'title', 'status'],
    filterProperties: ['name', 'id_number', 'unit_name', 'title_series', 'title_level', 'completion', 'education', 'status'],
    showProperties: ['name', 'id_number', 'gender', 'birth_date', 'unit_id', 'title_series', 'title_level', 'title', 'education', 'mobile', 'email', 'status', 'remind_email', 'remind_sms', 'year_totals', 'created_at'],
    editProperties: ['mobile', 'email', 'education'],
    actions: {
      // 年度学时: read by the show page's table (through the same scope as the record).
      yearTotals: {
        actionType: 'record', isVisible: false, component: false,
        async handler(_request: unknown, _res: unknown, context: ActionContext) {
          const id = Number(context.record!.id());
          const years = await Person.sequelize!.query<{ year: number; public_hours: string; professional_hours: string; total_hours: string; completed: boolean;
            required_total: string | null; required_public: string | null; required_professional: string | null }>(
            `SELECT y.year, y.public_hours, y.professional_hours, y.total_hours, y.completed, ${REQUIREMENT_COLUMNS}
               FROM person_year_hours y JOIN persons p ON p.id = y.person_id JOIN organisations o ON o.id = p.unit_id
               LEFT JOIN LATERAL ce_requirement(y.year, o.region_code) r ON true
              WHERE y.person_id = :id ORDER BY y.year DESC`, { replacements: { id }, type: QueryTypes.SELECT });
          return {
            record: context.record!.toJSON(context.currentAdmin),
            years: years.map(({ required_total, required_public, required_professional, ...y }) => ({ ...y, required: requirementFromRow({ required_total, required_public, required_professional }) })),
          };
        },
      },
      // 重置密码: a one-time password shown once to the admin; the person must change it at login.
      resetPassword: {
        actionType: 'record', icon: 'Key', component: Components.ResetPassword,
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const record = context.record!.toJSON(context.currentAdmin);
          if (!isPost(request)) return { record };
          const p = principalOf(context);
          const sequelize = sequelizeOf(context);
          const personId = Number(context.record!.id());
          const { password, accountId, created } = await sequelize.transaction(async (transaction) => {
            const r = await resetPersonPassword(sequelize, personId, transaction);
            await audit({ actor: p, action: 'reset_password', resource: 'persons', recordId: personId, orgPath: r.orgPath, after: { accountId: r.accountId, accountCreated: r.created } }, transaction);
            return r;
          });
          return { record, oneTimePassword: password, accountId, created, notice: { message: created ? '已为该人员开通账号并生成临时密码' : '密码已重置为临时密码', type: 'success' } };
        },
      },
      // 打印学时证明 (issue 19, item 6): a span of years, at most ten, none in the future.
      printHourProof: printHourProofAction,
      // 提醒设置: the person's own choice of year-end reminder channels (its own record only: the
      // policy gives the action to persons, whose scope is their own row; the UPDATE repeats it).
      reminderOptions: {
        actionType: 'record', icon: 'Bell', component: Components.ReminderOptions,
        async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
          const sequelize = sequelizeOf(context);
          const personId = Number(context.record!.id());
          if (isPost(request)) {
            const body = bodyOf(request);
            const yes = (k: string) => {
              const v = String(body[k] ?? '').trim();
              if (v !== 'true' && v !== 'false') throw new PlatformError('提醒设置有误：请选择“接收”或“不接收”');
              return v === 'true';
            };
            const v = { remind_email: yes('remind_email'), remind_sms: yes('remind_sms') };
            if (!await setReminderOptions(sequelize, personId, v)) throw new AccessDenied('只能修改本人的提醒设置');
            await audit({ actor: principalOf(context), action: 'reminder_options', resource: 'persons', recordId: personId, orgPath: String(context.record!.params.org_path ?? ''), after: v });
          }
          const options = await reminderOptionsOf(sequelize, personId);
          return {
            record: context.record!.toJSON(context.currentAdmin), options,
            ...(isPost(request) ? { notice: { message: '提醒设置已保存', type: 'success' } } : {}),
          };
        },
      },
      // 批量导入: persons from the template through the same two-phase import as hours.
      importPersons: importAction('persons'),
      // 专业技术职务变更: the person asks; the HR department reviews it (变更审核).
      // The levels offered follow the series, the titles its series and level (卫生技术 · 中级: 主治医师（医疗）, 主管护师（护理）…).
      requestTitleChange: requestChangeAction('person_title', [
        { key: 'title_series', label: '专业技术职务系列', type: 'select', options: titleSeries.map((x) => ({ value: x.name, label: x.name })) },
        { key: 'title_level', label: '职称级别', type: 'select', options: titleSeries.flatMap((x) => levelsOf(x.name).map((l) => ({ value: l, label: titleLevelLabel(l)!, when: { title_series: x.name } }))) },
        { key: 'title', label: '专业技术职务任职资格', type: 'select', options: titleSeries.flatMap((x) => levelsOf(x.name).flatMap((l) => titlesAt(x.name, l).map((t) => ({
          value: t.title, label: x.tracks.length > 1 ? `${t.title}（${t.track}）` : t.title, when: { title_series: x.name, title_level: l } })))) },
      ]),
    },
    properties: {
      gender: { availableValues: opts(gender) },
      title_level: { availableValues: opts(titleLevel) },
      education: { availableValues: opts(education) },
      status: { availableValues: [...opts(personStatus), { value: ANY_STATUS, label: '全部状态（含待审核、已驳回、已停用）' }] },
      unit_id: { reference: 'organisations' },
      unit_name: textFilterProperty,
      completion: { type: 'string', availableValues: completionOptions(), isVisible: { list: false, show: false, edit: false, filter: true } },
      // The lost-update check's version travels with the record's params, unseen (not a field to show: issue 17).
      version: { isVisible: false },
      year_totals: { isVisible: { list: false, show: true, filter: false, edit: false }, components: { show: Components.YearTotals } },
    },
  },
});
