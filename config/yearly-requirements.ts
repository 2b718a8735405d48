/**
 * 年度学时要求：at least 90 hours a year, of which public subjects (公需科目) ≥ 30 and
 * professional subjects (专业科目) ≥ 60 (人社部令第25号 art. 8; Shandong practice).
 * Overrides per year, per region, or per year and region go into the table below; the most
 * specific match wins (year + region > region > year > default). A region override given
 * for a city ('370100') also applies to its counties ('370102').
 */

export interface YearlyRequirement {
  total: number;
  public: number;
  professional: number;
}

export const defaultRequirement: YearlyRequirement = { total: 90, public: 30, professional: 60 };

export interface RequirementOverride {
  /** Applies from this year on (inclusive); absent = every year. */
  year?: number;
  /** 6-digit region code of a city or county; absent = the whole province. */
  regionCode?: string;
  requirement: YearlyRequirement;
}

/** Empty today: every year and region uses the default. */
export const requirementOverrides: RequirementOverride[] = [];

function regionMatches(overrideCode: string, regionCode: string): boolean {
  if (overrideCode === regionCode) return true;
  // A city code (xxxx00) covers the counties of that city.
  return overrideCode.endsWith('00') && regionCode.slice(0, 4) === overrideCode.slice(0, 4);
}

export function requirementFor(year: number, regionCode?: string): YearlyRequirement {
  let best: { score: number; since: number; req: YearlyRequirement } | undefined;
  for (const o of requirementOverrides) {
    if (o.year !== undefined && year < o.year) continue;
    if (o.regionCode !== undefined && (!regionCode || !regionMatches(o.regionCode, regionCode))) continue;
    // region (more specific when a county code) beats year; both beat neither.
    const regionScore = o.regionCode === undefined ? 0 : o.regionCode.endsWith('00') ? 2 : 3;
    const score = regionScore * 2 + (o.year !== undefined ? 1 : 0);
    const since = o.year ?? 0;
    if (!best || score > best.score || (score === best.score && since > best.since)) best = { score, since, req: o.requirement };
  }
  return { ...(best?.req ?? defaultRequirement) };
}

export function isCompleted(req: YearlyRequirement, publicHours: number, professionalHours: number): boolean {
  const p = Number(publicHours) || 0;
  const q = Number(professionalHours) || 0;
  return p >= req.public && q >= req.professional && p + q >= req.total;
}
