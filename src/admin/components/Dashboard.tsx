/**
 * 首页: greets the admin and shows the to-do panel (待办事项) — the pending items of each review
 * list it may use, counted by the server through the same access layer as the lists.
 */
import React, { useEffect, useState } from 'react';
import { ApiClient, useCurrentAdmin } from 'adminjs';
import { Box, H2, H5, Text, Loader } from '@adminjs/design-system';

/** One review list and how many items wait in it. */
interface PendingList { resourceId: string; label: string; count: number; href: string }
interface DashboardData { organisationName: string; todos: PendingList[]; generatedAt: string }

const api = new ApiClient();

const Dashboard: React.FC = () => {
  const [currentAdmin] = useCurrentAdmin();
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.getDashboard<DashboardData>()
      .then((r) => setData(r.data))
      .catch(() => setError('待办事项加载失败，请刷新页面重试'));
  }, []);
  const name = (currentAdmin as { name?: string } | null)?.name ?? '';
  return (
    <Box variant="grey" data-testid="dashboard">
      <Box variant="white" mb="xl" p="xl">
        <H2>山东省专业技术人员继续教育公共服务平台</H2>
        <Text>{name ? `${name}，您好！` : '您好！'}{data ? `当前机构：${data.organisationName}` : ''}</Text>
      </Box>
      <Box variant="white" p="xl">
        <H5 mb="lg">待办事项</H5>
        {error && <Text color="error">{error}</Text>}
        {!data && !error && <Loader />}
        {data && data.todos.length === 0 && <Text>暂无待办事项</Text>}
        <Box flex flexWrap="wrap" style={{ gap: 16 }}>
          {data?.todos.map((t) => (
            <a key={t.resourceId} href={t.href} data-testid={`pending-${t.resourceId}`}
              style={{ display: 'block', minWidth: 200, padding: 16, border: '1px solid #dde3ea', borderRadius: 6, textDecoration: 'none' }}>
              <Text color="grey60">{t.label}</Text>
              <Text style={{ fontSize: 28, fontWeight: 600, color: t.count > 0 ? '#c0392b' : '#2e7d32' }}>{t.count}</Text>
              <Text color="grey60">条待处理</Text>
            </a>
          ))}
        </Box>
      </Box>
    </Box>
  );
};

export default Dashboard;
