/**
 * 专技人员信息查询 (manual 4.5.4): professional persons in the jurisdiction. ID numbers are
 * masked in lists and shown whole on the detail view only with the permission to see them.
 * A professional person sees itself.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { anyOf, inJurisdiction, isPerson, ofOwnPerson } from '../../src/access/scopes.js';
import { education, gender, options as opts, personStatus, titleLevel } from '../../src/domain/labels.js';
import { validateFields } from '../../hooks/validate-fields.js';
import { requestChangeAction } from '../../actions/request-change.js';
import { titleLevels, titleSeries } from '../../config/title-series.js';

const view = ['stats.persons:view', 'hours_declare.declare:view'];

export const personsResource = ({ Person }: Models) => defineResource({
  id: 'persons',
  model: Person,
  access: {
    actions: {
      list: (p) => isPerson(p) || p.permissions.some((c) => view.includes(c)),
      show: (p) => isPerson(p) || p.permissions.some((c) => view.includes(c)),
      search: (p) => p.permissions.some((c) => view.includes(c)),
      edit: 'stats.persons:edit',
      requestTitleChange: isPerson,
    },
    scope: anyOf(inJurisdiction(), ofOwnPerson('id')),
    readable: ['id', 'id_number', 'name', 'gender', 'birth_date', 'unit_id', 'title_series', 'title_level', 'title', 'education', 'mobile', 'email', 'status', 'version', 'created_at'],
    writable: { edit: ['mobile', 'email', 'education', 'version'] },
  },
  scoped: {
    idNumberFields: { fields: ['id_number'], fullOn: (p) => isPerson(p) || p.permissions.includes('stats.persons:view_full_id') },
    prepareUpdate: async (values) => validateFields(values),
  },
  options: {
    navigation: nav.stats,
    sort: { sortBy: 'name', direction: 'asc' },
    listProperties: ['name', 'id_number', 'gender', 'unit_id', 'title_series', 'title_level', 'title'],
    filterProperties: ['name', 'id_number', 'unit_id', 'title_series', 'title_level', 'education', 'status'],
    showProperties: ['name', 'id_number', 'gender', 'birth_date', 'unit_id', 'title_series', 'title_level', 'title', 'education', 'mobile', 'email', 'status', 'created_at'],
    editProperties: ['mobile', 'email', 'education', 'version'],
    actions: {
      // 专业技术职务变更: the person asks; the HR department reviews it (变更审核).
      requestTitleChange: requestChangeAction('person_title', [
        { key: 'title_series', label: '专业技术职务系列', type: 'select', options: titleSeries.map((x) => ({ value: x.name, label: x.name })) },
        { key: 'title_level', label: '职称级别', type: 'select', options: titleLevels.map((l) => ({ value: l.value, label: l.label })) },
        { key: 'title', label: '专业技术职务任职资格' },
      ]),
    },
    properties: {
      gender: { availableValues: opts(gender) },
      title_level: { availableValues: opts(titleLevel) },
      education: { availableValues: opts(education) },
      status: { availableValues: opts(personStatus) },
      unit_id: { reference: 'organisations' },
      version: { isVisible: { list: false, show: false, filter: false, edit: true }, type: 'number', isDisabled: true },
    },
  },
});
