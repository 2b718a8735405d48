/**
 * 查询统计 pages: one component for 继教综合统计查询, 继教完成情况查询 and 职称系列分布查询.
 * The area (?area=) and year (?year=) live in the URL, so a drill-down can be bookmarked and the
 * back button climbs up again. Charts are ECharts, bundled with the panel (no CDN).
 */
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, type ActionProps } from 'adminjs';
import { Box, Button, Loader, Select, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useLocation, useNavigate } from 'react-router';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const api = new ApiClient();
const FONT = '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif';
const COLORS = { completed: '#2e7d32', partly: '#f9a825', none: '#c62828', public: '#1565c0', professional: '#6a1b9a' };

interface AreaRef { areaId: number | null; name: string; drillable: boolean }
interface Counts { persons: number; completed: number; partly: number; none: number }
interface OverviewRow extends AreaRef { persons: number; declarations: number; declaredHours: number; approvedHours: number; publicHours: number; professionalHours: number; completed: number; completionRate: number }
interface Common { area: { id: number; name: string; kind: string }; years: number[]; trail: Array<{ id: number; name: string }>; recomputing?: string | null }
interface OverviewData extends Common { year: number; rows: OverviewRow[]; total: OverviewRow; byForm: Array<{ form: string; publicHours: number; professionalHours: number; declarations: number }> }
interface CompletionData extends Common { year: number; byArea: Array<AreaRef & Counts>; byLevel: Array<{ level: string; label: string } & Counts>; total: Counts }
interface SeriesData extends Common { levels: Array<{ level: string; label: string }>; rows: Array<{ series: string; counts: Record<string, number>; total: number }>; total: { counts: Record<string, number>; total: number } }

/** Chart axes name a region by its place (济南市), not its bureau (济南市人力资源和社会保障局). */
const place = (name: string) => name.replace(/人力资源和社会保障(局|厅)$/, '') || name;
const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(1)}%` : '—');
const num = (v: number) => v.toLocaleString('zh-CN');

/** One ECharts canvas; redrawn when its option changes, resized with the window. */
const Chart: React.FC<{ option: echarts.EChartsCoreOption; height?: number; testId: string }> = ({ option, height = 360, testId }) => {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return undefined;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.setOption({ textStyle: { fontFamily: FONT }, animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [JSON.stringify(option)]);
  return <div ref={ref} data-testid={testId} style={{ width: '100%', height }} />;
};

const stacked = (categories: string[], series: Array<{ name: string; data: number[]; color: string }>, horizontal = false): echarts.EChartsCoreOption => ({
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  legend: { top: 0 },
  grid: { left: 16, right: 24, top: 40, bottom: 16, containLabel: true },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: categories, axisLabel: horizontal ? {} : { interval: 0, rotate: categories.length > 8 ? 40 : 0 } },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value' },
  series: series.map((s) => ({ type: 'bar', stack: 'total', name: s.name, data: s.data, itemStyle: { color: s.color }, barMaxWidth: 36 })),
});

const Statistics: React.FC<ActionProps> = ({ action, resource }) => {
  const location = useLocation();
  const navigate = useNavigate();
  const query = new URLSearchParams(location.search);
  const [data, setData] = useState<(OverviewData | CompletionData | SeriesData) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = (changes: Record<string, string | number | null>) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) if (v === null) next.delete(k); else next.set(k, String(v));
    navigate({ pathname: location.pathname, search: `?${next.toString()}` });
  };
  useEffect(() => {
    setData(null); setError(null);
    const params: Record<string, string> = {};
    for (const k of ['area', 'year']) { const v = query.get(k); if (v) params[k] = v; }
    api.resourceAction({ resourceId: resource.id, actionName: action.name, params })
      .then((r) => {
        const d = r.data as unknown as { notice?: { message: string } } & OverviewData;
        if (!d.area) setError(d.notice?.message ?? '统计加载失败'); else setData(d);
      })
      .catch((e: { response?: { data?: { notice?: { message?: string } } } }) => setError(e.response?.data?.notice?.message ?? '无权查看该地区的统计，或统计加载失败'));
  }, [location.search]);

  const drill = (r: AreaRef) => r.drillable && r.areaId ? go({ area: r.areaId }) : undefined;
  const areaCell = (r: AreaRef) => r.drillable && r.areaId
    ? <a href="#" onClick={(e) => { e.preventDefault(); drill(r); }} data-testid={`drill-${r.areaId}`}>{r.name}</a>
    : <span>{r.name}</span>;
  const ov = action.name === 'overview' ? data as OverviewData | null : null;
  const co = action.name === 'completion' ? data as CompletionData | null : null;
  const se = action.name === 'series' ? data as SeriesData | null : null;
  const year = (data as { year?: number } | null)?.year;
  const subLabel = data?.area.kind === 'province_hr' ? '市' : data?.area.kind === 'city_hr' ? '区县' : '单位';

  return (
    <Box variant="grey" data-testid={`statistics-${action.name}`}>
      <Box variant="white" p="xl" mb="lg">
        <Box flex flexDirection="row" alignItems="center" style={{ gap: 16, flexWrap: 'wrap' }}>
          {data && action.name !== 'series' && (
            <Box style={{ width: 160 }} data-testid="year-select">
              <Select value={{ value: year, label: `${year}年度` }} isClearable={false}
                options={data.years.map((y) => ({ value: y, label: `${y}年度` }))}
                onChange={(o: { value: number } | null) => o && go({ year: o.value })} />
            </Box>
          )}
          {data && (
            <Button as="a" size="sm" variant="outlined" data-testid="export-statistics"
              href={`/admin/files/statistics/statistics-${action.name}?area=${data.area.id}${year ? `&year=${year}` : ''}`}>导出数据</Button>
          )}
        </Box>
        {data && (
          <Text mt="default" data-testid="trail">当前位置：{data.trail.map((t, i) => (
            <span key={t.id}>{i > 0 && ' › '}{i < data.trail.length - 1
              ? <a href="#" onClick={(e) => { e.preventDefault(); go({ area: t.id }); }}>{t.name}</a>
              : <strong>{t.name}</strong>}</span>
          ))}</Text>
        )}
        {data?.recomputing && <Text mt="default" color="warning" data-testid="recomputing">{data.recomputing}</Text>}
      </Box>
      {error && <Box variant="white" p="xl"><Text color="error" data-testid="statistics-error">{error}</Text></Box>}
      {!data && !error && <Loader />}

      {ov && (
        <>
          <Box variant="white" p="xl" mb="lg">
            <Text mb="default" color="grey60">各{subLabel}认定学时与完成率</Text>
            <Chart testId="chart-overview" option={{
              tooltip: { trigger: 'axis' }, legend: { top: 0 },
              grid: { left: 16, right: 24, top: 40, bottom: 16, containLabel: true },
              xAxis: { type: 'category', data: ov.rows.map((r) => place(r.name)), axisLabel: { interval: 0, rotate: ov.rows.length > 8 ? 40 : 0 } },
              yAxis: [{ type: 'value', name: '学时' }, { type: 'value', name: '完成率', max: 100, axisLabel: { formatter: '{value}%' } }],
              series: [
                { type: 'bar', stack: 'h', name: '公需科目', data: ov.rows.map((r) => r.publicHours), itemStyle: { color: COLORS.public }, barMaxWidth: 36 },
                { type: 'bar', stack: 'h', name: '专业科目', data: ov.rows.map((r) => r.professionalHours), itemStyle: { color: COLORS.professional }, barMaxWidth: 36 },
                { type: 'line', name: '完成率', yAxisIndex: 1, data: ov.rows.map((r) => Math.round(r.completionRate * 1000) / 10), itemStyle: { color: COLORS.completed } },
              ],
            }} />
          </Box>
          <Box variant="white" p="xl" mb="lg">
            <Table data-testid="overview-table">
              <TableHead><TableRow>
                <TableCell>{subLabel}</TableCell><TableCell>专技人员</TableCell><TableCell>申报记录</TableCell><TableCell>申报学时</TableCell>
                <TableCell>认定学时</TableCell><TableCell>其中公需科目</TableCell><TableCell>其中专业科目</TableCell><TableCell>已完成人数</TableCell><TableCell>完成率</TableCell>
              </TableRow></TableHead>
              <TableBody>
                {[...ov.rows, ov.total].map((r, i) => (
                  <TableRow key={`${r.areaId}-${i}`} data-testid={i === ov.rows.length ? 'overview-total' : `overview-row-${r.areaId ?? 'own'}`}>
                    <TableCell>{i === ov.rows.length ? <strong>{r.name}</strong> : areaCell(r)}</TableCell>
                    <TableCell>{num(r.persons)}</TableCell><TableCell>{num(r.declarations)}</TableCell><TableCell>{num(r.declaredHours)}</TableCell>
                    <TableCell>{num(r.approvedHours)}</TableCell><TableCell>{num(r.publicHours)}</TableCell><TableCell>{num(r.professionalHours)}</TableCell>
                    <TableCell>{num(r.completed)}</TableCell><TableCell>{pct(r.completed, r.persons)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
          <Box variant="white" p="xl">
            <Text mb="default" color="grey60">按学习形式的认定学时</Text>
            <Chart testId="chart-forms" height={300} option={{
              tooltip: { trigger: 'item', formatter: '{b}：{c} 学时（{d}%）' }, legend: { type: 'scroll', orient: 'vertical', right: 0, top: 20 },
              series: [{ type: 'pie', radius: ['35%', '65%'], center: ['40%', '55%'], name: '学习形式',
                data: ov.byForm.map((f) => ({ name: f.form, value: Math.round((f.publicHours + f.professionalHours) * 10) / 10 })) }],
            }} />
            <Table data-testid="form-table">
              <TableHead><TableRow><TableCell>学习形式</TableCell><TableCell>认定记录</TableCell><TableCell>公需科目学时</TableCell><TableCell>专业科目学时</TableCell></TableRow></TableHead>
              <TableBody>{ov.byForm.map((f) => (
                <TableRow key={f.form}><TableCell>{f.form}</TableCell><TableCell>{num(f.declarations)}</TableCell><TableCell>{num(f.publicHours)}</TableCell><TableCell>{num(f.professionalHours)}</TableCell></TableRow>
              ))}</TableBody>
            </Table>
          </Box>
        </>
      )}

      {co && (
        <>
          <Box variant="white" p="xl" mb="lg">
            <Text mb="default" color="grey60">
              {co.year}年度共 {num(co.total.persons)} 人：已完成 {num(co.total.completed)}（{pct(co.total.completed, co.total.persons)}），
              部分完成 {num(co.total.partly)}，未开始 {num(co.total.none)}
            </Text>
            <Chart testId="chart-completion" option={stacked(co.byArea.map((r) => place(r.name)), [
              { name: '已完成', data: co.byArea.map((r) => r.completed), color: COLORS.completed },
              { name: '部分完成', data: co.byArea.map((r) => r.partly), color: COLORS.partly },
              { name: '未开始', data: co.byArea.map((r) => r.none), color: COLORS.none },
            ])} />
          </Box>
          <Box variant="white" p="xl" mb="lg">
            <Table data-testid="completion-table">
              <TableHead><TableRow><TableCell>{subLabel}</TableCell><TableCell>专技人员</TableCell><TableCell>已完成</TableCell><TableCell>部分完成</TableCell><TableCell>未开始</TableCell><TableCell>完成率</TableCell></TableRow></TableHead>
              <TableBody>{co.byArea.map((r, i) => (
                <TableRow key={`${r.areaId}-${i}`} data-testid={`completion-row-${r.areaId ?? 'own'}`}>
                  <TableCell>{areaCell(r)}</TableCell><TableCell>{num(r.persons)}</TableCell><TableCell>{num(r.completed)}</TableCell>
                  <TableCell>{num(r.partly)}</TableCell><TableCell>{num(r.none)}</TableCell><TableCell>{pct(r.completed, r.persons)}</TableCell>
                </TableRow>
              ))}</TableBody>
            </Table>
          </Box>
          <Box variant="white" p="xl">
            <Text mb="default" color="grey60">按职称级别</Text>
            <Chart testId="chart-levels" height={260} option={stacked(co.byLevel.map((r) => r.label), [
              { name: '已完成', data: co.byLevel.map((r) => r.completed), color: COLORS.completed },
              { name: '部分完成', data: co.byLevel.map((r) => r.partly), color: COLORS.partly },
              { name: '未开始', data: co.byLevel.map((r) => r.none), color: COLORS.none },
            ], true)} />
            <Table data-testid="level-table">
              <TableHead><TableRow><TableCell>职称级别</TableCell><TableCell>专技人员</TableCell><TableCell>已完成</TableCell><TableCell>部分完成</TableCell><TableCell>未开始</TableCell><TableCell>完成率</TableCell></TableRow></TableHead>
              <TableBody>{co.byLevel.map((r) => (
                <TableRow key={r.level}><TableCell>{r.label}</TableCell><TableCell>{num(r.persons)}</TableCell><TableCell>{num(r.completed)}</TableCell>
                  <TableCell>{num(r.partly)}</TableCell><TableCell>{num(r.none)}</TableCell><TableCell>{pct(r.completed, r.persons)}</TableCell></TableRow>
              ))}</TableBody>
            </Table>
          </Box>
        </>
      )}

      {se && (
        <>
          <Box variant="white" p="xl" mb="lg">
            <Text mb="default" color="grey60">{se.area.name}专业技术人员 {num(se.total.total)} 人，按职称系列与级别</Text>
            <Chart testId="chart-series" height={Math.max(320, se.rows.length * 26 + 60)} option={stacked(
              se.rows.map((r) => r.series).reverse(),
              se.levels.map((l, i) => ({ name: l.label, data: se.rows.map((r) => r.counts[l.level] ?? 0).reverse(), color: ['#0d47a1', '#1976d2', '#42a5f5', '#90caf9', '#bbdefb', '#b0bec5'][i] ?? '#9e9e9e' })),
              true)} />
          </Box>
          <Box variant="white" p="xl">
            <Table data-testid="series-table">
              <TableHead><TableRow><TableCell>职称系列</TableCell>{se.levels.map((l) => <TableCell key={l.level}>{l.label}</TableCell>)}<TableCell>合计</TableCell></TableRow></TableHead>
              <TableBody>
                {se.rows.map((r) => (
                  <TableRow key={r.series}><TableCell>{r.series}</TableCell>{se.levels.map((l) => <TableCell key={l.level}>{num(r.counts[l.level] ?? 0)}</TableCell>)}<TableCell>{num(r.total)}</TableCell></TableRow>
                ))}
                <TableRow data-testid="series-total"><TableCell><strong>合计</strong></TableCell>{se.levels.map((l) => <TableCell key={l.level}>{num(se.total.counts[l.level] ?? 0)}</TableCell>)}<TableCell>{num(se.total.total)}</TableCell></TableRow>
              </TableBody>
            </Table>
          </Box>
        </>
      )}
    </Box>
  );
};

export default Statistics;
