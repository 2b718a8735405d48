/**
 * 审核进度 of a transfer (issue 17, item 7): each side — 调出方 and 调入方 — with the organisation
 * that reviews it, its state and when it was decided, so neither side has to ask the other.
 * The value is the JSON the transfers' list and show hooks add (src/workflow/transfer-records.ts).
 */
import React from 'react';
import { useTranslation, type ShowPropertyProps } from 'adminjs';
import { Badge, Box, Label, Text } from '@adminjs/design-system';

interface Side { side: 'source' | 'target'; organisation: string; status: string; statusLabel: string; decidedAt: string | null; reason: string | null }
const SIDE = { source: '调出方', target: '调入方' };
const COLOUR: Record<string, 'success' | 'danger' | 'secondary' | 'default'> = { approved: 'success', rejected: 'danger', withdrawn: 'secondary', pending: 'default' };
const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

const TransferProgress: React.FC<ShowPropertyProps & { where: string }> = ({ record, property, resource, where }) => {
  const { translateProperty } = useTranslation();
  let sides: Side[] = [];
  try { sides = JSON.parse(String(record.params[property.path] ?? '[]')) as Side[]; } catch { sides = []; }
  const lines = sides.map((s) => (
    <Box key={s.side} mb={where === 'list' ? 'sm' : 'default'} data-testid={`progress-${s.side}`} style={{ whiteSpace: 'nowrap' }}>
      <Text as="span" mr="sm">{where === 'list' ? SIDE[s.side].slice(0, 2) : SIDE[s.side]}</Text>
      <Badge size="sm" variant={COLOUR[s.status] ?? 'default'} outline={s.status === 'pending'}>{s.statusLabel}</Badge>
      {where !== 'list' && <Text as="span" ml="sm" color="grey60">{s.organisation}{s.decidedAt ? ` · ${day(s.decidedAt)}` : ''}{s.reason ? ` · ${s.reason}` : ''}</Text>}
    </Box>
  ));
  if (where === 'list') return <Box data-testid="transfer-progress">{lines}</Box>;
  return (
    <Box mb="xl" data-testid="transfer-progress">
      <Label>{translateProperty(property.path, resource.id)}</Label>
      {lines.length ? lines : <Text>—</Text>}
    </Box>
  );
};

export default TransferProgress;
