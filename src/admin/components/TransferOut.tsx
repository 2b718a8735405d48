/** 人员调出: 选择调出人员 → 详情 → 调入单位与调转原因 → 提交申请. */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H5, Input, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

interface Person { id: number; name: string; idNumber: string; unit: string; series: string; title: string }
interface Unit { id: number; name: string; superior: string }
const api = new ApiClient();

const pick: React.CSSProperties = { display: 'block', width: '100%', textAlign: 'left', padding: '8px 12px', border: '1px solid #dde3ea', borderRadius: 4, marginBottom: 6, background: '#fff', cursor: 'pointer' };

const TransferOut: React.FC<ActionProps> = ({ resource, action }) => {
  const [personQuery, setPersonQuery] = useState('');
  const [unitQuery, setUnitQuery] = useState('');
  const [persons, setPersons] = useState<Person[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [person, setPerson] = useState<Person | null>(null);
  const [unit, setUnit] = useState<Unit | null>(null);
  const [reason, setReason] = useState('');
  const addNotice = useNotice();
  const navigate = useNavigate();
  useEffect(() => {
    const t = setTimeout(() => {
      api.resourceAction({ resourceId: resource.id, actionName: action.name, params: { person: personQuery, unit: unitQuery } } as never)
        .then((r) => { const d = r.data as { persons: Person[]; units: Unit[] }; setPersons(d.persons ?? []); setUnits(d.units ?? []); });
    }, 250);
    return () => clearTimeout(t);
  }, [personQuery, unitQuery]);
  const submit = async () => {
    // A conflict (409: the person already has an open transfer) carries its notice in the body.
    const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { personId: person?.id, toUnitId: unit?.id, reason } } as never)
      .catch((e: { response?: { data?: unknown } }) => ({ data: e.response?.data ?? { notice: { message: '请求失败，请稍后重试', type: 'error' } } }));
    const d = r.data as { notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string };
    if (d.notice) addNotice(d.notice);
    if (d.notice?.type === 'success' && d.redirectUrl) navigate(d.redirectUrl);
  };
  return (
    <Box variant="white" p="xl" data-testid="transfer-out">
      <H5>① 选择调出人员</H5>
      {person ? (
        <Box mb="xl" p="lg" style={{ background: '#f5f8fb', borderRadius: 6 }} data-testid="chosen-person">
          <Text>姓名：{person.name}　证件号：{person.idNumber}</Text>
          <Text>原单位：{person.unit}　专业技术职务：{person.series} / {person.title}</Text>
          <Button variant="text" size="sm" onClick={() => setPerson(null)}>重新选择</Button>
        </Box>
      ) : (
        <Box mb="xl">
          <Input width="100%" placeholder="输入姓名或完整身份证号查找本辖区人员" value={personQuery} data-testid="person-query"
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPersonQuery(e.target.value)} />
          <Box mt="default">{persons.map((x) => (
            <button type="button" key={x.id} style={pick} onClick={() => setPerson(x)}>{x.name}　{x.idNumber}　{x.unit}</button>
          ))}</Box>
        </Box>
      )}
      <H5>② 调入单位</H5>
      {unit ? (
        <Box mb="xl"><Text data-testid="chosen-unit">{unit.name}（上级：{unit.superior}）</Text><Button variant="text" size="sm" onClick={() => setUnit(null)}>重新选择</Button></Box>
      ) : (
        <Box mb="xl">
          <Input width="100%" placeholder="输入单位名称（全省范围）" value={unitQuery} data-testid="unit-query"
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setUnitQuery(e.target.value)} />
          <Box mt="default">{units.map((u) => (
            <button type="button" key={u.id} style={pick} onClick={() => setUnit(u)}>{u.name}　（{u.superior}）</button>
          ))}</Box>
        </Box>
      )}
      <H5>③ 调转原因</H5>
      <Label required>调转原因</Label>
      <TextArea width="100%" rows={3} maxLength={500} value={reason} data-testid="transfer-reason"
        onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
      <Box mt="xl"><Button variant="contained" disabled={!person || !unit || !reason.trim()} onClick={submit} data-testid="transfer-submit">提交调出申请</Button></Box>
    </Box>
  );
};

export default TransferOut;
