/**
 * Continuing-education hours: 学时申报记录 (4.2.2), 学时（分）审核 (4.3) and 学时审验 (4.4) are
 * three views of the hour declarations, each scoped to the jurisdiction. A CE base sees what
 * it declared on its trainees' behalf; a professional person sees its own.
 */
import type { Models } from '../../src/db/models.js';
import type { Policy } from '../../src/access/policy.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { channel, hourStatus, options as opts, subjectType } from '../../src/domain/labels.js';
import { decisionActions, verificationActions } from '../../actions/decide.js';
import { hourReviewFlow, unitFirstReviewFlow, verificationFlow } from '../../src/workflow/flows.js';
import { declareHoursAction } from '../../actions/declare-hours.js';
import { importAction } from '../../actions/import.js';
import { learningForms } from '../../config/learning-forms.js';
import { Components } from '../../src/admin/components/index.js';
import { personTextFilters, textFilterProperties, unitTextFilter } from '../../src/admin/text-filters.js';
import type { AnyModel } from '../../src/db/models.js';
import {
  ceBaseHourReviewsPolicy, hourDeclarationsPolicy, hourReviewsPolicy, hourVerificationsPolicy, unitFirstReviewsPolicy,
} from './policy.js';

/** The learning forms' field labels (the first form's wording where forms differ), for 学习信息. */
const detailLabels: Record<string, string> = { activity_name: '学习项目名称' };
for (const f of learningForms.flatMap((form) => form.fields)) detailLabels[f.key] ??= f.label;
detailLabels.evidence = '证明材料';

const properties = {
  year: { type: 'number' as const },
  subject_type: { availableValues: opts(subjectType) },
  channel: { availableValues: opts(channel) },
  status: { availableValues: opts(hourStatus) },
  person_id: { reference: 'persons' },
  unit_id: { reference: 'organisations' },
  ce_base_id: { reference: 'organisations' },
  learning_form_id: { reference: 'learning_forms' },
  decided_by: { reference: 'accounts' },
  verified_by: { reference: 'accounts' },
  details: { components: { show: Components.LearningDetails }, custom: { labels: detailLabels } },
  ...textFilterProperties(['person_name', 'person_id_number', 'unit_name']),
  // The proof itself (issue 17): previewed on the detail, 查看 in one click from each review list.
  evidence_kind: { components: { show: Components.EvidencePreview, list: Components.EvidencePreview }, custom: { name: 'evidence_name', reference: 'details.evidence' }, isSortable: false },
};
/** The confirmations name the person and the activity: "通过 张三 的学时申报「…」？". */
const hourWording = { one: '{person_id} 的学时申报「{title}」', many: '学时申报' };
/** 姓名 / 身份证号 / 工作单位 are typed fragments (contains), not pick-one dropdowns (issue 17, item 3). */
const scoped = (model: AnyModel) => ({ virtualFilters: { ...personTextFilters(model.sequelize!), ...unitTextFilter(model.sequelize!) } });
const listProperties = ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'declared_hours', 'status', 'created_at'];
const filterProperties = ['year', 'person_name', 'person_id_number', 'unit_name', 'subject_type', 'learning_form_id', 'ce_base_id', 'key_review', 'status', 'source'];
const showProperties = ['year', 'person_id', 'unit_id', 'subject_type', 'compulsory', 'learning_form_id', 'channel', 'source', 'ce_base_id', 'activity_name',
  'details', 'evidence_kind', 'declared_hours', 'approved_hours', 'key_review', 'status', 'reason', 'decided_by', 'decided_at',
  // 学时审验, a step of its own after the decision: the first decision above stays as it was.
  'verification_reason', 'verified_by', 'verified_at', 'created_at'];

export const hourDeclarationsResource = ({ HourDeclaration }: Models) => defineResource({
  policy: hourDeclarationsPolicy,
  model: HourDeclaration,
  scoped: scoped(HourDeclaration),
  options: {
    navigation: nav.declare, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' }, listProperties, filterProperties, showProperties, properties,
    actions: { declareHours: declareHoursAction, importHours: importAction('hours') },
  },
});

/** The HR department's review lists (4.3): persons' (and units', HR's) declarations, and CE bases' on behalf of trainees. */
const hrReviewList = (policy: Policy, extraList: string[] = []) => ({ HourDeclaration }: Models) => defineResource({
  policy,
  model: HourDeclaration,
  scoped: scoped(HourDeclaration),
  options: {
    navigation: nav.review, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' },
    // At 1366 px (issue 17, item 2): 必修/选修 is on the detail; a CE base's list names the base and
    // the activity instead of the trainee's unit and the subject.
    listProperties: extraList.length ? ['year', ...extraList, 'person_id', 'learning_form_id', 'declared_hours', 'key_review', 'evidence_kind', 'status', 'created_at']
      : ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'declared_hours', 'key_review', 'evidence_kind', 'status', 'created_at'],
    filterProperties, showProperties, properties,
    actions: decisionActions(hourReviewFlow(HourDeclaration.sequelize!), hourWording),
  },
});

export const hourReviewsResource = hrReviewList(hourReviewsPolicy);
export const ceBaseHourReviewsResource = hrReviewList(ceBaseHourReviewsPolicy, ['ce_base_id', 'activity_name']);

/** 单位初审: a unit admin reviews its staff's own declarations before the HR department sees them. */
export const unitFirstReviewsResource = ({ HourDeclaration }: Models) => defineResource({
  policy: unitFirstReviewsPolicy,
  model: HourDeclaration,
  scoped: scoped(HourDeclaration),
  options: {
    navigation: nav.review, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', 'person_id', 'learning_form_id', 'subject_type', 'declared_hours', 'evidence_kind', 'status', 'created_at'],
    filterProperties, showProperties, properties,
    actions: decisionActions(unitFirstReviewFlow, hourWording),
  },
});

export const hourVerificationsResource = ({ HourDeclaration }: Models) => defineResource({
  policy: hourVerificationsPolicy,
  model: HourDeclaration,
  scoped: scoped(HourDeclaration),
  options: {
    navigation: nav.verify, titleProperty: 'activity_name', sort: { sortBy: 'decided_at', direction: 'desc' },
    listProperties: ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'declared_hours', 'approved_hours', 'evidence_kind', 'status'],
    filterProperties, showProperties, properties,
    actions: verificationActions(verificationFlow(HourDeclaration.sequelize!), { one: '{person_id} 的学时「{title}」', many: '学时' }),
  },
});
