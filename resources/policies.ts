/**
 * The registry of every entity's policy (one static list, no side effects): abilities are built
 * from it, the one scope function reads it, and the access-matrix test enumerates it — a
 * resource of the panel without a policy here cannot exist (src/admin/define-resource.ts
 * refuses it). Loads without AdminJS: the worker and the integration API use it too.
 */
import type { Policy } from '../src/access/policy.js';
import { departmentsPolicy, ownOrganisationPolicy, subordinatesPolicy, superiorChangeReviewsPolicy, superiorChangesPolicy } from './organisations/policy.js';
import { accountsPolicy, adminsPolicy, sessionsPolicy } from './admins/policy.js';
import { rolesPolicy } from './roles/policy.js';
import {
  annualPlanReviewsPolicy, changeRequestsPolicy, planDeclarationReviewsPolicy, planFilingsPolicy, registrationsPolicy,
  unitHoursReviewsPolicy, unitPlanReviewsPolicy, workSummaryReviewsPolicy,
} from './requests/policy.js';
import { transferInReviewsPolicy, transferOutReviewsPolicy, transfersPolicy } from './transfers/policy.js';
import {
  ceBaseHourReviewsPolicy, hourDeclarationsPolicy, hourReviewsPolicy, hourVerificationsPolicy, unitFirstReviewsPolicy,
} from './hours/policy.js';
import { personsPolicy } from './persons/policy.js';
import { learningFormsPolicy } from './catalog/policy.js';
import { statisticsCompletionPolicy, statisticsOverviewPolicy, statisticsSeriesPolicy } from './statistics/policy.js';
import { auditLogPolicy, certificatesPolicy, personYearHoursPolicy } from './records/policy.js';
import { exportJobsPolicy } from './export-jobs/policy.js';
import { certificateYearsPolicy, hourProofsPolicy } from './certificates/policy.js';
import { importJobsPolicy } from './import-jobs/policy.js';
import { keyReviewRulesPolicy, learningFormRulesPolicy, yearlyRequirementsPolicy } from './year-rules/policy.js';
import { recomputeJobsPolicy } from './recompute-jobs/policy.js';
import { apiCallbacksPolicy, apiClientsPolicy, hoursReadsPolicy } from './api-clients/policy.js';
import { savedReportsPolicy } from './saved-reports/policy.js';
import { exportNoticesPolicy, exportSchedulesPolicy } from './export-schedules/policy.js';
import { reminderFiguresPolicy, reminderSettingsPolicy } from './reminders/policy.js';

export const policies: readonly Policy[] = [
  ownOrganisationPolicy, departmentsPolicy, adminsPolicy, rolesPolicy, sessionsPolicy, superiorChangesPolicy,
  subordinatesPolicy, superiorChangeReviewsPolicy, registrationsPolicy, changeRequestsPolicy,
  annualPlanReviewsPolicy, planDeclarationReviewsPolicy, workSummaryReviewsPolicy, planFilingsPolicy,
  transferOutReviewsPolicy, transferInReviewsPolicy, transfersPolicy,
  hourDeclarationsPolicy, unitFirstReviewsPolicy, hourReviewsPolicy, ceBaseHourReviewsPolicy, unitPlanReviewsPolicy, unitHoursReviewsPolicy, hourVerificationsPolicy,
  statisticsOverviewPolicy, statisticsCompletionPolicy, statisticsSeriesPolicy,
  personsPolicy, personYearHoursPolicy, certificateYearsPolicy, certificatesPolicy, exportJobsPolicy,
  savedReportsPolicy, exportSchedulesPolicy, exportNoticesPolicy,
  learningFormsPolicy, auditLogPolicy, accountsPolicy,
  yearlyRequirementsPolicy, learningFormRulesPolicy, keyReviewRulesPolicy, recomputeJobsPolicy, apiClientsPolicy, hoursReadsPolicy, apiCallbacksPolicy,
  reminderSettingsPolicy, reminderFiguresPolicy,
  // Entities without a list of their own in the panel: reached through actions and file routes.
  importJobsPolicy, hourProofsPolicy,
];

const byId = new Map(policies.map((p) => [p.id, p]));
if (byId.size !== policies.length) throw new Error('两个策略使用了同一个标识');

export function policyOf(entity: string): Policy {
  const p = byId.get(entity);
  if (!p) throw new Error(`资源 ${entity} 未声明访问策略`);
  return p;
}
