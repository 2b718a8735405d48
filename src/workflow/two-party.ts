/**
 * Two-party requests (人员调转, 更换上级部门): one approval task per side, each scoped to its
 * own jurisdiction. The request is approved when every side approved, rejected when any side
 * rejected; its effect runs once, in the transaction of the deciding task that completes it.
 *
 * The one place where work crosses jurisdictions: opening the other side's task, reading both
 * sides' states and carrying out the effect (a person moving from one county to another) run
 * as the platform (withinTransactionAs), after each side's own decision was made in its own
 * scope. Everything else of the request stays inside each side's row-level security.
 *
 * Concurrency: each decision locks the request row before it reads the sides, so of two sides
 * approving at the same moment the second one sees the first (READ COMMITTED takes a new
 * snapshot per statement) and carries out the effect; neither can miss it.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Principal } from '../access/principal.js';
import { platformPrincipal } from '../access/context.js';
import { withinTransactionAs } from '../access/wall.js';
import { auditMany } from '../services/audit.js';
import type { ReviewFlow, Row } from './decide.js';

export type RequestType = 'transfer' | 'superior_change';
const TABLE: Record<RequestType, string> = { transfer: 'transfers', superior_change: 'superior_changes' };

export interface TwoPartyEffect {
  /** Runs once, when the last side approves. */
  onApproved(sequelize: Sequelize, request: Row, p: Principal, transaction: Transaction): Promise<void>;
}

export function twoPartyFlow(sequelize: Sequelize, type: RequestType, effect: TwoPartyEffect): ReviewFlow {
  return {
    reviewed: 'approved,rejected,withdrawn',
    async effect(tasks, _decision, p, transaction) {
      const requestIds = [...new Set(tasks.map((t) => Number(t.request_id)))].sort((a, b) => a - b);
      await withinTransactionAs(sequelize, transaction, platformPrincipal('双方审核'), async () => {
        for (const requestId of requestIds) {
          const [request] = await sequelize.query<Row>(`SELECT * FROM ${TABLE[type]} WHERE id = :requestId FOR UPDATE`,
            { replacements: { requestId }, type: QueryTypes.SELECT, transaction });
          if (!request || request.status !== 'pending') continue;
          const sides = await sequelize.query<{ status: string }>(
            'SELECT status FROM approval_tasks WHERE request_type = :type AND request_id = :requestId',
            { replacements: { type, requestId }, type: QueryTypes.SELECT, transaction });
          let outcome: 'approved' | 'rejected' | null = null;
          if (sides.some((s) => s.status === 'rejected')) outcome = 'rejected';
          else if (sides.every((s) => s.status === 'approved')) outcome = 'approved';
          if (!outcome) continue;
          await sequelize.query(`UPDATE ${TABLE[type]} SET status = :outcome, updated_at = now() WHERE id = :requestId`,
            { replacements: { outcome, requestId }, transaction });
          if (outcome === 'rejected') {
            // The other side has nothing left to decide.
            await sequelize.query(`UPDATE approval_tasks SET status = 'withdrawn' WHERE request_type = :type AND request_id = :requestId AND status = 'pending'`,
              { replacements: { type, requestId }, transaction });
          } else {
            await effect.onApproved(sequelize, request, p, transaction);
          }
          await auditMany([{ actor: p, action: outcome === 'approved' ? 'complete' : 'reject', resource: TABLE[type], recordId: requestId,
            before: { status: 'pending' }, after: { status: outcome } }], transaction);
        }
      });
    },
  };
}

/** Opens a request's two approval tasks; the other side's lies outside the requester's jurisdiction. */
export async function openApprovalTasks(
  sequelize: Sequelize, type: RequestType, requestId: number,
  sides: { source: { organisationId: number; path: string }; target: { organisationId: number; path: string } },
  transaction: Transaction,
): Promise<void> {
  await withinTransactionAs(sequelize, transaction, platformPrincipal('开启双方审核'), () => sequelize.query(
    `INSERT INTO approval_tasks (request_type, request_id, side, organisation_id, org_path) VALUES
       (:type, :id, 'source', :from, :fromPath), (:type, :id, 'target', :to, :toPath)`,
    { replacements: { type, id: requestId, from: sides.source.organisationId, fromPath: sides.source.path, to: sides.target.organisationId, toPath: sides.target.path }, transaction },
  ));
}

/** Rewrites the jurisdiction path of a moved subtree (or of one person) in every table carrying it. */
export const PATH_COLUMNS: Array<[table: string, column: string]> = [
  ['admins', 'org_path'], ['roles', 'org_path'], ['persons', 'org_path'], ['registrations', 'org_path'],
  ['change_requests', 'org_path'], ['approval_tasks', 'org_path'], ['training_plans', 'org_path'],
  ['hour_declarations', 'org_path'], ['person_year_hours', 'org_path'], ['certificates', 'org_path'], ['hour_proofs', 'org_path'],
  ['export_jobs', 'org_path'], ['transfers', 'from_path'], ['transfers', 'to_path'],
];
