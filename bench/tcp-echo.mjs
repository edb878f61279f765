// The plain-TCP baseline for bench/throughput.mjs: the same shape as
// `p2p-node listen --echo` / `p2p-node dial`, without the encryption or the DHT.
//
// Usage: node bench/tcp-echo.mjs server HOST PORT   (prints "ready PORT" on stdout, echoes every connection; PORT 0 = any)
//        node bench/tcp-echo.mjs client HOST PORT   (stdin -> socket, socket -> stdout; EOF half-closes)
import net from 'node:net';

const [mode, host, portText] = process.argv.slice(2);
const port = Number(portText);
if (mode === 'server') {
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  srv.listen(port, host, () => console.log(`ready ${srv.address().port}`));
  process.once('SIGTERM', () => srv.close(() => process.exit(0)));
} else if (mode === 'client') {
  const s = net.connect({ host, port, allowHalfOpen: true });
  s.once('connect', () => {
    // Same wording as the dial, so the bench times both from the same event.
    console.error(`connected: ${host}:${port}`);
    process.stdin.pipe(s);
    s.pipe(process.stdout);
  });
  s.once('error', (err) => {
    console.error(`tcp-echo client: ${err.message}`);
    process.exit(1);
  });
} else {
  console.error('usage: node bench/tcp-echo.mjs server|client HOST PORT');
  process.exit(2);
}
