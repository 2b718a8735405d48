/** Editing a structured value (a learning form's fields or conversion) as JSON, checked on save. */
import React, { useState } from 'react';
import { flat, useTranslation, type EditPropertyProps } from 'adminjs';
import { FormGroup, Label, Text, TextArea } from '@adminjs/design-system';

const JsonEdit: React.FC<EditPropertyProps> = ({ property, record, onChange, resource }) => {
  const { translateProperty } = useTranslation();
  // The stored value lives under the property's own name; the edited text travels as <name>_json.
  const source = property.path.replace(/_json$/, '');
  const [text, setText] = useState(() => JSON.stringify((flat.unflatten(record?.params ?? {}) as Record<string, unknown>)[source] ?? null, null, 2));
  const error = record?.errors?.[property.path];
  return (
    <FormGroup error={!!error}>
      <Label>{translateProperty(property.label, resource.id)}</Label>
      <TextArea width="100%" rows={Math.min(24, text.split('\n').length + 1)} value={text} style={{ fontFamily: 'monospace' }}
        onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => { setText(e.target.value); onChange(property.path, e.target.value); }} />
      {error && <Text color="error" mt="sm">{error.message}</Text>}
    </FormGroup>
  );
};

export default JsonEdit;
