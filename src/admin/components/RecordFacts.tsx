/**
 * 审核要点 on a request's detail (issue 17, item 4): what the reviewer must check — for a
 * registration the ID number, credit code, unit, contact — read by the record's `facts` action
 * through the same scope as the record itself.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Text } from '@adminjs/design-system';

const api = new ApiClient();

const RecordFacts: React.FC<ShowPropertyProps> = ({ record, resource }) => {
  const [facts, setFacts] = useState<Array<{ label: string; value: string }> | null>(null);
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'facts' })
      .then((r) => setFacts((r.data as unknown as { facts?: Array<{ label: string; value: string }> }).facts ?? []))
      .catch(() => setFacts([]));
  }, [record.id]);
  return (
    <Box mb="xl" data-testid="record-facts">
      <Label>审核要点</Label>
      {!facts ? <Text>加载中……</Text> : (
        <Box as="dl" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 6, margin: 0 }}>
          {facts.map((f) => <React.Fragment key={f.label}><Text as="dt" color="grey60">{f.label}</Text><Text as="dd" style={{ margin: 0 }}>{f.value}</Text></React.Fragment>)}
        </Box>
      )}
    </Box>
  );
};

export default RecordFacts;
