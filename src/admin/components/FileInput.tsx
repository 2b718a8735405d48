/** A file field for the panel's forms: the file travels with the form (type checked on the server). */
import React from 'react';
import type { EditPropertyProps } from 'adminjs';
import { DropZone, FormGroup, Label, Text } from '@adminjs/design-system';

const FileInput: React.FC<EditPropertyProps> = ({ property, onChange, record }) => {
  const error = record?.errors?.[property.path];
  return (
    <FormGroup error={!!error}>
      <Label>{property.label}</Label>
      <DropZone multiple={false} validate={{ maxSize: 10 * 1024 * 1024 }}
        translations={{ placeholder: '将文件拖到此处，或点击选择文件（PDF、Word/Excel、JPG/PNG，不超过 10 MB）',
          acceptedSize: '文件大小上限：{{maxSize}}', acceptedType: '支持的文件类型：{{mimeTypes}}',
          unsupportedSize: '文件“{{fileName}}”超过大小上限', unsupportedType: '文件“{{fileName}}”的类型不受支持' } as never}
        onChange={(files: File[]) => onChange(property.path, files[0] ?? null)} />
      {error && <Text color="error" mt="sm">{error.message}</Text>}
    </FormGroup>
  );
};

export default FileInput;
