/**
 * Who may read and add the rules of the year (issue 18.5): 年度学时要求, 学习形式年度规则,
 * 重点审核规则. They apply province-wide (a requirement may name a region), so every provincial
 * admin holding `system.year_rules:view` reads all of them; adding one takes
 * `system.year_rules:edit` (the provincial super admin holds it). Nobody edits or deletes a
 * rule: a correction is a new row, the old one stays as history — and the database refuses
 * UPDATE and DELETE to the application's role (migration 016).
 */
import type { Policy } from '../../src/access/policy.js';

const view = 'system.year_rules:view';
const add = 'system.year_rules:edit';
const history = ['id', 'effective_year', 'source', 'created_by', 'created_at'];

export const yearlyRequirementsPolicy: Policy = {
  id: 'yearly_requirements',
  table: 'yearly_requirements',
  actions: { list: view, show: view, new: add },
  scope: () => [{}],
  readable: [...history, 'region_code', 'total_hours', 'public_hours', 'professional_hours'],
  writable: { new: ['effective_year', 'region_code', 'total_hours', 'public_hours', 'professional_hours', 'source'] },
};

export const learningFormRulesPolicy: Policy = {
  id: 'learning_form_rules',
  table: 'learning_form_rules',
  actions: { list: view, show: view, new: add },
  scope: () => [{}],
  readable: [...history, 'learning_form_id', 'cap_per_activity', 'cap_per_year', 'conversion'],
  writable: { new: ['learning_form_id', 'effective_year', 'cap_per_activity', 'cap_per_year', 'conversion_json', 'source'] },
};

export const keyReviewRulesPolicy: Policy = {
  id: 'key_review_rules',
  table: 'key_review_rules',
  actions: { list: view, show: view, new: add },
  scope: () => [{}],
  readable: [...history, 'above_hours'],
  writable: { new: ['effective_year', 'above_hours', 'source'] },
};
