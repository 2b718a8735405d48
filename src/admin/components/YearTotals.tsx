/** 年度学时: a person's hours for each year — public, professional, total — and whether the year is complete. */
import React, { useEffect, useState } from 'react';
import { ApiClient, type ShowPropertyProps } from 'adminjs';
import { Badge, Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

interface Year { year: number; public_hours: string; professional_hours: string; total_hours: string; completed: boolean; required: { total: number; public: number; professional: number } }
const api = new ApiClient();

const YearTotals: React.FC<ShowPropertyProps> = ({ record, resource }) => {
  const [years, setYears] = useState<Year[] | null>(null);
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'yearTotals' }).then((r) => setYears((r.data as unknown as { years: Year[] }).years));
  }, [record.id]);
  return (
    <Box mb="xl" data-testid="year-totals">
      <Label>年度学时</Label>
      {!years ? <Text>加载中……</Text> : years.length === 0 ? <Text>暂无已认定的学时</Text> : (
        <Table>
          <TableHead><TableRow><TableCell>年度</TableCell><TableCell>公需科目</TableCell><TableCell>专业科目</TableCell><TableCell>合计</TableCell><TableCell>完成情况</TableCell></TableRow></TableHead>
          <TableBody>{years.map((y) => (
            <TableRow key={y.year}>
              <TableCell>{y.year}</TableCell>
              <TableCell>{Number(y.public_hours)} / {y.required.public}</TableCell>
              <TableCell>{Number(y.professional_hours)} / {y.required.professional}</TableCell>
              <TableCell>{Number(y.total_hours)} / {y.required.total}</TableCell>
              <TableCell><Badge variant={y.completed ? 'success' : 'danger'} outline>{y.completed ? '已完成' : '未完成'}</Badge></TableCell>
            </TableRow>
          ))}</TableBody>
        </Table>
      )}
    </Box>
  );
};

export default YearTotals;
