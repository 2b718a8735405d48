/** 变更明细: a change request's fields, old vs. new, side by side (manual 4.1.4.1). */
import React from 'react';
import { flat, useTranslation, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

const LEVELS: Record<string, string> = { senior: '正高级', vice_senior: '副高级', intermediate: '中级', assistant: '助理级', junior: '员级' };
const shown = (k: string, v: unknown) => (v === null || v === undefined || v === '' ? '—' : k === 'title_level' ? LEVELS[String(v)] ?? String(v) : String(v));

const ChangeDiff: React.FC<ShowPropertyProps> = ({ record, resource }) => {
  const { translateProperty } = useTranslation();
  const params = flat.unflatten(record.params) as { old_values?: Record<string, unknown>; new_values?: Record<string, unknown> };
  const keys = [...new Set([...Object.keys(params.new_values ?? {}), ...Object.keys(params.old_values ?? {})])];
  return (
    <Box mb="xl" data-testid="change-diff">
      <Label>变更明细</Label>
      {keys.length === 0 ? <Text>—</Text> : (
        <Table>
          <TableHead><TableRow><TableCell>项目</TableCell><TableCell>变更前</TableCell><TableCell>变更后</TableCell></TableRow></TableHead>
          <TableBody>
            {keys.map((k) => (
              <TableRow key={k}>
                <TableCell>{translateProperty(k, resource.id)}</TableCell>
                <TableCell>{shown(k, params.old_values?.[k])}</TableCell>
                <TableCell style={{ fontWeight: 600, color: '#0b4f8a' }}>{shown(k, params.new_values?.[k])}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default ChangeDiff;
