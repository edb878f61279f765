import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPortList } from '@p2p-node/protos';

describe('parseHostPortList', () => {
  it('parses IPv4 and bracketed IPv6 entries', () => {
    expect(parseHostPortList('127.0.0.1:6881, [::1]:7000')).toEqual([
      { host: '127.0.0.1', port: 6881 },
      { host: '::1', port: 7000 },
    ]);
  });

  it.each([
    ['', /empty/],
    ['127.0.0.1', /HOST:PORT/],
    ['127.0.0.1:0', /1-65535/],
    ['127.0.0.1:70000', /1-65535/],
    ['localhost:6881', /not an IP/],
    ['::1:7000', /HOST:PORT/],
    ['127.0.0.1:6881,', /HOST:PORT/],
  ])('refuses %j', (input, message) => {
    expect(() => parseHostPortList(input)).toThrow(message);
  });

  it('formats back', () => {
    expect(formatHostPort({ host: '::1', port: 7 })).toBe('[::1]:7');
    expect(formatHostPort({ host: '10.0.0.1', port: 7 })).toBe('10.0.0.1:7');
  });
});
