/**
 * Continuing-education hours: 学时申报记录 (4.2.2), 学时（分）审核 (4.3) and 学时审验 (4.4) are
 * three views of the hour declarations, each scoped to the jurisdiction. A CE base sees what
 * it declared on its trainees' behalf; a professional person sees its own.
 */
import { Op, type WhereOptions } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { anyOf, hrWith, inJurisdiction, isPerson, ofOwnPerson, unitWith } from '../../src/access/scopes.js';
import { channel, hourStatus, options as opts, subjectType } from '../../src/domain/labels.js';
import type { Principal } from '../../src/access/principal.js';
import { decisionAccess, decisionActions, verificationActions } from '../../actions/decide.js';
import { hourReviewFlow, unitFirstReviewFlow, verificationFlow } from '../../src/workflow/flows.js';
import { declareHoursAction } from '../../actions/declare-hours.js';
import { importAction } from '../../actions/import.js';
import { learningForms } from '../../config/learning-forms.js';
import { Components } from '../../src/admin/components/index.js';

const readable = ['id', 'person_id', 'unit_id', 'year', 'subject_type', 'compulsory', 'learning_form_id', 'channel', 'ce_base_id',
  'activity_name', 'details', 'declared_hours', 'approved_hours', 'key_review', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'];

const ceBaseOwn = (p: Principal) => (p.kind === 'ce_base' ? [{ ce_base_id: p.organisationId }] : []);
const hrOrUnit = (p: Principal) => (p.kind === 'ce_base' ? [] : inJurisdiction()(p));

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
  details: { components: { show: Components.LearningDetails }, custom: { labels: detailLabels } },
};
const listProperties = ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'declared_hours', 'status', 'created_at'];
const filterProperties = ['year', 'person_id', 'subject_type', 'learning_form_id', 'unit_id', 'ce_base_id', 'key_review', 'status'];
const showProperties = ['year', 'person_id', 'unit_id', 'subject_type', 'compulsory', 'learning_form_id', 'channel', 'ce_base_id', 'activity_name',
  'details', 'declared_hours', 'approved_hours', 'key_review', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'];

export const hourDeclarationsResource = ({ HourDeclaration }: Models) => defineResource({
  id: 'hour_declarations',
  model: HourDeclaration,
  access: {
    actions: {
      list: (p) => isPerson(p) || p.permissions.includes('hours_declare.declare:view'),
      show: (p) => isPerson(p) || p.permissions.includes('hours_declare.declare:view'),
      declareHours: (p) => isPerson(p) || p.permissions.includes('hours_declare.declare:create'),
      importHours: 'hours_declare.declare:import',
    },
    scope: anyOf(hrOrUnit, ceBaseOwn, ofOwnPerson()),
    readable,
    writable: {},
  },
  options: {
    navigation: nav.declare, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' }, listProperties, filterProperties, showProperties, properties,
    actions: { declareHours: declareHoursAction, importHours: importAction('hours') },
  },
});

/** The HR department's review lists (4.3): persons' (and units', HR's) declarations, and CE bases' on behalf of trainees. */
const hrReviewList = (id: string, channelWhere: WhereOptions, extraList: string[] = []) => ({ HourDeclaration }: Models) => defineResource({
  id,
  model: HourDeclaration,
  access: {
    actions: {
      list: hrWith('hours_review.review:view'), show: hrWith('hours_review.review:view'), delete: hrWith('hours_review.review:delete'),
      ...Object.fromEntries(Object.keys(decisionAccess('')).map((a) => [a, hrWith('hours_review.review:decide')])),
    },
    scope: inJurisdiction(),
    readable,
    writable: {},
  },
  scoped: { viewWhere: { [Op.and]: [{ status: { [Op.in]: ['pending', 'approved', 'rejected'] } }, channelWhere] } },
  options: {
    navigation: nav.review, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', ...extraList, 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'compulsory', 'declared_hours', 'key_review', 'status', 'created_at'],
    filterProperties, showProperties, properties,
    actions: decisionActions(hourReviewFlow(HourDeclaration.sequelize!)),
  },
});

export const hourReviewsResource = hrReviewList('hour_reviews', { channel: { [Op.ne]: 'ce_base' } });
export const ceBaseHourReviewsResource = hrReviewList('ce_base_hour_reviews', { channel: 'ce_base' }, ['ce_base_id', 'activity_name']);

/** 单位初审: a unit admin reviews its staff's own declarations before the HR department sees them. */
export const unitFirstReviewsResource = ({ HourDeclaration }: Models) => defineResource({
  id: 'unit_first_reviews',
  model: HourDeclaration,
  access: {
    actions: {
      list: unitWith('hours_review.review:view'), show: unitWith('hours_review.review:view'),
      ...Object.fromEntries(Object.keys(decisionAccess('')).map((a) => [a, unitWith('hours_review.review:decide')])),
    },
    scope: inJurisdiction(),
    readable,
    writable: {},
  },
  scoped: { viewWhere: { channel: 'person', status: { [Op.in]: ['pending_unit', 'pending', 'approved', 'rejected'] } } },
  options: {
    navigation: nav.review, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', 'person_id', 'learning_form_id', 'subject_type', 'declared_hours', 'status', 'created_at'],
    filterProperties, showProperties, properties,
    actions: decisionActions(unitFirstReviewFlow),
  },
});

export const hourVerificationsResource = ({ HourDeclaration }: Models) => defineResource({
  id: 'hour_verifications',
  model: HourDeclaration,
  access: {
    actions: {
      list: 'hours_verify.verify:view', show: 'hours_verify.verify:view',
      verificationFail: 'hours_verify.verify:decide', bulkVerificationFail: 'hours_verify.verify:decide',
    },
    scope: inJurisdiction(),
    readable,
    writable: {},
  },
  scoped: { viewWhere: { status: { [Op.in]: ['approved', 'verification_failed'] } } },
  options: {
    navigation: nav.verify, titleProperty: 'activity_name', sort: { sortBy: 'decided_at', direction: 'desc' },
    listProperties: ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'declared_hours', 'approved_hours', 'status'],
    filterProperties, showProperties, properties,
    actions: verificationActions(verificationFlow(HourDeclaration.sequelize!)),
  },
});
