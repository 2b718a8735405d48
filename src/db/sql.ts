/** Small SQL helpers shared by the queries of the platform. */
import { Op } from 'sequelize';

/** A user's text inside LIKE/ILIKE matches itself only (%, _ and \ escaped). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * "Contains, case-insensitively" as a Sequelize condition. A fragment without letters that have
 * case (Chinese names, digits) matches the same rows with LIKE as with ILIKE, and LIKE is about
 * three times cheaper per row (ILIKE lower-cases every candidate): a county's name search
 * evaluates it on tens of thousands of index entries.
 */
export function containsCondition(value: string): Record<symbol, string> {
  const pattern = `%${escapeLike(value)}%`;
  return value.toLowerCase() === value.toUpperCase() ? { [Op.like]: pattern } : { [Op.iLike]: pattern };
}
