/**
 * The benchmark's scenario list, in the order they run. A new scenario (e.g. the export of
 * 100,000 rows) is a module exporting a `Scenario` (../lib.ts), added here; `--only=id,id`
 * runs a subset. Read-only scenarios come first, the writing ones (approve, import) last.
 */
import type { Scenario } from '../lib.js';
import { personListPage1, personListPage1000, personSearch, concurrentSessions, saturatedCluster } from './persons.js';
import { statistics } from './statistics.js';
import { exportRows } from './export.js';
import { approveAll } from './approve-all.js';
import { importHours } from './import.js';
import { workerExport, workerImport } from './worker.js';

export const scenarios: Scenario[] = [
  personListPage1,
  personListPage1000,
  personSearch,
  concurrentSessions,
  saturatedCluster,
  statistics,
  exportRows,
  approveAll,
  importHours,
  // The same jobs in the job worker of `npm start` (issue 16, item 6): per-process memory.
  workerExport,
  workerImport,
];
