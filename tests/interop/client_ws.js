#!/usr/bin/env node
// Interop client on Node's ws (npm, see package.json) for tests/09_interop:
// exchanges text and binary messages of several sizes with an echo server,
// pings it and closes cleanly, printing one line per check.
//
//   node client_ws.js [--tls CAFILE] [SCENARIO] PORT
//
// With --tls it connects over wss:// to 127.0.0.1 with SNI "localhost",
// trusting only CAFILE, and prints the negotiated TLS version first.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const WebSocket = require(path.join(__dirname, '..', '..', 'node_modules', 'ws'));

// The PHPT harness scales its timeouts under valgrind; so do these.
const SCALE = Math.max(1, Number(process.env.SALON_TIMEOUT_SCALE) || 1);
const args = process.argv.slice(2);
let scheme = 'ws';
const tls = {};
if (args[0] === '--tls') {
  scheme = 'wss';
  Object.assign(tls, { ca: fs.readFileSync(args[1]), servername: 'localhost', ALPNProtocols: ['h2', 'http/1.1'] });
  args.splice(0, 2);
}
const port = Number(args[args.length - 1]);
const scenario = args.length > 1 ? args[0] : 'echo';
const SIZES = [0, 125, 126, 65535, 65536, 1 << 20];

function next(ws) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), 20000 * SCALE);
    ws.once('message', (data, isBinary) => { clearTimeout(t); resolve([data, isBinary]); });
  });
}

async function echo() {
  const ws = new WebSocket(`${scheme}://127.0.0.1:${port}/interop?client=node`, { perMessageDeflate: false, maxPayload: 0, ...tls });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  if (scheme === 'wss') console.log(`tls ${ws._socket.getProtocol()} alpn ${ws._socket.alpnProtocol}`);
  for (const binary of [false, true]) {
    for (const n of SIZES) {
      const data = binary ? crypto.randomBytes(n) : 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2);
      ws.send(data, { binary });
      const [got, isBinary] = await next(ws);
      const kind = binary ? 'binary' : 'text';
      const same = binary ? Buffer.compare(got, data) === 0 : got.toString('utf8') === data;
      if (isBinary !== binary) console.log(`${kind} ${n}: came back as ${isBinary ? 'binary' : 'text'}`);
      else console.log(same ? `${kind} ${n} ok` : `${kind} ${n}: different`);
    }
  }
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no pong')), 10000 * SCALE);
    ws.once('pong', (payload) => { clearTimeout(t); console.log(payload.toString() === 'interop-ping' ? 'ping answered' : 'pong with another payload'); resolve(); });
    ws.ping('interop-ping');
  });
  await new Promise((resolve) => {
    ws.once('close', (code, reason) => { console.log(`closed ${code}`); resolve(); });
    ws.close(1000, 'bye from node');
  });
}

async function serverClose() {
  const ws = new WebSocket(`${scheme}://127.0.0.1:${port}/`, { perMessageDeflate: false, ...tls });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.on('message', () => console.log('unexpected message'));
  await new Promise((resolve) => {
    ws.once('close', (code, reason) => { console.log(`server closed ${code} ${reason.toString()}`); resolve(); });
    ws.send('close me');
  });
}

({ echo, server_close: serverClose })[scenario]().catch((e) => { console.log(`error: ${e.message}`); process.exit(1); });
