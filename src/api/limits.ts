/**
 * The integration API's bounds. A record as sent is ~350 bytes of JSON (the test's records:
 * 1,000 of them are 0.36 MB); 200 characters in each of six fields, all CJK, would be ~3.7 KB,
 * so 4 MB holds 1,000 records of the longest fields the import accepts.
 */
export const API_LIMITS = {
  maxRecords: 1000,
  maxBodyBytes: 4 * 1024 * 1024,
  /** Items per page of GET /hour-declarations. */
  statePage: 1000,
  /** Longest span of years one read of a person's hours may ask for. */
  maxYears: 10,
};
