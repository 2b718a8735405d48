/**
 * 证明材料 beside the claim (issue 17, item 1): on a record's detail the proof itself — an image
 * inline, a PDF as a link that opens it in a new tab (the panel's CSP forbids framing, so no
 * embedded page) — and in a review list one 查看 link per row. The file comes from
 * /admin/files/<resource>/<id>, which reads the record through that resource's scope.
 * `custom.name` names the column holding the file's name (evidence_name, licence_name); the
 * property itself is the detected type (evidence_kind, licence_kind), null when there is no file;
 * `custom.reference` the param holding a reference given instead (an import's 证明材料 column).
 */
import React from 'react';
import { useTranslation, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Link, Text } from '@adminjs/design-system';

const EvidencePreview: React.FC<ShowPropertyProps & { where: string }> = ({ record, resource, property, where }) => {
  const { translateProperty } = useTranslation();
  const kind = record.params[property.path] as string | undefined;
  const custom = (property.custom ?? {}) as { name?: string; reference?: string };
  const nameKey = custom.name ?? 'evidence_name';
  // A record without a file (an import, a seeded record) may name its proof by reference (details.evidence).
  const reference = custom.reference ? record.params[custom.reference] as string | undefined : undefined;
  const name = (record.params[nameKey] as string | undefined) ?? '证明材料';
  const url = `/admin/files/${resource.id}/${record.id}`;
  if (where === 'list') {
    return kind
      ? <Link href={`${url}?inline=1`} target="_blank" rel="noopener" data-testid="evidence-link" title={name} onClick={(e: React.MouseEvent) => e.stopPropagation()}>查看</Link>
      : <Text color="grey60">—</Text>;
  }
  return (
    <Box mb="xl" data-testid="evidence-preview">
      <Label>{translateProperty(property.path, resource.id)}</Label>
      {!kind && <Text data-testid="evidence-none">未上传文件{reference ? `；证明材料引用：${reference}（导入或早期记录，请按引用核对原件）` : ''}</Text>}
      {(kind === 'jpeg' || kind === 'png') && (
        <a href={`${url}?inline=1`} target="_blank" rel="noopener">
          <img src={`${url}?inline=1`} alt={name} data-testid="evidence-image"
            style={{ display: 'block', maxWidth: '100%', maxHeight: 480, border: '1px solid #dde2e8', borderRadius: 4, background: '#f6f7f9' }} />
        </a>
      )}
      {kind === 'pdf' && <Link href={`${url}?inline=1`} target="_blank" rel="noopener" data-testid="evidence-pdf">在新窗口查看 PDF：{name}</Link>}
      {kind && <Text mt="sm"><Link href={url} data-testid="evidence-download">下载 {name}</Link></Text>}
    </Box>
  );
};

export default EvidencePreview;
