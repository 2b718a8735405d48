/** The attachment of a record, downloaded through the access layer (/admin/files/…). */
import React from 'react';
import { useTranslation, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Link, Text } from '@adminjs/design-system';

const AttachmentLink: React.FC<ShowPropertyProps> = ({ record, resource, property }) => {
  const { translateProperty } = useTranslation();
  const name = record.params[property.path] as string | undefined;
  return (
    <Box mb="xl">
      {/* The translated label (附件): property.label is the raw column name, "attachment_name". */}
      <Label>{translateProperty(property.path, resource.id)}</Label>
      {name ? <Link href={`/admin/files/${resource.id}/${record.id}`} data-testid="attachment-link">{name}</Link> : <Text>—</Text>}
    </Box>
  );
};

export default AttachmentLink;
