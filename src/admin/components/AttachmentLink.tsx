/** The attachment of a record, downloaded through the access layer (/admin/files/…). */
import React from 'react';
import type { ShowPropertyProps } from 'adminjs';
import { Box, Label, Link, Text } from '@adminjs/design-system';

const AttachmentLink: React.FC<ShowPropertyProps> = ({ record, resource, property }) => {
  const name = record.params[property.path] as string | undefined;
  return (
    <Box mb="xl">
      <Label>{property.label}</Label>
      {name ? <Link href={`/admin/files/${resource.id}/${record.id}`} data-testid="attachment-link">{name}</Link> : <Text>—</Text>}
    </Box>
  );
};

export default AttachmentLink;
