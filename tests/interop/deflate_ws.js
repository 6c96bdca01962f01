#!/usr/bin/env node
// permessage-deflate interop on Node's ws (npm) for tests/13_deflate: in
// two modes (context takeover both ways, the default; and no context
// takeover either way) exchanges messages of 0 B, 1 B, 100 KiB and 1 MiB of
// text, 1 MiB of random binary and a chat line three times with an echo server,
// printing the negotiated extension and, per message, whether it came back
// equal and whether it was compressed on the wire (bytes the socket read).
//
//   node deflate_ws.js [--tls CAFILE] PORT
//
// With --tls (tests/14_tls) it connects over wss:// to 127.0.0.1 with SNI
// "localhost", trusting only CAFILE, and prints the TLS version first; the
// bytes counted are then those TLS decrypted.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const WebSocket = require(path.join(__dirname, '..', '..', 'node_modules', 'ws'));

const port = Number(process.argv[process.argv.length - 1]);
const tlsAt = process.argv.indexOf('--tls');
const tls = tlsAt > 0 ? { ca: fs.readFileSync(process.argv[tlsAt + 1]), servername: 'localhost' } : null;

function next(ws) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), 20000);
    ws.once('message', (data, isBinary) => { clearTimeout(t); resolve([data, isBinary]); });
  });
}

// Chat-like JSON text of exactly n UTF-8 bytes.
function chatText(n) {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `{"type":"message","user":"user${i % 7}","text":"héllo wörld ${i}"}`;
  // Cut at n bytes; a character cut in two becomes a replacement character
  // (3 bytes) at the end, so drop it and pad with 'x'.
  const t = Buffer.from(s).subarray(0, n).toString('utf8').replace(/\uFFFD$/, '');
  return t + 'x'.repeat(n - Buffer.byteLength(t));
}

async function run(mode, opts) {
  const ws = new WebSocket(`${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/`, { perMessageDeflate: { threshold: 0, ...opts }, maxPayload: 0, ...tls });
  let ext = '(none)';
  ws.on('upgrade', (res) => { ext = res.headers['sec-websocket-extensions'] || '(none)'; });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  if (tls) console.log(`${mode}: tls ${ws._socket.getProtocol()}`);
  console.log(`${mode}: ${ext}`);
  const line = '{"type":"message","room":"lobby","user":"alice","text":"hello everybody, how are you today?"}';
  const msgs = [
    ['text 0', '', false],
    ['text 1', 'x', false],
    ['text 100 KiB', chatText(102400), false],
    ['text 1 MiB', chatText(1 << 20), false],
    ['binary 1 MiB random', crypto.randomBytes(1 << 20), true],
  ];
  for (const [name, data, binary] of msgs) {
    const before = ws._socket.bytesRead;
    ws.send(data, { binary });
    const [got, isBinary] = await next(ws);
    const wire = ws._socket.bytesRead - before;
    const size = Buffer.byteLength(data);
    const same = isBinary === binary && (binary ? Buffer.compare(got, data) === 0 : got.toString('utf8') === data);
    let how = 'full size on the wire';
    if (size >= 64 && wire < size / 2) how = 'compressed on the wire';
    console.log(`  ${name}: ${same ? 'same' : 'DIFFERENT'}, ${how}`);
  }
  // Context takeover: the same line again costs a few bytes.
  const wires = [];
  let all = true;
  for (let i = 0; i < 3; i++) {
    const before = ws._socket.bytesRead;
    ws.send(line);
    const [got] = await next(ws);
    wires.push(ws._socket.bytesRead - before);
    all = all && got.toString('utf8') === line;
  }
  const later = wires[1] < wires[0] / 2 && wires[2] < wires[0] / 2 ? 'later ones far smaller on the wire'
    : wires[0] === wires[1] && wires[1] === wires[2] ? 'the same size on the wire each time' : wires.join('/');
  console.log(`  chat line x3: ${all ? 'same' : 'DIFFERENT'}, ${later}`);
  await new Promise((resolve) => {
    ws.once('close', (code) => { console.log(`  closed ${code}`); resolve(); });
    ws.close(1000);
  });
}

(async () => {
  await run('takeover', {});
  await run('no takeover', { serverNoContextTakeover: true, clientNoContextTakeover: true });
})().catch((e) => { console.log(`error: ${e.message}`); process.exit(1); });
