/**
 * Any action that changes state — on one record, on the selected records, or on everything
 * the list's filter matches: shows what will happen (and how many records), asks for a reason
 * where the action needs one (a rejection), and sends it by POST. Configured per action through
 * `custom: { confirm, note, reason: 'required' | 'optional' | false, reasonLabel, submit }`.
 *
 * The question names what it decides (issue 17, item 4): `confirm` is a template — {title} is the
 * record's title, {count} the number selected, {field} a referenced record's title (a person's
 * name) or the field's value — "通过 济南某某公司 的注册申请？", not "记录：15". Where the action
 * answers its GET with `facts` (what the reviewer must check: ID number, credit code, unit,
 * contact), the dialog lists them.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, Label, Text, TextArea } from '@adminjs/design-system';
import { useLocation, useNavigate } from 'react-router';

const api = new ApiClient();
type Notice = { message: string; type: 'success' | 'error' };

const ConfirmAction: React.FC<ActionProps> = ({ action, record, records, resource }) => {
  const custom = (action.custom ?? {}) as { confirm?: string; note?: string; reason?: 'required' | 'optional' | false; submit?: string; reasonLabel?: string };
  const [facts, setFacts] = useState<Array<{ label: string; value: string }>>([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const location = useLocation();
  // The list's filters travel with "approve all" (全部通过) so it decides what the list shows.
  // AdminJS's ApiClient puts `query` into the path; the filters go as a real query string (`params`).
  const remembered = action.actionType === 'resource' ? sessionStorage.getItem(`review-filters:${resource.id}`) ?? '' : '';
  const query = (location.search.includes('filters.') ? location.search : remembered).replace(/^\?/, '');
  const params = new URLSearchParams(query);
  const filters = Object.fromEntries([...params].filter(([k]) => k.startsWith('filters.')));

  useEffect(() => {
    if (action.actionType !== 'record' || !record) return;
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name } as never)
      .then((r) => setFacts((r.data as { facts?: Array<{ label: string; value: string }> }).facts ?? []))
      .catch(() => setFacts([]));
  }, [record?.id]);

  useEffect(() => {
    if (action.actionType !== 'resource') return;
    api.resourceAction({ resourceId: resource.id, actionName: action.name, params: filters } as never)
      .then((r) => setCount((r.data as { count?: number }).count ?? 0));
  }, [query]);

  const call = (data: Record<string, unknown>) => {
    if (action.actionType === 'record') return api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data } as never);
    if (action.actionType === 'bulk') return api.bulkAction({ resourceId: resource.id, recordIds: (records ?? []).map((r) => r.id), actionName: action.name, data } as never);
    return api.resourceAction({ resourceId: resource.id, actionName: action.name, data, params: filters } as never);
  };

  const submit = async () => {
    if (custom.reason === 'required' && !reason.trim()) { setError('请填写原因'); return; }
    setBusy(true);
    try {
      const res = await call({ reason });
      const data = res.data as { notice?: Notice; redirectUrl?: string };
      if (data.notice) addNotice(data.notice);
      if (data.notice?.type !== 'error') navigate(data.redirectUrl ?? `/admin/resources/${resource.id}`);
    } catch {
      addNotice({ message: '操作失败，请稍后重试', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    if (key === 'title') return String(record?.title ?? '');
    if (key === 'count') return String((records ?? []).length);
    const populated = (record?.populated as Record<string, { title?: string } | null> | undefined)?.[key];
    return String(populated?.title ?? record?.params?.[key] ?? '');
  });
  const selected = (records ?? []).map((r) => r.title).filter(Boolean);
  const scope = action.actionType === 'record' ? null
    : action.actionType === 'bulk' ? `${selected.slice(0, 10).join('、')}${selected.length > 10 ? ` 等 ${selected.length} 条` : ''}`
      : count === null ? '正在统计……' : `共 ${count} 条待审核记录${params.toString() ? '（按当前筛选条件）' : ''}`;
  return (
    <Box variant="white" p="xl" data-testid="confirm-action">
      <Text mb="lg" fontWeight="bold" data-testid="confirm-question">{fill(custom.confirm ?? '确定执行该操作吗？')}</Text>
      {custom.note && <Text mb="lg">{custom.note}</Text>}
      {scope && <Text mb="lg" color="grey60" data-testid="confirm-scope">{scope}</Text>}
      {facts.length > 0 && (
        <Box as="dl" mb="lg" data-testid="confirm-facts" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 6 }}>
          {facts.map((f) => <React.Fragment key={f.label}><Text as="dt" color="grey60">{f.label}</Text><Text as="dd" style={{ margin: 0 }}>{f.value}</Text></React.Fragment>)}
        </Box>
      )}
      {custom.reason && (
        <Box mb="lg">
          <Label required={custom.reason === 'required'}>{custom.reasonLabel ?? (custom.reason === 'required' ? '驳回原因' : '审核意见')}</Label>
          <TextArea width="100%" rows={4} value={reason} maxLength={500} data-testid="reason"
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => { setReason(e.target.value); setError(null); }} />
          {error && <Text color="error" mt="sm">{error}</Text>}
        </Box>
      )}
      <Button variant="contained" disabled={busy || count === 0} onClick={submit} data-testid="confirm-submit">{custom.submit ?? '确定'}</Button>
      <Button variant="text" ml="lg" onClick={() => navigate(-1)}>取消</Button>
    </Box>
  );
};

export default ConfirmAction;
