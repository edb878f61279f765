/*
 * A STUN (RFC 5389) binding server for the lab's internet, run on a public
 * host: miniupnpd refuses to forward ports when its WAN address is in a
 * reserved range (the lab's 203.0.113.0/24 is), unless it learns its public
 * address by STUN (ext_perform_stun), a path with no such check. It answers
 * each Binding Request from the socket it came to, with the request's
 * source, and ignores CHANGE-REQUEST: for the box's conntrack those are
 * replies, so miniupnpd's filtering probes all come back and it concludes
 * what is true of ports it maps itself (no filtering).
 *
 * Usage: node stun-server.js <bind-ip> [port]; prints "ready <ip>:<port>".
 */
import { createSocket } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const MAPPED_ADDRESS = 0x0001;
const XOR_MAPPED_ADDRESS = 0x0020;

const [ip, portArg] = process.argv.slice(2);
const port = Number(portArg ?? 3478);
const socket = createSocket('udp4');

function addressAttribute(type: number, port: number, ip: number): Buffer {
  const a = Buffer.alloc(12);
  a.writeUInt16BE(type, 0);
  a.writeUInt16BE(8, 2);
  a.writeUInt8(1, 5); // family IPv4
  a.writeUInt16BE(port, 6);
  a.writeUInt32BE(ip >>> 0, 8);
  return a;
}

socket.on('message', (msg, from) => {
  if (msg.length < 20 || msg.readUInt16BE(0) !== BINDING_REQUEST || from.family !== 'IPv4') return;
  const ipNum = from.address.split('.').reduce((n, o) => (n << 8) | Number(o), 0) >>> 0;
  const attrs = Buffer.concat([
    addressAttribute(MAPPED_ADDRESS, from.port, ipNum),
    addressAttribute(XOR_MAPPED_ADDRESS, from.port ^ (MAGIC_COOKIE >>> 16), ipNum ^ MAGIC_COOKIE),
  ]);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt16BE(attrs.length, 2);
  msg.copy(header, 4, 4, 20); // the request's cookie and transaction id
  socket.send(Buffer.concat([header, attrs]), from.port, from.address);
});
socket.bind(port, ip, () => console.log(`ready ${ip}:${port}`));
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
