import { formatHostPort as hp, type HostPort, type VerifiedRecord } from '@p2p-node/dht-signal';


export function recordToJson(r: VerifiedRecord): Record<string, unknown> {
  return {
    publicKey: Buffer.from(r.publicKey).toString('hex'),
    seq: r.seq,
    issuedAt: r.issuedAt,
    lifetime: r.lifetime,
    expiresAt: r.issuedAt + r.lifetime,
    publicEndpoints: r.publicEndpoints.map(hp),
    lanEndpoints: r.lanEndpoints.map(hp),
    ipv6Endpoints: r.ipv6Endpoints.map(hp),
    nat: r.nat ?? null,
    introducers: r.introducers.map(hp),
  };
}

export function recordToText(r: VerifiedRecord): string {
  const now = Math.floor(Date.now() / 1000);
  const list = (xs: HostPort[]) => (xs.length ? xs.map(hp).join(', ') : '-');
  const rows: [string, string][] = [
    ['public key', Buffer.from(r.publicKey).toString('hex')],
    ['seq', String(r.seq)],
    ['issued', `${new Date(r.issuedAt * 1000).toISOString()} (${now - r.issuedAt} s ago)`],
    ['expires in', `${r.issuedAt + r.lifetime - now} s`],
    ['public', list(r.publicEndpoints)],
    ['lan', list(r.lanEndpoints)],
    ['ipv6', list(r.ipv6Endpoints)],
    ['nat', r.nat ? JSON.stringify(r.nat) : '-'],
    ['introducers', list(r.introducers)],
  ];
  return rows.map(([k, v]) => `${k.padEnd(12)}${v}\n`).join('');
}
