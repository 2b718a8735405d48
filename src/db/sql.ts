/** Small SQL helpers shared by the queries of the platform. */

/** A user's text inside LIKE/ILIKE matches itself only (%, _ and \ escaped). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
