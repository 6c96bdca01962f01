// Bun's WebSocket server (uWebSockets inside, JavaScript handlers) for
// bench/run.sh: an echo server, or with -b a broadcast relay through
// server.publish (uWebSockets' pub/sub: the frame is encoded once and
// written to every subscriber, the sender included).
// Usage: bun bun_echo.js PORT [-b]     (PORT 0 picks a free one)
const port = Number(process.argv[2] || 9001);
const broadcast = process.argv.includes('-b');

const server = Bun.serve({
  hostname: '127.0.0.1',
  port,
  fetch(req, srv) {
    if (srv.upgrade(req)) return undefined;
    return new Response('Upgrade Required', { status: 426 });
  },
  websocket: {
    perMessageDeflate: false,
    maxPayloadLength: 16 * 1024 * 1024,
    backpressureLimit: 16 * 1024 * 1024,
    idleTimeout: 120,
    open(ws) {
      if (broadcast) ws.subscribe('all');
    },
    message(ws, message) {
      if (broadcast) server.publish('all', message);
      else ws.send(message);
    },
  },
});

console.log(`listening on ws://127.0.0.1:${server.port}`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
