/** The persons policy: who reaches which persons, and who sees their ID numbers whole. */
import { scopeOf, mayRun, allows } from '../../src/access/scope.js';
import { maskPersonalData } from '../../src/access/personal-data.js';
import { personsPolicy } from './policy.js';
import { admin, person, superAdmin } from '../../test/helpers/principals.js';

describe('persons policy', () => {
  it('an HR admin lists the persons below its path; a unit admin those of its unit', () => {
    expect(scopeOf(superAdmin('county_hr'), 'persons', 'list').sql()).toBe("(org_path ~>=~ '/1/2/18/' AND org_path ~<~ '/1/2/180')");
    expect(scopeOf(superAdmin('unit'), 'persons', 'list').sql()).toBe("(org_path ~>=~ '/1/2/18/300/' AND org_path ~<~ '/1/2/18/3000')");
  });
  it('a person reaches itself only, and may ask for a title change but not edit its record', () => {
    expect(scopeOf(person(501), 'persons', 'show').sql()).toBe('id = 501');
    expect(mayRun(person(501), 'persons', 'requestTitleChange')).toBe(true);
    expect(mayRun(person(501), 'persons', 'edit')).toBe(false);
    expect(mayRun(person(501), 'persons', 'resetPassword')).toBe(false);
  });
  it('needs the permission for each tool: a viewer cannot reset passwords or import', () => {
    const viewer = admin('county_hr', { permissions: ['stats.persons:view'] });
    expect(mayRun(viewer, 'persons', 'list')).toBe(true);
    expect(mayRun(viewer, 'persons', 'resetPassword')).toBe(false);
    expect(mayRun(viewer, 'persons', 'importPersons')).toBe(false);
    expect(allows(superAdmin('county_hr'), 'persons', 'importPersons', { org_path: '/1/2/19/7/' })).toBe(false);
    expect(allows(superAdmin('county_hr'), 'persons', 'importPersons', { org_path: '/1/2/18/7/' })).toBe(true);
  });
  it('masks ID numbers and mobiles unless the principal may see them whole, on a detail view', () => {
    const row = () => ({ id_number: '370102198506200033', mobile: '13912345678' });
    const viewer = admin('county_hr', { permissions: ['stats.persons:view'] });
    expect(maskPersonalData(row(), personsPolicy.personalData!, viewer, true).id_number).toMatch(/\*{4}/);
    expect(maskPersonalData(row(), personsPolicy.personalData!, superAdmin('county_hr'), true).id_number).toBe('370102198506200033');
    expect(maskPersonalData(row(), personsPolicy.personalData!, superAdmin('county_hr'), false).id_number).toMatch(/\*{4}/);
    expect(maskPersonalData(row(), personsPolicy.personalData!, person(), true).mobile).toBe('13912345678');
  });
});
