/** 学时证明 on a transfer's detail: the proof attached when it completed, downloaded through the access layer. */
import React from 'react';
import { useTranslation, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Link, Text } from '@adminjs/design-system';

const HourProofLink: React.FC<ShowPropertyProps> = ({ record, resource, property }) => {
  const { translateProperty } = useTranslation();
  const number = record.params[property.path] as string | undefined;
  const url = record.params.hour_proof_url as string | undefined;
  return (
    <Box mb="xl">
      <Label>{translateProperty(property.path, resource.id)}</Label>
      {number && url ? <Link href={url} data-testid="hour-proof-link">{number}（下载PDF）</Link> : <Text>调转完成后自动出具</Text>}
    </Box>
  );
};

export default HourProofLink;
