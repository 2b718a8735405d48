/**
 * The API client's address allow-list and scopes (src/api/clients.ts): what an admin types is
 * checked before it is stored, and an address is allowed exactly when it lies in a listed
 * address or range (IPv4, IPv6, IPv4-mapped IPv6 as Node reports it behind a dual-stack socket).
 */
import fc from 'fast-check';
import { addressAllowed, parseAllowList, parseScopes } from '../../src/api/clients.js';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

describe('allow-list', () => {
  it('an empty list allows every address; a listed address allows itself only', () => {
    expect(addressAllowed([], '203.0.113.9')).toBe(true);
    expect(addressAllowed(['203.0.113.9'], '203.0.113.9')).toBe(true);
    expect(addressAllowed(['203.0.113.9'], '::ffff:203.0.113.9')).toBe(true);
    expect(addressAllowed(['203.0.113.9'], '203.0.113.10')).toBe(false);
    expect(addressAllowed(['2001:db8::/32'], '2001:db8:1::5')).toBe(true);
    expect(addressAllowed(['2001:db8::/32'], '2001:db9::5')).toBe(false);
    expect(addressAllowed(['10.0.0.0/8'], undefined)).toBe(false);
  });

  it('an IPv4 address is allowed by a range exactly when its first `bits` bits match the range’s', () => {
    fc.assert(fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (net, ip, bits) => {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      const inside = ((toInt(net) & mask) >>> 0) === ((toInt(ip) & mask) >>> 0);
      return addressAllowed([`${net}/${bits}`], ip) === inside;
    }), { numRuns: 500 });
  });

  it('refuses what is not an address or a range, and says which entry', () => {
    expect(parseAllowList('10.1.2.3\n10.2.0.0/16, ::1')).toEqual(['10.1.2.3', '10.2.0.0/16', '::1']);
    expect(() => parseAllowList('10.1.2.3/33')).toThrow('允许地址「10.1.2.3/33」格式不正确');
    expect(() => parseAllowList('example.com')).toThrow('允许地址「example.com」格式不正确');
    expect(() => parseAllowList(Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`).join(' '))).toThrow('允许地址最多 50 项');
  });

  it('scopes are the three of the issue, at least one', () => {
    expect(parseScopes(['hours:read', 'hours:read', 'hours:submit'])).toEqual(['hours:read', 'hours:submit']);
    expect(() => parseScopes([])).toThrow('请至少选择一项权限范围');
    expect(() => parseScopes(['admin:all'])).toThrow('未知的权限范围：admin:all');
  });
});
