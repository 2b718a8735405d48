/**
 * 学习信息 on a declaration's page: the learning form's fields (dates, organiser, days, level …)
 * as label and value. AdminJS drew nothing for this JSON column, so reviewers could not see
 * what they were approving or failing.
 */
import React from 'react';
import { flat, useTranslation, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Table, TableBody, TableCell, TableRow, Text } from '@adminjs/design-system';

const LearningDetails: React.FC<ShowPropertyProps> = ({ record, property, resource }) => {
  const { translateProperty } = useTranslation();
  const labels = ((property.custom ?? {}) as { labels?: Record<string, string> }).labels ?? {};
  const details = (flat.unflatten(record.params) as { details?: Record<string, unknown> }).details ?? {};
  // In the order the forms ask for them (the label list's order), not the database's.
  const order = Object.keys(labels);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const entries = Object.entries(details).filter(([, v]) => v !== null && v !== undefined && v !== '').sort(([a], [b]) => rank(a) - rank(b));
  return (
    <Box mb="xl" data-testid="learning-details">
      <Label>{translateProperty(property.path, resource.id)}</Label>
      {entries.length === 0 ? <Text>—</Text> : (
        <Table>
          <TableBody>
            {entries.map(([k, v]) => (
              <TableRow key={k}>
                <TableCell style={{ width: 240, color: '#6b7785' }}>{labels[k] ?? k}</TableCell>
                <TableCell>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default LearningDetails;
