/** 重算任务's progress in words (src/jobs/recompute.ts): what the list and the statistics pages say. */
import { progressText } from '../../src/jobs/recompute.js';

describe('progressText', () => {
  it.each([
    [3000, 12000, 'running', '重算中 3,000 / 12,000（25%）'],
    [0, null, 'queued', '排队中'],
    [0, 40, 'queued', '排队中 0 / 40'],
    // Handed back mid-way: queued again with its progress.
    [10, 40, 'queued', '重算中 10 / 40（25%）'],
    [29773, 29773, 'done', '已完成 29,773 / 29,773（100%）'],
    [2, 6, 'superseded', '已被新任务取代 2 / 6（33%）'],
    [5, 20, 'failed', '已中止 5 / 20（25%）'],
    // Decisions approved meanwhile can add person-years: never above 100%.
    [45, 40, 'running', '重算中 40 / 40（100%）'],
    [0, 0, 'running', '重算中 0 / 0（100%）'],
  ])('%d of %p, %s → %s', (done, total, status, text) => {
    expect(progressText(done, total as number | null, status)).toBe(text);
  });
});
