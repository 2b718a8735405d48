/**
 * Who may see the recompute jobs (重算任务, issue 18.5): the yearly totals a new rule of the year
 * changes, recomputed by the worker with progress. The jobs are province-wide (their path is the
 * province's), so the provincial admins who read the rules of the year (`system.year_rules:view`)
 * see them; nobody creates, edits or deletes one in the panel — a rule's trigger enqueues it and
 * the worker advances it (the database grants the application no INSERT or DELETE, migration 018).
 */
import type { Policy } from '../../src/access/policy.js';
import { inJurisdiction } from '../../src/access/scopes.js';

export const recomputeJobsPolicy: Policy = {
  id: 'recompute_jobs',
  table: 'recompute_jobs',
  actions: { list: 'system.year_rules:view', show: 'system.year_rules:view' },
  scope: inJurisdiction(),
  readable: ['id', 'kind', 'rule_id', 'learning_form_id', 'from_year', 'region_code', 'status', 'total', 'done_count', 'cursor_person_id',
    'attempts', 'error', 'superseded_by', 'created_by', 'created_at', 'started_at', 'finished_at', 'heartbeat_at'],
  writable: {},
};
