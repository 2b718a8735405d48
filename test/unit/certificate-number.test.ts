/** Certificate numbers: shape, uniqueness by serial, the random check, normalising what is typed. */
import { certificateNumber, normaliseCertificateNumber } from '../../src/services/certificates/number.js';
import { incompleteReason } from '../../src/services/certificates/issue.js';

describe('certificate numbers', () => {
  it('are SD + year + region + serial + a 4-character check', () => {
    const n = certificateNumber(2025, '370102', 42);
    expect(n).toMatch(/^SD20253701020000042[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(certificateNumber(2025, '370102', 123_456_789)).toMatch(/^SD2025370102123456789[0-9A-Z]{4}$/);
    // A missing or malformed region falls back to the province.
    expect(certificateNumber(2025, null, 1)).toMatch(/^SD20253700000000001/);
  });

  it('differ in their check even for the same serial (not guessable by counting)', () => {
    const checks = new Set(Array.from({ length: 50 }, () => certificateNumber(2025, '370102', 7).slice(-4)));
    expect(checks.size).toBeGreaterThan(40);
  });

  it('are read back trimmed and upper-cased; anything else is no number', () => {
    const n = certificateNumber(2024, '370200', 9);
    expect(normaliseCertificateNumber(` ${n.toLowerCase()} `)).toBe(n);
    for (const bad of ['', 'SD2025', `${n}X`.repeat(3), "SD2025370102000001' OR 1=1", 'SD20253701020000001ILOU', 42, null]) {
      expect(normaliseCertificateNumber(bad)).toBeNull();
    }
  });
});

describe('the reason an incomplete year gets', () => {
  it('says what was done against what is required', () => {
    expect(incompleteReason(2025, { total: 90, public: 30, professional: 60 }, 20, 30.5)).toBe('2025年度学时未达标：已完成 50.5 学时，要求 90 学时（公需科目 20/30，专业科目 30.5/60）');
  });
});
