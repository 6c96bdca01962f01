#!/usr/bin/env node
// Reference echo server on Node's ws (npm, see package.json), used to
// validate autobahn.py against an independent implementation.
//
//   node ref_echo_ws.js [PORT] [--deflate]     (0 = a free port)
//
// --deflate turns perMessageDeflate on (every message compressed), for
// sections 12 and 13.
//
// Prints "listening on ws://127.0.0.1:PORT" once it accepts connections.
'use strict';
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', '..', 'node_modules', 'ws'));

const port = process.argv.length > 2 ? Number(process.argv[2]) : 9003;
const deflate = process.argv.slice(3).includes('--deflate');
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port,
  perMessageDeflate: deflate ? { threshold: 0 } : false,
  maxPayload: 16 * 1024 * 1024,
  // ws >= 8.18 caps a message at 16384 fragments (1008 beyond); section 9.3.1
  // sends 4 MiB in 64-byte fragments, i.e. 65536 of them.
  maxFragments: 1 << 20,
});
wss.on('listening', () => {
  process.stdout.write(`listening on ws://127.0.0.1:${wss.address().port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
