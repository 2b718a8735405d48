import { passwordPolicyViolation } from '../../src/auth/passwords.js';

describe('password policy', () => {
  it('accepts a strong password', () => {
    expect(passwordPolicyViolation('Jinan#2027x', '370102198506200033')).toBeUndefined();
  });
  it.each([
    ['Ab1!', '密码至少8位'],
    ['abcdefgh1', '三类'],
    ['Xy!200033a', '身份证号后六位'],
    ['Password123', '常见'],
  ])('refuses %s', (pw, message) => {
    expect(passwordPolicyViolation(pw, '370102198506200033')).toContain(message);
  });
});
