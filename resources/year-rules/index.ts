/**
 * 系统管理 → 年度学时要求 / 学习形式年度规则 / 重点审核规则 (issue 18.5): the rules of a year as
 * data the provincial super admin adds, each from a year on, with who entered it, when, and its
 * source. The list is the history. Saving a yearly requirement or a learning-form rule enqueues,
 * in the same transaction, a recompute job (重算任务, migration 018) for every yearly total it
 * can change; the worker recomputes them with progress (src/jobs/recompute.ts) — in inline mode
 * this process, right after the commit.
 */
import type { ActionResponse } from 'adminjs';
import { QueryTypes } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { Components } from '../../src/admin/components/index.js';
import { conversionMethod } from '../../src/domain/labels.js';
import { ValidationFailed } from '../../src/domain/errors.js';
import { checkConversion } from '../../src/domain/learning-form-rules.js';
import { finishRuleInput, formRuleCaps, keyReviewRuleInput, yearlyRequirementInput } from '../../src/domain/year-rules.js';
import { keyReviewRulesPolicy, learningFormRulesPolicy, yearlyRequirementsPolicy } from './policy.js';
import { startRecomputeJobs } from '../../src/jobs/recompute.js';
import type { Transaction } from 'sequelize';

/** Inline mode: the recompute job the rule's trigger enqueued runs once the rule has committed. */
const recomputeAfterCommit = (transaction: Transaction, sequelize: import('sequelize').Sequelize) =>
  transaction.afterCommit(() => startRecomputeJobs(sequelize));

const historyProperties = {
  created_by: { reference: 'accounts', isVisible: { list: true, show: true, edit: false, filter: false } },
  created_at: { isVisible: { list: true, show: true, edit: false, filter: false } },
  source: { type: 'textarea' as const },
};

export const yearlyRequirementsResource = ({ YearlyRequirement, Organisation }: Models) => defineResource({
  policy: yearlyRequirementsPolicy,
  model: YearlyRequirement,
  scoped: {
    async prepareCreate(values, p, transaction) {
      const v = yearlyRequirementInput(values);
      if (v.region_code) {
        const [known] = await Organisation.sequelize!.query(
          "SELECT 1 FROM organisations WHERE region_code = :c AND kind IN ('city_hr', 'county_hr') LIMIT 1",
          { replacements: { c: v.region_code }, type: QueryTypes.SELECT, transaction });
        if (!known) throw new ValidationFailed({ region_code: { message: '没有使用该行政区划代码的市或县（区）人社部门' } }, '年度学时要求有误，未保存');
      }
      recomputeAfterCommit(transaction, Organisation.sequelize!);
      return { ...v, created_by: p.accountId };
    },
  },
  options: {
    navigation: nav.system,
    sort: { sortBy: 'effective_year', direction: 'desc' },
    listProperties: ['effective_year', 'region_code', 'total_hours', 'public_hours', 'professional_hours', 'created_by', 'created_at'],
    showProperties: ['effective_year', 'region_code', 'total_hours', 'public_hours', 'professional_hours', 'source', 'created_by', 'created_at'],
    editProperties: ['effective_year', 'region_code', 'total_hours', 'public_hours', 'professional_hours', 'source'],
    filterProperties: ['effective_year', 'region_code'],
    properties: { ...historyProperties },
  },
});

export const learningFormRulesResource = ({ LearningFormRule, LearningForm }: Models) => defineResource({
  policy: learningFormRulesPolicy,
  model: LearningFormRule,
  scoped: {
    async prepareCreate(values, p, transaction) {
      const errors: Record<string, { message: string }> = {};
      const caps = formRuleCaps(values, errors);
      const form = await LearningForm.findByPk(Number(values.learning_form_id) || 0, { raw: true, transaction }) as unknown as
        { id: number; fields: unknown; conversion: unknown } | null;
      if (!form) errors.learning_form_id = { message: '请选择学习形式' };
      // The conversion: as entered, or else the form's newest rule's (a rule that changes only a cap).
      let conversion: unknown = form?.conversion;
      const text = String(values.conversion_json ?? '').trim();
      if (text.length > 5000) errors.conversion_json = { message: '折算规则过长（不能超过5000个字符）' };
      else if (text) {
        try { conversion = JSON.parse(text); } catch { errors.conversion_json = { message: '折算规则格式不正确（应为合法的 JSON）' }; }
      }
      if (form && !errors.conversion_json) {
        const why = checkConversion(conversion as never, form.fields as never);
        if (why) errors.conversion_json = { message: why };
      }
      finishRuleInput(errors, null, '学习形式年度规则');
      recomputeAfterCommit(transaction, LearningForm.sequelize!);
      return { ...caps, learning_form_id: form!.id, conversion, created_by: p.accountId };
    },
  },
  options: {
    navigation: nav.system,
    sort: { sortBy: 'effective_year', direction: 'desc' },
    listProperties: ['learning_form_id', 'effective_year', 'cap_per_activity', 'cap_per_year', 'conversion', 'created_by', 'created_at'],
    showProperties: ['learning_form_id', 'effective_year', 'cap_per_activity', 'cap_per_year', 'conversion', 'source', 'created_by', 'created_at'],
    editProperties: ['learning_form_id', 'effective_year', 'cap_per_activity', 'cap_per_year', 'conversion_json', 'source'],
    filterProperties: ['learning_form_id', 'effective_year'],
    actions: {
      // The conversion names the form's fields (inventor_rank …): the rule's page shows them by the
      // form's own labels (发明人排序), as the form's page does — the language walk found the key.
      show: {
        after: async (response: ActionResponse) => {
          const params = (response.record as { params?: Record<string, unknown> } | undefined)?.params;
          const form = params ? await LearningForm.findByPk(Number(params.learning_form_id) || 0, { attributes: ['fields'], raw: true }) as unknown as { fields?: unknown } | null : null;
          if (params && Array.isArray(form?.fields)) {
            (form!.fields as Array<Record<string, unknown>>).forEach((f, i) => {
              for (const k of ['key', 'label', 'unit']) if (f[k] !== undefined) params[`fields.${i}.${k}`] = f[k];
            });
          }
          return response;
        },
      },
    },
    properties: {
      ...historyProperties,
      learning_form_id: { reference: 'learning_forms' },
      conversion: { components: { show: Components.LearningFormRules, list: Components.LearningFormRules }, custom: { methods: conversionMethod } },
      conversion_json: { type: 'textarea', components: { edit: Components.JsonEdit } },
    },
  },
});

export const keyReviewRulesResource = ({ KeyReviewRule }: Models) => defineResource({
  policy: keyReviewRulesPolicy,
  model: KeyReviewRule,
  scoped: { prepareCreate: async (values, p) => ({ ...keyReviewRuleInput(values), created_by: p.accountId }) },
  options: {
    navigation: nav.system,
    sort: { sortBy: 'effective_year', direction: 'desc' },
    listProperties: ['effective_year', 'above_hours', 'source', 'created_by', 'created_at'],
    showProperties: ['effective_year', 'above_hours', 'source', 'created_by', 'created_at'],
    editProperties: ['effective_year', 'above_hours', 'source'],
    properties: { ...historyProperties },
  },
});
