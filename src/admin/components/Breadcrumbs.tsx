/**
 * AdminJS's breadcrumbs (首页 / resource / action), except that a page which IS its menu entry
 * — the statistics pages, whose action and resource carry one name — read 首页 / 查询统计 /
 * 继教综合统计查询 (the menu group, then the page) instead of naming the page twice.
 */
import React from 'react';
import { Link } from 'react-router-dom';
import { Box, Text } from '@adminjs/design-system';
import { useTranslation, ViewHelpers, type ResourceJSON, type RecordJSON } from 'adminjs';

const crumb: React.CSSProperties = { color: '#898A9A', textDecoration: 'none' };
const last: React.CSSProperties = { color: '#0C1E29', textDecoration: 'none' };
const sep = <span style={{ padding: '0 8px', color: '#898A9A' }}>/</span>;

const Breadcrumbs: React.FC<{ resource: ResourceJSON; record?: RecordJSON | null; actionName: string }> = ({ resource, record, actionName }) => {
  const { tl, ta } = useTranslation();
  const h = new ViewHelpers();
  const listAction = resource.resourceActions.find(({ name }) => name === 'list');
  const action = resource.actions.find((a) => a.name === actionName);
  const resourceName = tl(resource.name, resource.id);
  const actionLabel = action && action.name !== 'list' ? ta(action.label, resource.id) : null;
  const isMenuPage = !!actionLabel && actionLabel === resourceName;
  const group = resource.navigation?.name ? tl(resource.navigation.name) : null;
  return (
    <Box flexGrow={1} className="adminjs_Breadcrumbs" data-css={`${resource.id}-${actionName}-breadcrumbs`} data-testid="breadcrumbs">
      <Link to={h.dashboardUrl()} style={crumb}>{tl('dashboard')}</Link>
      {isMenuPage ? (
        <>
          {group && <>{sep}<Text as="span" style={crumb}>{group}</Text></>}
          {sep}<Text as="span" style={last}>{actionLabel}</Text>
        </>
      ) : (
        <>
          {sep}
          {listAction
            ? <Link to={resource.href ? resource.href : '/'} style={actionLabel || record ? crumb : last}>{resourceName}</Link>
            : <Text as="span" style={actionLabel ? crumb : last}>{resourceName}</Text>}
          {actionLabel && <>{sep}<Text as="span" style={last}>{actionLabel}</Text></>}
        </>
      )}
    </Box>
  );
};

export default Breadcrumbs;
