/**
 * A review list with the manual's tabs: 待审核 / 已审核. Each tab is a status filter on the
 * ordinary list (so "approve all" decides exactly what the pending tab shows).
 */
import React, { useEffect } from 'react';
import { List, type ActionProps } from 'adminjs';
import { Box, Button } from '@adminjs/design-system';
import { useLocation, useNavigate } from 'react-router';

interface Tab { label: string; status: string }

const ReviewList: React.FC<ActionProps> = (props) => {
  const tabs = ((props.action.custom ?? {}) as { tabs?: Tab[] }).tabs ?? [];
  const location = useLocation();
  const navigate = useNavigate();
  const params = new URLSearchParams(location.search);
  const current = params.get('filters.status');
  const go = (status: string, replace = false) => {
    const next = new URLSearchParams(location.search);
    next.set('filters.status', status);
    next.delete('page');
    navigate({ pathname: location.pathname, search: `?${next.toString()}` }, { replace });
  };
  useEffect(() => { if (!current && tabs.length) go(tabs[0].status, true); }, [current]);
  // AdminJS's header buttons drop the list's query: remember it, so that 全部通过 / 全部驳回
  // decide exactly what this list shows.
  useEffect(() => { sessionStorage.setItem(`review-filters:${props.resource.id}`, location.search); }, [location.search]);
  return (
    <Box>
      <Box flex mb="lg" style={{ gap: 8 }} data-testid="review-tabs">
        {tabs.map((t) => (
          <Button key={t.status} size="sm" variant={current === t.status ? 'contained' : 'outlined'} onClick={() => go(t.status)}>{t.label}</Button>
        ))}
      </Box>
      <List {...props} />
    </Box>
  );
};

export default ReviewList;
