/**
 * 培训计划申报 — the submitting side of 培训计划管理 (4.1.5): a CE base files its annual training
 * plan, plan declarations (a course: dates, hours, subject type) and its annual work summary
 * (with an attachment); a unit files its training plans and training hours. Each is pending
 * until the superior HR department decides (resources/requests: the review lists per kind).
 */
import { ValidationError } from 'adminjs';
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { Components } from '../../src/admin/components/index.js';
import { options as opts, requestStatus, subjectType, trainingPlanKind } from '../../src/domain/labels.js';
import { readUpload, UploadError, type UploadedFile } from '../../src/services/uploads.js';
import type { Principal } from '../../src/access/principal.js';
import { planFilingsPolicy } from './policy.js';

const KINDS: Record<string, string[]> = { ce_base: ['annual_plan', 'plan_declaration', 'work_summary'], unit: ['unit_plan', 'unit_hours'] };
const COURSE_KINDS = ['plan_declaration', 'unit_hours'];
export const MAX_ATTACHMENT = 10 * 1024 * 1024;

async function prepare(values: Record<string, unknown>, p: Principal) {
  const errors: Record<string, { message: string }> = {};
  const kind = String(values.kind ?? '');
  if (!(KINDS[p.kind] ?? []).includes(kind)) errors.kind = { message: '请选择申报类型' };
  const year = Number(values.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) errors.year = { message: '请填写年度（如 2026）' };
  const title = String(values.title ?? '').trim();
  if (title.length < 2 || title.length > 100) errors.title = { message: '请填写名称（2–100字）' };
  const content: Record<string, unknown> = {};
  // Too long is refused, never cut short silently.
  if (values.summary && String(values.summary).length > 5000) errors.summary = { message: '内容简介不能超过5000字' };
  else if (values.summary) content.summary = String(values.summary);
  if (COURSE_KINDS.includes(kind)) {
    if (!['public', 'professional'].includes(String(values.subject_type))) errors.subject_type = { message: '请选择计入科目' };
    const start = new Date(String(values.start_date ?? ''));
    const end = new Date(String(values.end_date ?? ''));
    if (Number.isNaN(start.getTime())) errors.start_date = { message: '请填写开始日期' };
    if (Number.isNaN(end.getTime())) errors.end_date = { message: '请填写结束日期' };
    else if (!Number.isNaN(start.getTime()) && end < start) errors.end_date = { message: '结束日期不能早于开始日期' };
    const hours = Number(values.hours);
    if (!(hours > 0 && hours <= 1000)) errors.hours = { message: '学时应大于0且不超过1000' };
    Object.assign(content, { start_date: String(values.start_date).slice(0, 10), end_date: String(values.end_date).slice(0, 10), hours });
  }
  let attachment: { name: string; bytes: Buffer } | undefined;
  const file = values.attachment as UploadedFile | null | undefined;
  if (file && typeof file === 'object' && 'size' in file) {
    try { attachment = await readUpload(file, { maxBytes: MAX_ATTACHMENT, kinds: ['pdf', 'docx_or_xlsx', 'jpeg', 'png'] }); } catch (e) {
      if (e instanceof UploadError) errors.attachment = { message: e.message }; else throw e;
    }
  }
  if (kind === 'work_summary' && !attachment && !errors.attachment) errors.attachment = { message: '年度工作总结须上传附件' };
  if (Object.keys(errors).length) throw new ValidationError(errors, { message: '表单有误，请检查后重新提交' });
  return {
    kind, year, title, content,
    subject_type: COURSE_KINDS.includes(kind) ? values.subject_type : null,
    compulsory: values.compulsory === true || values.compulsory === 'true' ? true : values.compulsory === 'false' ? false : null,
    attachment_name: attachment?.name ?? null, attachment: attachment?.bytes ?? null,
    organisation_id: p.organisationId, org_path: p.orgPath, status: 'pending',
  };
}

export const planFilingResource = ({ TrainingPlan }: Models) => defineResource({
  policy: planFilingsPolicy,
  model: TrainingPlan,
  scoped: { prepareCreate: (values, p) => prepare(values, p) },
  options: {
    navigation: nav.account,
    sort: { sortBy: 'created_at', direction: 'desc' },
    listProperties: ['year', 'kind', 'title', 'status', 'created_at'],
    showProperties: ['year', 'kind', 'title', 'subject_type', 'compulsory', 'content', 'attachment_name', 'status', 'reason', 'decided_at', 'created_at'],
    editProperties: ['kind', 'year', 'title', 'subject_type', 'compulsory', 'start_date', 'end_date', 'hours', 'summary', 'attachment'],
    properties: {
      // A unit is offered its own plan types, a CE base its own (issue 17, item 6).
      kind: { availableValues: opts(trainingPlanKind), components: { edit: Components.PlanKindSelect }, custom: { kinds: KINDS } },
      content: { components: { show: Components.PlanContent } },
      status: { availableValues: opts(requestStatus) },
      subject_type: { availableValues: opts(subjectType) },
      year: { type: 'number' },
      start_date: { type: 'date' },
      end_date: { type: 'date' },
      hours: { type: 'number' },
      summary: { type: 'textarea' },
      attachment: { type: 'string', components: { edit: Components.FileInput } },
      attachment_name: { components: { show: Components.AttachmentLink } },
    },
  },
});
