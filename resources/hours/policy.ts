/**
 * Who may do what on hour declarations, in each of their views: 学时申报记录 (4.2.2), the HR
 * department's review lists (4.3), the unit's first-level review and 学时审验 (4.4). Each view
 * is scoped to the jurisdiction; a CE base sees what it declared on its trainees' behalf; a
 * professional person sees its own.
 */
import { decisionAccess, type Conditions, type Policy } from '../../src/access/policy.js';
import type { Principal } from '../../src/access/principal.js';
import { anyOf, hrWith, inJurisdiction, isPerson, ofOwnPerson, unitWith } from '../../src/access/scopes.js';

export const hourDeclarationReadable = ['id', 'person_id', 'unit_id', 'year', 'subject_type', 'compulsory', 'learning_form_id', 'channel', 'ce_base_id',
  'activity_name', 'details', 'declared_hours', 'approved_hours', 'key_review', 'status', 'reason', 'decided_by', 'decided_at',
  'verification_reason', 'verified_by', 'verified_at', 'created_at', 'source',
  // The proof's name and type (migration 017); its bytes only through /admin/files/<resource>/<id>.
  'evidence_name', 'evidence_kind'];

const ceBaseOwn = (p: Principal) => (p.kind === 'ce_base' ? [{ ce_base_id: p.organisationId }] : []);
const hrOrUnit = (p: Principal) => (p.kind === 'ce_base' ? [] : inJurisdiction()(p));

export const hourDeclarationsPolicy: Policy = {
  id: 'hour_declarations',
  table: 'hour_declarations',
  actions: {
    list: (p) => isPerson(p) || p.permissions.includes('hours_declare.declare:view'),
    show: (p) => isPerson(p) || p.permissions.includes('hours_declare.declare:view'),
    declareHours: (p) => isPerson(p) || p.permissions.includes('hours_declare.declare:create'),
    importHours: 'hours_declare.declare:import',
  },
  scope: anyOf(hrOrUnit, ceBaseOwn, ofOwnPerson()),
  readable: hourDeclarationReadable,
  writable: {},
};

/** The HR department's review lists (4.3): persons' (and units', HR's) declarations, and CE bases' on behalf of trainees. */
const hrReviewPolicy = (id: string, channel: Conditions): Policy => ({
  id,
  table: 'hour_declarations',
  actions: {
    list: hrWith('hours_review.review:view'), show: hrWith('hours_review.review:view'), delete: hrWith('hours_review.review:delete'),
    ...decisionAccess(hrWith('hours_review.review:decide')),
  },
  scope: inJurisdiction(),
  view: { status: { $in: ['pending', 'approved', 'rejected'] }, ...channel },
  readable: hourDeclarationReadable,
  writable: {},
});

export const hourReviewsPolicy = hrReviewPolicy('hour_reviews', { channel: { $ne: 'ce_base' } });
export const ceBaseHourReviewsPolicy = hrReviewPolicy('ce_base_hour_reviews', { channel: 'ce_base' });

/** 单位初审: a unit admin reviews its staff's own declarations before the HR department sees them. */
export const unitFirstReviewsPolicy: Policy = {
  id: 'unit_first_reviews',
  table: 'hour_declarations',
  actions: {
    list: unitWith('hours_review.review:view'), show: unitWith('hours_review.review:view'),
    ...decisionAccess(unitWith('hours_review.review:decide')),
  },
  scope: inJurisdiction(),
  view: { channel: 'person', status: { $in: ['pending_unit', 'pending', 'approved', 'rejected'] } },
  readable: hourDeclarationReadable,
  writable: {},
};

export const hourVerificationsPolicy: Policy = {
  id: 'hour_verifications',
  table: 'hour_declarations',
  actions: {
    list: 'hours_verify.verify:view', show: 'hours_verify.verify:view',
    verificationFail: 'hours_verify.verify:decide', bulkVerificationFail: 'hours_verify.verify:decide',
  },
  scope: inJurisdiction(),
  view: { status: { $in: ['approved', 'verification_failed'] } },
  readable: hourDeclarationReadable,
  writable: {},
};
