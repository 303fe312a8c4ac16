import { describe, expect, it } from 'vitest';
import { isPrivateAddress, resolvesToPrivateAddress } from './private-address.js';

describe('private address guard for attachment downloads', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2606:4700::1111', false],
  ])('%s private=%s', (address, blocked) => {
    expect(isPrivateAddress(address)).toBe(blocked);
  });

  it('checks literal hosts (and bracketed IPv6) without DNS, and resolves names', async () => {
    expect(await resolvesToPrivateAddress('127.0.0.1')).toBe(true);
    expect(await resolvesToPrivateAddress('[::1]')).toBe(true);
    expect(await resolvesToPrivateAddress('localhost')).toBe(true);
  });
});
