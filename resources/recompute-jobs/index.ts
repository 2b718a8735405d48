/**
 * 系统管理 → 重算任务 (issue 18.5): each recompute a new rule of the year asked for — which rule,
 * from which year, its state and progress (「重算中 3,000 / 12,000（25%）」: the persons not yet
 * reached still show the old rule's totals), who entered the rule, when it started and ended.
 * Read-only: the rule's trigger enqueues a job, the worker runs it (src/jobs/recompute.ts).
 */
import type { ActionRequest, ActionResponse } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { options as opts, recomputeKind, recomputeStatus } from '../../src/domain/labels.js';
import { progressText } from '../../src/jobs/recompute.js';
import { recomputeJobsPolicy } from './policy.js';

type Rec = { params: Record<string, unknown> };
const withProgress = (r: Rec | undefined) => {
  if (!r?.params) return;
  const total = r.params.total === null || r.params.total === undefined || r.params.total === '' ? null : Number(r.params.total);
  r.params.progress = progressText(Number(r.params.done_count ?? 0), total, String(r.params.status ?? ''));
};
const listAfter = async (response: ActionResponse, _req: ActionRequest) => { for (const r of (response.records ?? []) as Rec[]) withProgress(r); return response; };
const showAfter = async (response: ActionResponse, _req: ActionRequest) => { withProgress(response.record as Rec | undefined); return response; };

export const recomputeJobsResource = ({ RecomputeJob }: Models) => defineResource({
  policy: recomputeJobsPolicy,
  model: RecomputeJob,
  options: {
    navigation: nav.system,
    sort: { sortBy: 'id', direction: 'desc' },
    // At 1366 × 768 the list fits without 创建时间 (on the job's page with 开始时间): 完成时间 and the row menu stay on screen.
    listProperties: ['id', 'kind', 'learning_form_id', 'region_code', 'from_year', 'status', 'progress', 'created_by', 'finished_at'],
    showProperties: ['id', 'kind', 'rule_id', 'learning_form_id', 'region_code', 'from_year', 'status', 'progress', 'total', 'done_count',
      'cursor_person_id', 'attempts', 'error', 'superseded_by', 'created_by', 'created_at', 'started_at', 'heartbeat_at', 'finished_at'],
    filterProperties: ['kind', 'status', 'learning_form_id', 'from_year'],
    actions: { list: { after: listAfter }, show: { after: showAfter } },
    properties: {
      kind: { availableValues: opts(recomputeKind) },
      status: { availableValues: opts(recomputeStatus) },
      learning_form_id: { reference: 'learning_forms' },
      created_by: { reference: 'accounts' },
      superseded_by: { reference: 'recompute_jobs' },
      progress: { type: 'string', isSortable: false },
    },
  },
});
