/**
 * 学习形式目录's rules as a reader sees them: the fields (and which date decides the year the
 * hours count in), the conversion as a table (one field, or level × rank), and where its values
 * come from — marked 「种子值，未经山东省文件确认」 until a Shandong text confirms them. AdminJS draws
 * nothing for these JSON columns, so without this the provincial admin could not read the rules
 * it edits.
 */
import React from 'react';
import { flat, useTranslation, type BasePropertyProps } from 'adminjs';
import { Badge, Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

interface Field { key: string; label: string; type: string; unit?: string; required: boolean; options?: string[]; decidesYear?: boolean }
interface Conversion {
  method: string; field?: string; fields?: [string, string]; hoursPerUnit?: number; hours?: number | Record<string, number | Record<string, number>>;
  source?: string; confirmed?: boolean;
}
interface Custom { methods?: Record<string, string>; fieldTypes?: Record<string, string> }

const UNCONFIRMED = '种子值，未经山东省文件确认';

const LearningFormRules: React.FC<BasePropertyProps> = ({ record, property, resource, where }) => {
  const { translateProperty } = useTranslation();
  const custom = (property.custom ?? {}) as Custom;
  const p = flat.unflatten(record?.params ?? {}) as { fields?: Field[]; conversion?: Conversion };
  const fields = p.fields ?? [];
  const c = p.conversion;
  const label = (key?: string) => fields.find((f) => f.key === key)?.label ?? key ?? '';
  const badge = c && c.method !== 'declared'
    ? <Badge variant={c.confirmed ? 'success' : 'secondary'} data-testid="conversion-confirmed">{c.confirmed ? '已经山东省文件确认' : UNCONFIRMED}</Badge>
    : null;
  if (where === 'list') return property.path === 'conversion' ? (badge ?? <Text>—</Text>) : <Text>{fields.length} 项</Text>;

  if (property.path === 'fields') {
    return (
      <Box mb="xl" data-testid="learning-form-fields">
        <Label>{translateProperty(property.path, resource.id)}</Label>
        <Table>
          <TableBody>
            {fields.map((f) => (
              <TableRow key={f.key}>
                <TableCell style={{ width: 220 }}>{f.label}{f.unit ? `（${f.unit}）` : ''}{f.required ? ' *' : ''}</TableCell>
                <TableCell style={{ width: 120, color: '#6b7785' }}>{custom.fieldTypes?.[f.type] ?? f.type}</TableCell>
                <TableCell>
                  {f.decidesYear && <Badge variant="primary" data-testid="decides-year">决定认定年度</Badge>}
                  {f.options && <Text as="span" ml="default">{f.options.join('、')}</Text>}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  const table = () => {
    if (!c) return <Text>—</Text>;
    if (c.method === 'per_unit') return <Text>{label(c.field)}每 1 {fields.find((f) => f.key === c.field)?.unit ?? '单位'}计 {c.hoursPerUnit} 学时</Text>;
    if (c.method === 'fixed') return <Text>每项 {String(c.hours)} 学时</Text>;
    if (c.method === 'declared') return <Text>按申报的学时数，不超过上限</Text>;
    const hours = (c.hours ?? {}) as Record<string, number | Record<string, number>>;
    // In the order the form offers the options (jsonb keeps its keys in its own order).
    const optionsOf = (key?: string) => fields.find((f) => f.key === key)?.options ?? [];
    const ordered = (key: string | undefined, keys: string[]) => [...optionsOf(key).filter((o) => keys.includes(o)), ...keys.filter((k) => !optionsOf(key).includes(k))];
    if (c.method === 'by_option') {
      return (
        <Table><TableHead><TableRow><TableCell>{label(c.field)}</TableCell><TableCell>学时</TableCell></TableRow></TableHead>
          <TableBody>{ordered(c.field, Object.keys(hours)).map((o) => <TableRow key={o}><TableCell>{o}</TableCell><TableCell>{String(hours[o])}</TableCell></TableRow>)}</TableBody></Table>
      );
    }
    const [rows, cols] = c.fields ?? ['', ''];
    const colKeys = ordered(cols, Object.keys(Object.values(hours)[0] ?? {}));
    return (
      <Table data-testid="conversion-matrix">
        <TableHead><TableRow><TableCell>{label(rows)} \ {label(cols)}</TableCell>{colKeys.map((k) => <TableCell key={k}>{k}</TableCell>)}</TableRow></TableHead>
        <TableBody>{ordered(rows, Object.keys(hours)).map((r) => (
          <TableRow key={r}><TableCell>{r}</TableCell>{colKeys.map((k) => <TableCell key={k}>{String((hours[r] as Record<string, number>)[k] ?? '—')}</TableCell>)}</TableRow>
        ))}</TableBody>
      </Table>
    );
  };
  return (
    <Box mb="xl" data-testid="learning-form-conversion">
      <Label>{translateProperty(property.path, resource.id)}{c ? `：${custom.methods?.[c.method] ?? c.method}` : ''}</Label>
      {table()}
      {c?.source && <Text mt="default" color="grey60">依据：{c.source}</Text>}
      {badge && <Box mt="sm">{badge}</Box>}
    </Box>
  );
};

export default LearningFormRules;
