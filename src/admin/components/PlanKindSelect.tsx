/**
 * 申报类型 on 培训计划申报 (issue 17, item 6): only the kinds the filing organisation files — a
 * unit its training plans and hours, a CE base its annual plan, plan declarations and work
 * summary (`custom.kinds`, the same table the server checks in resources/requests/plan-filing.ts).
 */
import React from 'react';
import { useCurrentAdmin, useTranslation, type EditPropertyProps } from 'adminjs';
import { FormGroup, Label, Select, Text } from '@adminjs/design-system';

const PlanKindSelect: React.FC<EditPropertyProps> = ({ property, record, onChange, resource }) => {
  const [admin] = useCurrentAdmin();
  const { translateProperty } = useTranslation();
  const kinds = ((property.custom ?? {}) as { kinds?: Record<string, string[]> }).kinds ?? {};
  const mine = kinds[String((admin as { kind?: string } | null)?.kind ?? '')] ?? [];
  const options = (property.availableValues ?? []).filter((o) => mine.includes(String(o.value)));
  const value = options.find((o) => o.value === record?.params?.[property.path]) ?? null;
  const error = record?.errors?.[property.path];
  return (
    <FormGroup error={!!error}>
      <Label required htmlFor={property.path}>{translateProperty(property.path, resource.id)}</Label>
      <Select inputId={property.path} value={value} options={options} placeholder="请选择申报类型"
        onChange={(o: { value: string } | null) => onChange(property.path, o?.value ?? '')} />
      {error && <Text color="error" mt="sm">{error.message}</Text>}
    </FormGroup>
  );
};

export default PlanKindSelect;
