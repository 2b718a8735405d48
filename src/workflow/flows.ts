/**
 * What each decision does besides changing the request's status — always in the decision's
 * transaction. Where is a registration approved? `registrationFlow` below; the action that
 * triggers it is actions/decide.ts; the list the reviewer sees is resources/requests.
 */
import { Sequelize as SequelizeStatic, type Sequelize } from 'sequelize';
import type { ReviewFlow, Row } from './decide.js';

const ids = (rows: Row[], key: string) => [...new Set(rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined))] as number[];

/** 注册审核: approval activates the organisation (and its admins' accounts) or the person. */
export function registrationFlow(sequelize: Sequelize): ReviewFlow {
  return {
    async effect(rows, decision, _p, transaction) {
      const status = decision === 'approve' ? 'active' : 'rejected';
      const orgs = ids(rows, 'organisation_id');
      const persons = ids(rows, 'person_id');
      const q = (sql: string, replacements: Record<string, unknown>) => sequelize.query(sql, { replacements, transaction });
      if (orgs.length) {
        await q("UPDATE organisations SET status = :status, updated_at = now() WHERE id IN (:orgs) AND status = 'pending'", { status, orgs });
        await q("UPDATE accounts SET status = :status, updated_at = now() WHERE status = 'pending' AND id IN (SELECT account_id FROM admins WHERE organisation_id IN (:orgs))", { status, orgs });
      }
      if (persons.length) {
        await q("UPDATE persons SET status = :status, updated_at = now() WHERE id IN (:persons) AND status = 'pending'", { status, persons });
        await q("UPDATE accounts SET status = :status, updated_at = now() WHERE status = 'pending' AND id IN (SELECT account_id FROM persons WHERE id IN (:persons))", { status, persons });
      }
    },
  };
}

/** Fields a change request may change, per kind; anything else in new_values is ignored. */
export const CHANGEABLE: Record<string, string[]> = {
  person_title: ['title_series', 'title_level', 'title'],
  organisation_info: ['name', 'credit_code', 'contact_name', 'mobile', 'phone', 'email', 'address'],
};

/** 变更审核: an approved change is applied in the same transaction as the decision. */
export function changeRequestFlow(sequelize: Sequelize): ReviewFlow {
  return {
    async effect(rows, decision, _p, transaction) {
      if (decision !== 'approve') return;
      for (const r of rows) {
        const changes = Object.fromEntries(Object.entries((r.new_values ?? {}) as Record<string, unknown>)
          .filter(([k]) => CHANGEABLE[String(r.kind)]?.includes(k)));
        if (!Object.keys(changes).length) continue;
        const [table, id] = r.kind === 'person_title' ? ['persons', r.person_id] : ['organisations', r.organisation_id];
        const sets = Object.keys(changes).map((k) => `${k} = :${k}`).join(', ');
        await sequelize.query(`UPDATE ${table} SET ${sets}, version = version + 1, updated_at = now() WHERE id = :id`,
          { replacements: { ...changes, id }, transaction });
      }
    },
  };
}

export const trainingPlanFlow: ReviewFlow = {};

/**
 * 学时审核: approval counts the declared hours (capped by the catalog at declaration). The
 * person's yearly totals follow in the same transaction: the database's trigger recomputes
 * every person-year whose approved hours a statement changed (migration 009), so no decision
 * path can forget them or race another into a stale sum.
 */
export function hourReviewFlow(_sequelize?: Sequelize): ReviewFlow {
  return {
    onApprove: { approved_hours: SequelizeStatic.col('declared_hours') },
  };
}

/**
 * 学时审验: approved hours checked again; "verification failed" (审验不通过) withdraws them from
 * the person's totals (the same trigger). The record and its approved hours are kept, and so is
 * the first decision (its opinion, reviewer and time): the verification is its own step, written
 * to its own columns (who, when, why — migration 011) and audited as verification_fail.
 */
export function verificationFlow(_sequelize?: Sequelize): ReviewFlow {
  return {
    pending: ['approved'],
    rejectedStatus: 'verification_failed',
    reviewed: 'verification_failed',
    columns: { reason: 'verification_reason', by: 'verified_by', at: 'verified_at' },
    rejectLabel: '审验不通过',
    rejectAudit: 'verification_fail',
  };
}

/** 单位初审: the unit forwards its staff's own declarations to the HR department, or rejects them. */
export const unitFirstReviewFlow: ReviewFlow = {
  pending: ['pending_unit'],
  approvedStatus: () => 'pending',
  reviewed: 'pending,approved,rejected',
};
