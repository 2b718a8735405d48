/**
 * Continuing-education hours: 学时申报记录 (4.2.2), 学时（分）审核 (4.3) and 学时审验 (4.4) are
 * three views of the hour declarations, each scoped to the jurisdiction. A CE base sees what
 * it declared on its trainees' behalf; a professional person sees its own.
 */
import { Op } from 'sequelize';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { anyOf, inJurisdiction, isPerson, ofOwnPerson } from '../../src/access/scopes.js';
import { channel, hourStatus, options as opts, subjectType } from '../../src/domain/labels.js';
import type { Principal } from '../../src/access/principal.js';
import { decisionAccess, decisionActions } from '../../actions/decide.js';
import { hourReviewFlow } from '../../src/workflow/flows.js';

const readable = ['id', 'person_id', 'unit_id', 'year', 'subject_type', 'compulsory', 'learning_form_id', 'channel', 'ce_base_id',
  'activity_name', 'details', 'declared_hours', 'approved_hours', 'key_review', 'status', 'reason', 'decided_by', 'decided_at', 'created_at'];

const ceBaseOwn = (p: Principal) => (p.kind === 'ce_base' ? [{ ce_base_id: p.organisationId }] : []);
const hrOrUnit = (p: Principal) => (p.kind === 'ce_base' ? [] : inJurisdiction()(p));

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
    },
    scope: anyOf(hrOrUnit, ceBaseOwn, ofOwnPerson()),
    readable,
    writable: {},
  },
  options: { navigation: nav.declare, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' }, listProperties, filterProperties, showProperties, properties },
});

export const hourReviewsResource = ({ HourDeclaration }: Models) => defineResource({
  id: 'hour_reviews',
  model: HourDeclaration,
  access: {
    actions: {
      list: 'hours_review.review:view', show: 'hours_review.review:view', delete: 'hours_review.review:delete',
      ...decisionAccess('hours_review.review:decide'),
    },
    scope: hrOrUnit,
    readable,
    writable: {},
  },
  scoped: { viewWhere: { status: { [Op.in]: ['pending', 'approved', 'rejected'] } } },
  options: {
    navigation: nav.review, titleProperty: 'activity_name', sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'compulsory', 'declared_hours', 'key_review', 'status', 'created_at'],
    filterProperties, showProperties, properties,
    actions: decisionActions(hourReviewFlow(HourDeclaration.sequelize!)),
  },
});

export const hourVerificationsResource = ({ HourDeclaration }: Models) => defineResource({
  id: 'hour_verifications',
  model: HourDeclaration,
  access: {
    actions: { list: 'hours_verify.verify:view', show: 'hours_verify.verify:view' },
    scope: inJurisdiction(),
    readable,
    writable: {},
  },
  scoped: { viewWhere: { status: { [Op.in]: ['approved', 'verification_failed'] } } },
  options: {
    navigation: nav.verify, titleProperty: 'activity_name', sort: { sortBy: 'decided_at', direction: 'desc' },
    listProperties: ['year', 'person_id', 'unit_id', 'learning_form_id', 'subject_type', 'declared_hours', 'approved_hours', 'status'],
    filterProperties, showProperties, properties,
  },
});
