/**
 * An array property (a learning form's 适用科目) as its values' labels, 公需科目、专业科目 —
 * AdminJS's own list cell for arrays reads 「长度: 2」.
 */
import React from 'react';
import { flat, useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, Label, Text } from '@adminjs/design-system';

const ValueList: React.FC<BasePropertyProps> = ({ record, property, resource, where }) => {
  const { translateProperty } = useTranslation();
  if (!record) return null;
  const raw = flat.get(record.params, property.path) as unknown;
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw];
  const labelOf = (v: unknown) => property.availableValues?.find((a) => a.value === String(v))?.label ?? String(v);
  const text = values.length ? values.map(labelOf).join('、') : '—';
  if (where === 'list') return <Text data-testid={`values-${property.path}`}>{text}</Text>;
  return <Box mb="xl"><Label>{translateProperty(property.label, resource.id)}</Label><Text>{text}</Text></Box>;
};

export default ValueList;
