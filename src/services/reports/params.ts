/** Parameters that reports share, read and checked the same way everywhere. */

/** The year in Shandong (Asia/Shanghai) at a moment. */
export const yearIn = (at: Date): number =>
  Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));

/** The report's year: `params.year`, or the current year in Shandong. */
export function reportYear(params: Record<string, unknown>): number {
  const given = params.year;
  if (given === undefined || given === null || given === '') return yearIn(new Date());
  const year = Number(given);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new RangeError('年度应为 2000–2100 之间的整数');
  return year;
}
