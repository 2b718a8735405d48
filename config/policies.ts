/**
 * Review policies as configuration:
 * - unitFirstLevelReview: a person's own declarations go to its unit first (单位初审);
 * - keyReviewAboveHours: the INITIAL key-review threshold only — the value migration 016 writes
 *   as the first row of `key_review_rules` (from 2000). From then on the threshold is data the
 *   provincial super admin edits in the panel (系统管理 → 重点审核规则), per year, with history;
 *   declarations of a learning form marked key_review in the catalog (e.g. 发明专利) are always flagged.
 */
export const hourPolicy = {
  unitFirstLevelReview: (process.env.UNIT_FIRST_LEVEL_REVIEW ?? '1') === '1',
  keyReviewAboveHours: 40,
};
