/**
 * Certificate numbers (证书编号): `SD` + year (4) + region code of the person's unit (6) +
 * serial (7 digits or more, from the database sequence `certificate_serial`) + a check of 4
 * random characters, e.g. `SD20253701020000042K7QX`. The serial makes the number unique and
 * tells the order of issue; the random check makes the public verification page useless for
 * walking through everyone's certificates by counting up.
 *
 * A 学时证明 (proof of hours over several years) is numbered the same way from the same
 * serial, `SDZM` before the year of issue: `SDZM20263701020000043P2M9`. The public verification
 * page tells the two apart by that prefix.
 */
import { randomInt } from 'node:crypto';

/** Crockford's base 32: no I, L, O, U, so nothing is misread from paper. */
const CHECK_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SHAPE = /^SD(?:ZM)?\d{4}\d{6}\d{7,}[0-9A-HJKMNP-TV-Z]{4}$/;
export const PROOF_PREFIX = 'SDZM';

export function certificateNumber(year: number, regionCode: string | null, serial: number, prefix = 'SD'): string {
  const region = /^\d{6}$/.test(regionCode ?? '') ? regionCode! : '370000';
  let check = '';
  for (let i = 0; i < 4; i++) check += CHECK_ALPHABET[randomInt(CHECK_ALPHABET.length)];
  return `${prefix}${year}${region}${String(serial).padStart(7, '0')}${check}`;
}

/** Whether a (normalised) number is a 学时证明's rather than a yearly certificate's. */
export const isProofNumber = (number: string) => number.startsWith(PROOF_PREFIX);

/** A number as typed or scanned: trimmed and upper-cased; null when it cannot be one. */
export function normaliseCertificateNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const v = input.trim().toUpperCase();
  return v.length <= 40 && SHAPE.test(v) ? v : null;
}
