/**
 * 申请变更: the changeable fields prefilled with the current values, the proof file and an evidence note. A
 * select's option may hold `when` (other fields' values): it is offered only then — a title's
 * levels follow its series, its titles follow series and level — and a choice that no longer
 * fits is cleared.
 */
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, Input, Label, Select, Text, TextArea } from '@adminjs/design-system';

interface Option { value: string; label: string; when?: Record<string, string> }
interface Field { key: string; label: string; type?: 'text' | 'select'; options?: Option[] }
const fits = (o: Option, values: Record<string, string>) => !o.when || Object.entries(o.when).every(([k, v]) => values[k] === v);
/** The values after one change, with every dependent choice that no longer fits cleared. */
function changed(fields: Field[], values: Record<string, string>, key: string, value: string): Record<string, string> {
  const next = { ...values, [key]: value };
  for (const f of fields) {
    if (f.type === 'select' && next[f.key] && f.options?.some((o) => o.when) && !f.options.some((o) => o.value === next[f.key] && fits(o, next))) next[f.key] = '';
  }
  return next;
}
const api = new ApiClient();

const RequestChange: React.FC<ActionProps> = ({ action, record, resource }) => {
  const { fields = [], proof } = (action.custom ?? {}) as { fields?: Field[]; proof?: { label: string; required: boolean } };
  const [file, setFile] = useState<File | null>(null);
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.key, String(record?.params?.[f.key] ?? '')])));
  const [evidence, setEvidence] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const addNotice = useNotice();
  const submit = async () => {
    // With a proof file the request is multipart (the same fields, and `evidence_file`).
    let data: unknown = { ...values, evidence };
    if (file) {
      const multipart = new FormData();
      for (const [k, v] of Object.entries({ ...values, evidence })) multipart.append(k, v);
      multipart.append('evidence_file', file, file.name);
      data = multipart;
    }
    const r = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data } as never);
    const d = r.data as { errors?: Record<string, string>; notice?: { message: string; type: 'success' | 'error' } };
    setErrors(d.errors ?? {});
    if (d.notice) addNotice(d.notice);
    if (d.notice?.type === 'success') setDone(true);
  };
  if (done) return <Box variant="white" p="xl"><Text data-testid="change-filed">变更申请已提交，待上级人社部门审核。</Text></Box>;
  return (
    <Box variant="white" p="xl" data-testid="request-change">
      {fields.map((f) => (
        <Box mb="lg" key={f.key}>
          <Label htmlFor={f.key}>{f.label}</Label>
          {f.type === 'select' ? (
            <Select inputId={f.key} value={f.options?.find((o) => o.value === values[f.key] && fits(o, values)) ?? null}
              options={(f.options ?? []).filter((o) => fits(o, values)).map(({ value, label }) => ({ value, label }))}
              onChange={(o: { value: string } | null) => setValues(changed(fields, values, f.key, o?.value ?? ''))} />
          ) : (
            <Input id={f.key} width="100%" value={values[f.key]} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [f.key]: e.target.value })} />
          )}
          {errors[f.key] && <Text color="error" mt="sm">{errors[f.key]}</Text>}
        </Box>
      ))}
      {proof && (
        <Box mb="lg">
          <Label htmlFor="evidence_file" required={proof.required}>{proof.label}</Label>
          <input id="evidence_file" type="file" accept="application/pdf,image/jpeg,image/png" data-testid="evidence-file"
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFile(e.target.files?.[0] ?? null)} />
          <Text mt="sm" color="grey60">PDF 或 JPG/PNG 图片，不超过 5 MB；审核人员将在审核页面直接查看。</Text>
          {errors.evidence_file && <Text color="error" mt="sm">{errors.evidence_file}</Text>}
        </Box>
      )}
      <Label>证明材料说明</Label>
      <TextArea width="100%" rows={3} maxLength={1000} value={evidence} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setEvidence(e.target.value)} />
      <Box mt="xl"><Button variant="contained" onClick={submit} data-testid="request-change-submit">提交变更申请</Button></Box>
    </Box>
  );
};

export default RequestChange;
