/**
 * 打印证书, in three ways: a row of the list (打印证书), a person's ID number and a year
 * (按身份证号打印), a unit and a year (按单位批量打印). Each POSTs to issue the certificates,
 * then downloads the PDF (a plain GET of the address the server answers with).
 * 打印学时证明 on a person's record: a span of years (at most ten), then the proof's PDF.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H5, Input, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

const api = new ApiClient();
type Notice = { message: string; type: 'success' | 'error' };
interface Answer { notice?: Notice; downloadUrl?: string; downloadUrls?: string[]; number?: string }
interface Unit { id: number; name: string; persons: number; issued: number }

const lastYear = String(new Date().getFullYear() - 1);
const download = (url: string) => { window.location.assign(url); };

/** The server's refusal (AppError/ForbiddenError) comes back as a notice; anything else is a generic failure. */
function noticeOf(e: unknown): Notice {
  const data = (e as { response?: { data?: { notice?: Notice } } }).response?.data;
  return data?.notice ?? { message: '操作失败，请稍后重试', type: 'error' };
}

const CertificatePrint: React.FC<ActionProps> = ({ action, record, resource }) => {
  const addNotice = useNotice();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Notice | null>(null);
  const [links, setLinks] = useState<string[]>([]);
  const [idNumber, setIdNumber] = useState('');
  const [year, setYear] = useState(lastYear);
  const [fromYear, setFromYear] = useState(String(new Date().getFullYear() - 4));
  const [toYear, setToYear] = useState(String(new Date().getFullYear()));
  const [q, setQ] = useState('');
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [unit, setUnit] = useState<Unit | null>(null);
  /** Bumped after a batch, so the picker's 已发证书 counts are fresh. */
  const [printed, setPrinted] = useState(0);

  const run = async (call: () => Promise<{ data: unknown }>) => {
    setBusy(true); setMessage(null); setLinks([]);
    try {
      const d = (await call()).data as Answer;
      if (d.notice) { setMessage(d.notice); addNotice(d.notice); }
      const urls = d.downloadUrls ?? (d.downloadUrl ? [d.downloadUrl] : []);
      setLinks(urls);
      if (urls[0] && d.notice?.type !== 'error') download(urls[0]);
    } catch (e) {
      setMessage(noticeOf(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (action.name !== 'printBatch' || !/^\d{4}$/.test(year)) return undefined;
    const t = setTimeout(() => {
      api.resourceAction({ resourceId: resource.id, actionName: action.name, params: { year, q } } as never)
        .then((r) => setUnits((r.data as { units?: Unit[] }).units ?? []))
        .catch((e) => setMessage(noticeOf(e)));
    }, 250);
    return () => clearTimeout(t);
  }, [year, q, printed]);

  const result = (
    <Box mt="lg" data-testid="certificate-result">
      {message && <Text color={message.type === 'error' ? 'error' : 'success'} mb="default">{message.message}</Text>}
      {links.length > 1 && links.map((l, i) => <Box key={l}><a href={l}>下载第 {i + 1} 部分</a></Box>)}
      {links.length === 1 && <a href={links[0]}>如未自动下载，请点击此处下载PDF</a>}
    </Box>
  );

  const yearField = (label: string, value: string, set: (v: string) => void, testId: string) => (
    <Box mr="lg" style={{ width: 120 }}><Label required>{label}</Label>
      <Input width="100%" value={value} maxLength={4} data-testid={testId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(e.target.value.trim())} /></Box>
  );

  if (action.name === 'printHourProof' && record) {
    return (
      <Box variant="white" p="xl" data-testid="hour-proof-print">
        <H5>{record.params.name}　学时证明</H5>
        <Text mb="lg">选择起止年度（至多10个年度，不含未来年度）：出具该人员各年度公需科目、专业科目学时及达标、审验情况的证明，附二维码供核验。</Text>
        <Box flex alignItems="flex-end">
          {yearField('起始年度', fromYear, setFromYear, 'proof-from')}
          {yearField('截止年度', toYear, setToYear, 'proof-to')}
          <Button variant="contained" disabled={busy} data-testid="print-proof"
            onClick={() => run(() => api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: { from: fromYear, to: toYear } } as never))}>
            出具并下载PDF
          </Button>
        </Box>
        {result}
      </Box>
    );
  }

  if (action.actionType === 'record' && record) {
    const p = record.params;
    return (
      <Box variant="white" p="xl" data-testid="certificate-print">
        <H5>{p.name}　{p.year}年度</H5>
        <Text mb="sm">总学时：{Number(p.total_hours)}（公需科目 {Number(p.public_hours)}，专业科目 {Number(p.professional_hours)}）</Text>
        <Text mb="lg">证书编号：{p.certificate_number || '尚未发证（打印时生成）'}</Text>
        <Button variant="contained" disabled={busy} data-testid="print-one"
          onClick={() => run(() => api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: {} } as never))}>
          {p.certificate_number ? '下载证书PDF' : '生成证书并下载PDF'}
        </Button>
        {result}
      </Box>
    );
  }

  const yearInput = yearField('年度', year, setYear, 'certificate-year');

  if (action.name === 'printByIdNumber') {
    return (
      <Box variant="white" p="xl" data-testid="certificate-by-id">
        <Text mb="lg">输入专业技术人员的身份证号和年度：该年度学时达标的，生成（或取回）证书并下载；未达标的，显示原因。</Text>
        <Box flex alignItems="flex-end">
          <Box mr="lg" style={{ width: 260 }}><Label required>身份证号</Label>
            <Input width="100%" value={idNumber} maxLength={18} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setIdNumber(e.target.value.trim())} /></Box>
          {yearInput}
          <Button variant="contained" disabled={busy || idNumber.length !== 18}
            onClick={() => run(() => api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { idNumber, year } } as never))}>
            查询并打印
          </Button>
        </Box>
        {result}
      </Box>
    );
  }

  return (
    <Box variant="white" p="xl" data-testid="certificate-batch">
      <Text mb="lg">选择单位和年度：该单位该年度学时达标的人员，每人一页，合成一个PDF（每个文件至多500份）。</Text>
      <Box flex alignItems="flex-end" mb="lg">
        {yearInput}
        <Box style={{ width: 320 }}><Label>单位名称</Label>
          <Input width="100%" value={q} maxLength={50} placeholder="输入单位名称筛选" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQ(e.target.value)} /></Box>
      </Box>
      {units === null ? <Text>加载中……</Text> : units.length === 0 ? <Text>该年度没有学时达标人员的单位</Text> : (
        <Table>
          <TableHead><TableRow><TableCell>单位</TableCell><TableCell>达标人数</TableCell><TableCell>已发证书</TableCell><TableCell /></TableRow></TableHead>
          <TableBody>{units.map((u) => (
            <TableRow key={u.id}>
              <TableCell>{u.name}</TableCell><TableCell>{u.persons}</TableCell><TableCell>{u.issued}</TableCell>
              <TableCell><Button size="sm" variant={unit?.id === u.id ? 'contained' : 'outlined'} disabled={busy}
                onClick={() => {
                  setUnit(u);
                  run(() => api.resourceAction({ resourceId: resource.id, actionName: action.name, data: { unitId: u.id, year } } as never))
                    .then(() => setPrinted((n) => n + 1));
                }}>
                批量打印</Button></TableCell>
            </TableRow>
          ))}</TableBody>
        </Table>
      )}
      {result}
    </Box>
  );
};

export default CertificatePrint;
