/**
 * Review policies as configuration (values the province may change without code):
 * - unitFirstLevelReview: a person's own declarations go to its unit first (单位初审);
 * - keyReviewAboveHours: a declaration above this many hours is flagged 重点审核, as is every
 *   declaration of a learning form marked key_review in the catalog (e.g. 发明专利).
 */
export const hourPolicy = {
  unitFirstLevelReview: (process.env.UNIT_FIRST_LEVEL_REVIEW ?? '1') === '1',
  keyReviewAboveHours: Number(process.env.KEY_REVIEW_ABOVE_HOURS ?? 40),
};
