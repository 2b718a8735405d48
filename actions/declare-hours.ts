/**
 * 学时（分）申报: GET gives the active learning forms (with their fields) and searches
 * applicants inside the jurisdiction; POST with `dryRun` computes the hours to show before
 * saving, POST without it saves one declaration per applicant, with the proof file (multipart:
 * the declaration as JSON in `payload`, the file in `evidence_file`; see src/services/evidence.ts).
 */
import type { ActionContext, ActionRequest } from 'adminjs';
import { ValidationFailed } from '../src/domain/errors.js';
import { principalOf } from '../src/admin/scoped-resource.js';
import { activeForms, declareHours } from '../src/services/hours.js';
import { searchPersons } from '../src/services/person-search.js';
import { maskIdNumber } from '../src/domain/identifiers.js';
import { Components } from '../src/admin/components/index.js';
import { readEvidence, UploadError, type Evidence } from '../src/services/evidence.js';
import { arrayField, bodyOf, isPost, sequelizeOf, stringField } from './request-data.js';

const parsedOr = (text: string, fallback: unknown) => { try { return JSON.parse(text) as unknown; } catch { return fallback; } };

export const declareHoursAction = {
  actionType: 'resource' as const,
  icon: 'PlusCircle',
  component: Components.DeclareHours,
  async handler(request: ActionRequest, _res: unknown, context: ActionContext) {
    const p = principalOf(context);
    const sequelize = sequelizeOf(context);
    // A person declares for itself; admins for the persons of their jurisdiction.
    const Person = sequelize.model('Person');
    if (!isPost(request)) {
      const found = await searchPersons(Person, p, String(request.query?.person ?? ''));
      const forms = (await activeForms(sequelize)).map((f) => ({
        id: f.id, name: f.name, subjectTypes: f.subject_types, bulkImport: f.bulk_import, capPerActivity: f.cap_per_activity, capPerYear: f.cap_per_year,
        fields: f.fields,
      }));
      return { forms, persons: found.map((x) => ({ id: x.id, label: `${x.name}（${maskIdNumber(x.id_number)}）` })), self: p.kind === 'person' ? p.personId : null };
    }
    // With a proof file the panel posts multipart: the declaration as JSON in `payload`, the file as `evidence_file`.
    const raw = bodyOf(request);
    const body = (typeof raw.payload === 'string' ? parsedOr(raw.payload, {}) : raw) as Record<string, unknown>;
    let evidence: Evidence | undefined;
    let evidenceError: string | undefined;
    try { evidence = await readEvidence(raw.evidence_file); } catch (e) {
      if (e instanceof UploadError) evidenceError = e.message; else throw e;
    }
    const values = (typeof body.values === 'object' && body.values !== null ? body.values : {}) as Record<string, unknown>;
    const compulsory = body.compulsory === true || body.compulsory === 'true' ? true : body.compulsory === false || body.compulsory === 'false' ? false : null;
    try {
      const r = await declareHours(sequelize, Person, p, {
        subjectType: stringField(body, 'subjectType'), learningFormId: Number(stringField(body, 'learningFormId')), compulsory, values,
        personIds: arrayField(body, 'personIds').map(Number), evidence, evidenceError,
      }, body.dryRun === true || body.dryRun === 'true');
      if (body.dryRun === true || body.dryRun === 'true') return { preview: r };
      return { created: r.ids.length, notice: { message: `学时（分）申报成功：${r.ids.length} 人，每人 ${r.hours} 学时`, type: 'success' }, redirectUrl: '/admin/resources/hour_declarations' };
    } catch (e) {
      if (e instanceof ValidationFailed) return { errors: Object.fromEntries(Object.entries(e.fieldErrors).map(([k, v]) => [k, v.message])), notice: { message: e.message, type: 'error' } };
      throw e;
    }
  },
};
