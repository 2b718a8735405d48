/**
 * 计划内容 of a plan filing (issue 17, item 6): what the unit or CE base typed — the summary
 * (内容简介), a course's dates and hours — as label and value. The JSON column drew nothing, so
 * a plan's reviewer approved a title without seeing the plan.
 */
import React from 'react';
import { flat, useTranslation, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Table, TableBody, TableCell, TableRow, Text } from '@adminjs/design-system';

const LABELS: Record<string, string> = {
  summary: '内容简介', start_date: '开始日期', end_date: '结束日期', hours: '学时',
  // The figures the plans, declarations and summaries carry (the demo seed's too).
  projects: '培训项目数', plannedHours: '计划学时', plannedTrainees: '计划培训人数', days: '培训天数', teachers: '师资人数',
  trainees: '培训人数', classes: '培训班次', satisfaction: '满意度', trainedPersons: '培训人次', hoursPerPerson: '人均学时',
  form: '培训形式', location: '培训地点',
};

const PlanContent: React.FC<ShowPropertyProps> = ({ record, property, resource }) => {
  const { translateProperty } = useTranslation();
  const content = (flat.unflatten(record.params) as { content?: Record<string, unknown> }).content ?? {};
  const order = Object.keys(LABELS);
  const entries = Object.entries(content).filter(([, v]) => v !== null && v !== undefined && v !== '')
    .sort(([a], [b]) => (order.indexOf(a) + 99) % 99 - (order.indexOf(b) + 99) % 99);
  return (
    <Box mb="xl" data-testid="plan-content">
      <Label>{translateProperty(property.path, resource.id)}</Label>
      {entries.length === 0 ? <Text>—</Text> : (
        <Table>
          <TableBody>
            {entries.map(([k, v]) => (
              <TableRow key={k}>
                <TableCell style={{ width: 160, color: '#6b7785', verticalAlign: 'top' }}>{LABELS[k] ?? '其他信息'}</TableCell>
                <TableCell style={{ whiteSpace: 'pre-wrap' }}>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default PlanContent;
