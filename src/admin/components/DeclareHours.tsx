/**
 * 学时（分）申报: ① 计入科目 and 学习形式 → ② the fields of that learning form (the proof is a real
 * upload, issue 17) → ③ applicants →
 * the hours the catalog gives, shown before saving.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, H5, Input, Label, Select, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

interface Field { key: string; label: string; type: 'text' | 'date' | 'number' | 'select' | 'file'; unit?: string; required: boolean; options?: string[]; decidesYear?: boolean }
interface Form { id: number; name: string; subjectTypes: string[]; fields: Field[]; bulkImport: boolean; capPerActivity: string | null; capPerYear: string | null }
interface Preview { hours: number; keyReview: boolean; year: number; persons: Array<{ id: number; name: string }> }
const api = new ApiClient();
/** The server decides by content (src/services/evidence.ts); this only spares a pointless upload. */
const MAX_EVIDENCE = 5 * 1024 * 1024;
const SUBJECTS = [{ value: 'public', label: '公需科目' }, { value: 'professional', label: '专业科目' }];

const DeclareHours: React.FC<ActionProps> = ({ resource, action }) => {
  const [forms, setForms] = useState<Form[]>([]);
  const [subject, setSubject] = useState('');
  const [formId, setFormId] = useState<number | null>(null);
  const [compulsory, setCompulsory] = useState('true');
  const [values, setValues] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Array<{ id: number; label: string }>>([]);
  const [applicants, setApplicants] = useState<Array<{ id: number; label: string }>>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const load = (person = '') => api.resourceAction({ resourceId: resource.id, actionName: action.name, params: { person } } as never)
    .then((r) => r.data as { forms: Form[]; persons: Array<{ id: number; label: string }>; self: number | null });
  // A person declares for itself only: 本人 is the one applicant, with nobody else to add.
  const [self, setSelf] = useState<number | null>(null);
  useEffect(() => { load().then((d) => { setForms(d.forms); if (d.self) { setSelf(d.self); setApplicants([{ id: d.self, label: '本人' }]); } }); }, []);
  useEffect(() => { const t = setTimeout(() => { if (query) load(query).then((d) => setFound(d.persons)); else setFound([]); }, 250); return () => clearTimeout(t); }, [query]);
  const form = forms.find((f) => f.id === formId);
  const submit = async (dryRun: boolean) => {
    const payload = { subjectType: subject, learningFormId: formId, compulsory: subject === 'public' ? compulsory : null, values, personIds: applicants.map((a) => a.id), dryRun };
    // The proof travels with the submission (multipart); 计算学时 needs no file.
    let data: unknown = payload;
    if (file && !dryRun) {
      const multipart = new FormData();
      multipart.append('payload', JSON.stringify(payload));
      multipart.append('evidence_file', file, file.name);
      data = multipart;
    }
    const r = await api.resourceAction({ resourceId: resource.id, actionName: action.name, data } as never);
    const d = r.data as { errors?: Record<string, string>; preview?: Preview; notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string };
    setErrors(d.errors ?? {});
    if (d.notice) addNotice(d.notice);
    if (dryRun) setPreview(d.preview ?? null);
    else if (d.notice?.type === 'success') navigate(d.redirectUrl ?? '/admin/resources/hour_declarations');
  };
  return (
    <Box variant="white" p="xl" data-testid="declare-hours">
      <H5>① 计入科目与学习形式</H5>
      <Box flex style={{ gap: 16 }} mb="xl">
        <Box style={{ minWidth: 200 }}><Label required>计入科目</Label>
          <Select inputId="subject" value={SUBJECTS.find((s) => s.value === subject) ?? null} options={SUBJECTS}
            onChange={(o: { value: string } | null) => { setSubject(o?.value ?? ''); setFormId(null); setPreview(null); }} /></Box>
        <Box style={{ minWidth: 240 }}><Label required>学习形式</Label>
          <Select inputId="form" value={form ? { value: String(form.id), label: form.name } : null}
            options={forms.filter((f) => f.subjectTypes.includes(subject)).map((f) => ({ value: String(f.id), label: f.name }))}
            placeholder={subject ? '请选择' : '请先选择计入科目'}
            onChange={(o: { value: string } | null) => { setFormId(o ? Number(o.value) : null); setValues({}); setFile(null); setPreview(null); }} /></Box>
        {subject === 'public' && (
          <Box style={{ minWidth: 160 }}><Label>必修/选修</Label>
            <Select inputId="compulsory" value={{ value: compulsory, label: compulsory === 'true' ? '必修' : '选修' }}
              options={[{ value: 'true', label: '必修' }, { value: 'false', label: '选修' }]} onChange={(o: { value: string } | null) => setCompulsory(o?.value ?? 'true')} /></Box>
        )}
      </Box>
      {form && (
        <Box mb="xl">
          <H5>② 学习信息（{form.name}{form.capPerActivity ? `，单次最多 ${Number(form.capPerActivity)} 学时` : ''}{form.capPerYear ? `，每年最多 ${Number(form.capPerYear)} 学时` : ''}）</H5>
          {form.bulkImport && <Text mb="lg" color="grey60">该学习形式支持使用导入模板批量申报。</Text>}
          {form.fields.map((f) => (
            <Box key={f.key} mb="lg">
              <Label required={f.required} htmlFor={`f-${f.key}`}>{f.label}{f.unit ? `（${f.unit}）` : ''}{f.decidesYear ? '（其年份为认定年度）' : ''}</Label>
              {f.type === 'file' ? (
                <Box>
                  <input id={`f-${f.key}`} name={f.key} type="file" accept="application/pdf,image/jpeg,image/png" data-testid="evidence-file"
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
                      const chosen = e.target.files?.[0] ?? null;
                      if (chosen && chosen.size > MAX_EVIDENCE) { setErrors({ ...errors, [f.key]: `文件不能超过 5 MB（所选文件 ${(chosen.size / 1024 / 1024).toFixed(1)} MB）` }); setFile(null); e.target.value = ''; return; }
                      setErrors({ ...errors, [f.key]: '' }); setFile(chosen);
                    }} />
                  <Text mt="sm" color="grey60">上传扫描件或照片：PDF 或 JPG/PNG 图片，不超过 5 MB；审核人员将在审核页面直接查看。</Text>
                </Box>
              ) : f.type === 'select' ? (
                <Select inputId={`f-${f.key}`} value={values[f.key] ? { value: values[f.key], label: values[f.key] } : null} options={(f.options ?? []).map((o) => ({ value: o, label: o }))}
                  onChange={(o: { value: string } | null) => { setValues({ ...values, [f.key]: o?.value ?? '' }); setPreview(null); }} />
              ) : (
                <Input id={`f-${f.key}`} name={f.key} width="100%" type={f.type === 'date' ? 'date' : f.type === 'number' ? 'number' : 'text'} value={values[f.key] ?? ''}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => { setValues({ ...values, [f.key]: e.target.value }); setPreview(null); }} />
              )}
              {errors[f.key] && <Text color="error" mt="sm">{errors[f.key]}</Text>}
            </Box>
          ))}
        </Box>
      )}
      <H5>③ 申请人</H5>
      <Box flex flexWrap="wrap" style={{ gap: 8 }} mb="default">
        {self ? <Text data-testid="applicant-self">本人</Text>
          : applicants.map((a) => <Button key={a.id} size="sm" variant="outlined" onClick={() => { setApplicants(applicants.filter((x) => x.id !== a.id)); setPreview(null); }}>{a.label} ×</Button>)}
      </Box>
      {!self && (
        <>
          <Input width="100%" placeholder="输入姓名或身份证号，添加本辖区的专业技术人员" value={query} data-testid="applicant-query" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} />
          <Box mt="default" mb="xl">{found.filter((f) => !applicants.some((a) => a.id === f.id)).map((f) => (
            <Button key={f.id} size="sm" variant="text" onClick={() => { setApplicants([...applicants, f]); setPreview(null); }}>+ {f.label}</Button>
          ))}</Box>
        </>
      )}
      {self && <Box mb="xl" />}
      {preview && (
        <Box mb="xl" p="lg" style={{ background: '#eef5fb', borderRadius: 6 }} data-testid="hours-preview">
          <Text>认定年度 {preview.year}：每人 <b>{preview.hours}</b> 学时，共 {preview.persons.length} 人{preview.keyReview ? '（将标记为重点审核）' : ''}</Text>
        </Box>
      )}
      <Button variant="outlined" disabled={!form || !applicants.length} onClick={() => submit(true)} data-testid="compute-hours">计算学时</Button>
      <Button variant="contained" ml="lg" disabled={!preview} onClick={() => submit(false)} data-testid="submit-hours">提交申报</Button>
    </Box>
  );
};

export default DeclareHours;
