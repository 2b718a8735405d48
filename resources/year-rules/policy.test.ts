/** The rules of the year: the province's super admin adds them; nobody edits or deletes one; no city or county sees them. */
import { mayRun } from '../../src/access/scope.js';
import { superAdmin } from '../../test/helpers/principals.js';

const RULES = ['yearly_requirements', 'learning_form_rules', 'key_review_rules'];

describe('year-rule policies', () => {
  it.each(RULES)('%s: the province’s super admin lists and adds, never edits or deletes', (entity) => {
    const p = superAdmin('province_hr');
    expect(['list', 'show', 'new', 'edit', 'delete', 'bulkDelete'].map((a) => mayRun(p, entity, a))).toEqual([true, true, true, false, false, false]);
  });
  it.each(RULES)('%s: a city’s or county’s super admin has no access at all', (entity) => {
    for (const kind of ['city_hr', 'county_hr', 'unit'] as const) {
      expect(['list', 'show', 'new'].map((a) => mayRun(superAdmin(kind), entity, a))).toEqual([false, false, false]);
    }
  });
});
