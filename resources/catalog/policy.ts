/**
 * Who may read and edit the learning-form catalog (学习形式目录): every admin reads it to declare
 * hours (pickers need it in any module); the provincial super admin edits it.
 */
import type { Policy } from '../../src/access/policy.js';

const anyAdmin = (p: { kind: string }) => p.kind !== 'person';
const view = ['system.learning_forms:view', 'hours_declare.declare:view'];

export const learningFormsPolicy: Policy = {
  id: 'learning_forms',
  table: 'learning_forms',
  actions: { list: view, show: view, search: anyAdmin, edit: 'system.learning_forms:edit' },
  scope: () => [{}],
  readable: ['id', 'code', 'name', 'subject_types', 'fields', 'conversion', 'cap_per_activity', 'cap_per_year', 'evidence', 'key_review', 'bulk_import', 'active', 'sort'],
  // Caps and the conversion are not edited here: they take effect from a year, as learning_form_rules.
  writable: { edit: ['name', 'evidence', 'key_review', 'bulk_import', 'active', 'sort', 'subject_types_json', 'fields_json'] },
};
