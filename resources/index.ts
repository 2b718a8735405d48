/** Every resource of the panel, in the order of the manual's menu. */
import type { ResourceWithOptions } from 'adminjs';
import type { Models } from '../src/db/models.js';
import { ownOrganisationResource } from './organisations/own.js';
import { departmentsResource } from './organisations/departments.js';
import { subordinatesResource } from './organisations/subordinates.js';
import { superiorChangeReviewsResource, superiorChangesResource } from './organisations/superior-change.js';
import { accountsResource, adminsResource } from './admins/index.js';
import { sessionsResource } from './admins/sessions.js';
import { rolesResource } from './roles/index.js';
import {
  annualPlanReviewsResource, changeRequestsResource, planDeclarationReviewsResource, registrationsResource,
  unitHoursReviewsResource, unitPlanReviewsResource, workSummaryReviewsResource,
} from './requests/index.js';
import { planFilingResource } from './requests/plan-filing.js';
import { transferInReviewsResource, transferOutReviewsResource, transfersResource } from './transfers/index.js';
import {
  ceBaseHourReviewsResource, hourDeclarationsResource, hourReviewsResource, hourVerificationsResource, unitFirstReviewsResource,
} from './hours/index.js';
import { personsResource } from './persons/index.js';
import { learningFormsResource } from './catalog/learning-forms.js';
import { statisticsCompletionResource, statisticsOverviewResource, statisticsSeriesResource } from './statistics/index.js';
import { auditLogResource, certificatesResource, personYearHoursResource } from './records/index.js';
import { exportJobsResource } from './export-jobs/index.js';
import { certificateYearsResource } from './certificates/index.js';
import { keyReviewRulesResource, learningFormRulesResource, yearlyRequirementsResource } from './year-rules/index.js';
import { recomputeJobsResource } from './recompute-jobs/index.js';
import { apiCallbacksResource, apiClientsResource, hoursReadsResource } from './api-clients/index.js';
import { savedReportsResource } from './saved-reports/index.js';
import { exportNoticesResource, exportSchedulesResource } from './export-schedules/index.js';
import { reminderFiguresResource, reminderSettingsResource } from './reminders/index.js';

export function allResources(models: Models): ResourceWithOptions[] {
  return [
    ownOrganisationResource, departmentsResource, adminsResource, rolesResource, sessionsResource, superiorChangesResource,
    subordinatesResource, superiorChangeReviewsResource, registrationsResource, changeRequestsResource,
    annualPlanReviewsResource, planDeclarationReviewsResource, workSummaryReviewsResource, planFilingResource,
    transferOutReviewsResource, transferInReviewsResource, transfersResource,
    hourDeclarationsResource, unitFirstReviewsResource, hourReviewsResource, ceBaseHourReviewsResource, unitPlanReviewsResource, unitHoursReviewsResource, hourVerificationsResource,
    statisticsOverviewResource, statisticsCompletionResource, statisticsSeriesResource,
    personsResource, personYearHoursResource, certificateYearsResource, certificatesResource, exportJobsResource,
    learningFormsResource, yearlyRequirementsResource, learningFormRulesResource, keyReviewRulesResource, recomputeJobsResource, auditLogResource, accountsResource,
    apiClientsResource, apiCallbacksResource, hoursReadsResource, reminderSettingsResource, reminderFiguresResource,
    savedReportsResource, exportSchedulesResource, exportNoticesResource,
  ].map((r) => r(models));
}
