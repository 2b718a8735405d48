/** 更换上级部门: choose the new superior HR department and give a reason. */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H5, Input, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

interface Org { id: number; name: string }
const api = new ApiClient();
const pick: React.CSSProperties = { display: 'block', width: '100%', textAlign: 'left', padding: '8px 12px', border: '1px solid #dde3ea', borderRadius: 4, marginBottom: 6, background: '#fff', cursor: 'pointer' };

const ChangeSuperior: React.FC<ActionProps> = ({ resource, action, record }) => {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Org[]>([]);
  const [chosen, setChosen] = useState<Org | null>(null);
  const [reason, setReason] = useState('');
  const addNotice = useNotice();
  const navigate = useNavigate();
  useEffect(() => {
    const t = setTimeout(() => {
      api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, params: { q: query } } as never)
        .then((r) => setFound(((r.data as { candidates?: Org[] }).candidates) ?? []));
    }, 250);
    return () => clearTimeout(t);
  }, [query]);
  const submit = async () => {
    const r = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data: { toSuperiorId: chosen?.id, reason } } as never);
    const d = r.data as { notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string };
    if (d.notice) addNotice(d.notice);
    if (d.notice?.type === 'success') navigate(d.redirectUrl ?? `/admin/resources/${resource.id}`);
  };
  return (
    <Box variant="white" p="xl" data-testid="change-superior">
      <Text mb="lg">修改后须经原上级部门及新上级部门管理员审核通过，方可生效。</Text>
      <H5>新上级部门</H5>
      {chosen ? <Box mb="xl"><Text>{chosen.name}</Text><Button variant="text" size="sm" onClick={() => setChosen(null)}>重新选择</Button></Box> : (
        <Box mb="xl">
          <Input width="100%" placeholder="输入人社部门名称查找" value={query} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} />
          <Box mt="default">{found.map((o) => <button type="button" key={o.id} style={pick} onClick={() => setChosen(o)}>{o.name}</button>)}</Box>
        </Box>
      )}
      <Label>变更原因</Label>
      <TextArea width="100%" rows={3} maxLength={500} value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
      <Box mt="xl"><Button variant="contained" disabled={!chosen} onClick={submit}>提交申请</Button></Box>
    </Box>
  );
};

export default ChangeSuperior;
