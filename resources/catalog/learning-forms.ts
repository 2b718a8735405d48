/**
 * 学习形式目录: the learning forms, their fields, conversion to hours and caps — data that the
 * provincial super admin edits; every admin reads it to declare hours.
 */
import type { Models } from '../../src/db/models.js';
import { defineResource } from '../../src/admin/define-resource.js';
import { nav } from '../../src/admin/navigation.js';
import { options as opts, subjectType } from '../../src/domain/labels.js';
import { ValidationError } from 'adminjs';

const anyAdmin = (p: { kind: string }) => p.kind !== 'person';
const view = ['system.learning_forms:view', 'hours_declare.declare:view'];

export const learningFormsResource = ({ LearningForm }: Models) => defineResource({
  id: 'learning_forms',
  model: LearningForm,
  access: {
    // Everyone who declares reads the catalog; pickers need it in any module.
    actions: { list: view, show: view, search: anyAdmin, edit: 'system.learning_forms:edit' },
    scope: () => [{}],
    readable: ['id', 'code', 'name', 'subject_types', 'fields', 'conversion', 'cap_per_activity', 'cap_per_year', 'evidence', 'key_review', 'bulk_import', 'active', 'sort'],
    writable: { edit: ['name', 'cap_per_activity', 'cap_per_year', 'evidence', 'key_review', 'active', 'sort'] },
  },
  scoped: {
    async prepareUpdate(values) {
      for (const f of ['cap_per_activity', 'cap_per_year']) {
        const v = values[f];
        if (v !== null && v !== undefined && !(Number(v) > 0 && Number(v) <= 1000)) {
          throw new ValidationError({ [f]: { message: '上限应为大于0且不超过1000的数字' } });
        }
      }
      return values;
    },
  },
  options: {
    navigation: nav.system,
    sort: { sortBy: 'sort', direction: 'asc' },
    listProperties: ['name', 'subject_types', 'cap_per_activity', 'cap_per_year', 'key_review', 'bulk_import', 'active'],
    showProperties: ['code', 'name', 'subject_types', 'fields', 'conversion', 'cap_per_activity', 'cap_per_year', 'evidence', 'key_review', 'bulk_import', 'active', 'sort'],
    editProperties: ['name', 'cap_per_activity', 'cap_per_year', 'evidence', 'key_review', 'active', 'sort'],
    properties: { subject_types: { availableValues: opts(subjectType) } },
  },
});
