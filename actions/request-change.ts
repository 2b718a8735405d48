/**
 * 申请变更: a form of the changeable fields, prefilled with the current values, an evidence
 * note and the proof file (multipart `evidence_file`, required for a title change); POST files a change request for the superior HR department to review.
 * A field absent from the request is unchanged.
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { ValidationFailed } from '../src/domain/errors.js';
import { principalOf } from '../src/admin/scoped-resource.js';
import { fileChangeRequest, TITLE_PROOF_LABEL, type ChangeKind } from '../src/workflow/change-request.js';
import { readEvidence, UploadError, type Evidence } from '../src/services/evidence.js';
import { Components } from '../src/admin/components/index.js';
import { bodyOf, isPost, stringField, sequelizeOf } from './request-data.js';

/** A select's option with `when` is offered only while the other fields hold those values (see RequestChange.tsx). */
export interface ChangeField { key: string; label: string; type?: 'text' | 'select'; options?: Array<{ value: string; label: string; when?: Record<string, string> }> }

export function requestChangeAction(kind: ChangeKind, fields: ChangeField[]) {
  return {
    actionType: 'record' as const,
    icon: 'FileText',
    component: Components.RequestChange,
    // The proof file's field (RequestChange.tsx): required for a title change.
    custom: { fields, proof: { label: kind === 'person_title' ? TITLE_PROOF_LABEL : '证明材料（可选）', required: kind === 'person_title' } },
    async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
      const record = context.record!;
      if (!isPost(request)) return { record: record.toJSON(context.currentAdmin) };
      const body = bodyOf(request);
      const sequelize = sequelizeOf(context);
      const proof: { file?: Evidence; refused?: string } = {};
      try { proof.file = await readEvidence(body.evidence_file); } catch (e) {
        if (e instanceof UploadError) proof.refused = e.message; else throw e;
      }
      try {
        await fileChangeRequest(sequelize, principalOf(context), kind,
          Object.fromEntries(fields.filter((f) => f.key in body).map((f) => [f.key, stringField(body, f.key, 200)])), stringField(body, 'evidence', 1000), proof);
      } catch (e) {
        if (e instanceof ValidationFailed) {
          return { record: record.toJSON(context.currentAdmin), errors: Object.fromEntries(Object.entries(e.fieldErrors).map(([k, v]) => [k, v.message])),
            notice: { message: '信息有误，请检查后重新提交', type: 'error' } };
        }
        throw e;
      }
      return { record: record.toJSON(context.currentAdmin), notice: { message: '变更申请已提交，待上级人社部门审核', type: 'success' } };
    },
  };
}
