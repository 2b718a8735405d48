/**
 * Who may follow an import job (批量导入) and download its report of bad rows: the admin who
 * uploaded it, and the super admin of the organisation it was uploaded for — inside the
 * jurisdiction, as for any record (the job carries its organisation's path).
 */
import type { Policy } from '../../src/access/policy.js';
import { inJurisdiction } from '../../src/access/scopes.js';

const IMPORTERS = ['hours_declare.declare:import', 'stats.persons:import'];

export const importJobsPolicy: Policy = {
  id: 'import_jobs',
  table: 'import_jobs',
  actions: { show: IMPORTERS, report: IMPORTERS },
  scope: (p) => inJurisdiction()(p).map((c) => (p.isSuper ? { ...c, organisation_id: p.organisationId } : { ...c, requested_by: p.accountId })),
  readable: ['id', 'kind', 'status', 'progress', 'total_rows', 'valid_rows', 'error_rows', 'committed_rows', 'error', 'created_at', 'finished_at'],
  writable: {},
};
