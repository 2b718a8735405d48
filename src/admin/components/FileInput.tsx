/** A file field for the panel's forms: the file travels with the form (type checked on the server). */
import React from 'react';
import { useTranslation, type EditPropertyProps } from 'adminjs';
import { DropZone, FormGroup, Label, Text } from '@adminjs/design-system';

const FileInput: React.FC<EditPropertyProps> = ({ property, onChange, record, resource }) => {
  const { translateProperty } = useTranslation();
  const error = record?.errors?.[property.path];
  return (
    <FormGroup error={!!error}>
      <Label>{translateProperty(property.label, resource.id)}</Label>
      <DropZone multiple={false} validate={{ maxSize: 10 * 1024 * 1024 }}
        // Filled in here: the design system fills {{maxSize}} with lodash's template, a new Function
        // that the panel's CSP refuses, so the page showed 「文件大小上限：{{maxSize}}」.
        translations={{ placeholder: '将文件拖到此处，或点击选择文件（PDF、Word/Excel、JPG/PNG，不超过 10 MB）',
          acceptedSize: '文件大小上限：10 MB', acceptedType: '支持的文件类型：PDF、Word/Excel、JPG/PNG',
          unsupportedSize: '文件超过 10 MB 的大小上限', unsupportedType: '该文件的类型不受支持' } as never}
        onChange={(files: File[]) => onChange(property.path, files[0] ?? null)} />
      {error && <Text color="error" mt="sm">{error.message}</Text>}
    </FormGroup>
  );
};

export default FileInput;
