/**
 * 角色权限设置: the permission catalog as the manual's menu tree (module → sub-module →
 * actions), each module with 全选 (issue 17, item 10). Only what the editing admin holds can be
 * ticked; the server checks it again. `Checklist` is shared with 新增角色 (RoleForm) and the
 * role's detail (RolePermissions, read only).
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, CheckBox, H4, H5, Label, Loader, Text } from '@adminjs/design-system';

interface Item { code: string; label: string; grantable: boolean }
interface Sub { key: string; label: string; items: Item[] }
interface Mod { key: string; label: string; submodules: Sub[] }
interface Data { catalog: Mod[]; checked: string[] }

const api = new ApiClient();

/** The tree; `onChange` absent = read only (only what is held is listed). */
export const Checklist: React.FC<{ catalog: Mod[]; checked: Set<string>; onChange?: (next: Set<string>) => void }> = ({ catalog, checked, onChange }) => {
  const toggle = (code: string) => { const n = new Set(checked); if (n.has(code)) n.delete(code); else n.add(code); onChange?.(n); };
  if (!onChange) {
    const held = catalog.map((m) => ({ ...m, submodules: m.submodules.map((s) => ({ ...s, items: s.items.filter((i) => checked.has(i.code)) })).filter((s) => s.items.length) }))
      .filter((m) => m.submodules.length);
    if (!held.length) return <Text data-testid="permission-list">未设置任何权限</Text>;
    return (
      <Box data-testid="permission-list">
        {held.map((m) => (
          <Box key={m.key} mb="lg">
            <Text fontWeight="bold" mb="sm">{m.label}</Text>
            {m.submodules.map((s) => <Text key={s.key} ml="lg" mb="sm">{s.label}：{s.items.map((i) => i.label).join('、')}</Text>)}
          </Box>
        ))}
      </Box>
    );
  }
  return (
    <Box data-testid="permission-checklist">
      {catalog.map((m) => {
        const codes = m.submodules.flatMap((s) => s.items).filter((i) => i.grantable).map((i) => i.code);
        const all = codes.length > 0 && codes.every((c) => checked.has(c));
        const selectAll = () => { const n = new Set(checked); for (const c of codes) { if (all) n.delete(c); else n.add(c); } onChange(n); };
        return (
          <Box key={m.key} mb="xl" data-module={m.key}>
            <Box flex alignItems="center" style={{ gap: 12 }}>
              <H5 mb="0">{m.label}</H5>
              <Box flex alignItems="center">
                <CheckBox id={`all-${m.key}`} checked={all} disabled={!codes.length} onChange={selectAll} data-testid={`select-all-${m.key}`} />
                <Label inline htmlFor={`all-${m.key}`} ml="sm">全选</Label>
              </Box>
            </Box>
            {m.submodules.map((s) => (
              <Box key={s.key} ml="xl" mt="default" flex flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
                <Text style={{ minWidth: 160, fontWeight: 600 }}>{s.label}</Text>
                {s.items.map((i) => (
                  <Box key={i.code} flex alignItems="center">
                    <CheckBox id={i.code} checked={checked.has(i.code)} disabled={!i.grantable && !checked.has(i.code)} onChange={() => toggle(i.code)} />
                    <Label inline htmlFor={i.code} ml="sm" style={{ opacity: i.grantable ? 1 : 0.5 }}>{i.label}</Label>
                  </Box>
                ))}
              </Box>
            ))}
          </Box>
        );
      })}
    </Box>
  );
};

const PermissionTree: React.FC<ActionProps> = ({ action, record, resource }) => {
  const [data, setData] = useState<Data | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name }).then((r) => {
      const d = r.data as unknown as Data;
      setData(d);
      setChecked(new Set(d.checked));
    });
  }, [record?.id]);
  if (!data) return <Loader />;
  const save = async () => {
    setBusy(true);
    try {
      const r = await api.recordAction({ resourceId: resource.id, recordId: record!.id, actionName: action.name, data: { codes: [...checked] } } as never);
      const notice = (r.data as { notice?: { message: string; type: 'success' | 'error' } }).notice;
      if (notice) addNotice(notice);
    } finally { setBusy(false); }
  };
  return (
    <Box variant="white" p="xl" data-testid="permission-tree">
      <H4>角色权限：{record?.title}</H4>
      <Text color="grey60" mb="xl">只能授予您自己拥有的权限；灰色选项您无权授予。</Text>
      <Checklist catalog={data.catalog} checked={checked} onChange={setChecked} />
      <Button variant="contained" disabled={busy} onClick={save} data-testid="save-permissions">保存</Button>
    </Box>
  );
};

export default PermissionTree;
