/** 角色权限 on a role's detail (issue 17, item 10): the permissions it holds, as the catalog's tree. */
import React, { useEffect, useState } from 'react';
import { ApiClient, type ShowPropertyProps } from 'adminjs';
import { Box, Label, Text } from '@adminjs/design-system';
import { Checklist } from './PermissionTree';

const api = new ApiClient();
type Catalog = React.ComponentProps<typeof Checklist>['catalog'];

const RolePermissions: React.FC<ShowPropertyProps> = ({ record, resource }) => {
  const [data, setData] = useState<{ catalog: Catalog; checked: string[] } | null>(null);
  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'permissionTree' })
      .then((r) => setData(r.data as unknown as { catalog: Catalog; checked: string[] }));
  }, [record.id]);
  return (
    <Box mb="xl" data-testid="role-permissions">
      <Label>角色权限</Label>
      {!data ? <Text>加载中……</Text> : <Checklist catalog={data.catalog} checked={new Set(data.checked)} />}
    </Box>
  );
};

export default RolePermissions;
