// node-ws server for WsLab's interop tests: node node_server.js MODE [CERT KEY]
//   echo    echo server; picks subprotocol "chat" when offered; if the upgrade carried X-Lab, its value
//           is sent first as "x-lab: VALUE"; prints "open protocol P" ("-" for none) and "closed CODE"
//           per connection
//   reject  answers every upgrade with HTTP 401 and prints "attempt N" for each ("attempt N probe" when
//           the request carries X-Probe, the test's own marker)
//   tls     the echo server over TLS with the given PEM certificate and key
//   stream  sends 512-byte text messages to each connection without pause and ignores what it gets;
//           prints "open protocol P" and "closed CODE REASON" per connection
// Prints "port N" once listening on 127.0.0.1.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const WebSocket = require('/usr/share/nodejs/ws');

const mode = process.argv[2];
let attempts = 0;

const server = mode === 'tls'
  ? https.createServer({ cert: fs.readFileSync(process.argv[3]), key: fs.readFileSync(process.argv[4]) })
  : http.createServer();

const wss = new WebSocket.Server({
  server,
  handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
  verifyClient: (info, done) => {
    attempts += 1;
    if (mode === 'reject') {
      console.log(`attempt ${attempts}${info.req.headers['x-probe'] !== undefined ? ' probe' : ''}`);
      done(false, 401, 'Unauthorized');
      return;
    }
    done(true);
  },
});

wss.on('connection', (ws, request) => {
  console.log(`open protocol ${ws.protocol || '-'}`);
  const lab = request.headers['x-lab'];
  if (lab !== undefined) ws.send(`x-lab: ${lab}`);
  if (mode === 'stream') {
    const message = 'v'.repeat(512);
    const pump = () => {
      for (let burst = 0; burst < 50 && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 64 * 1024; burst += 1)
        ws.send(message);
      if (ws.readyState === WebSocket.OPEN)
        setImmediate(pump);
    };
    pump();
    ws.on('close', (code, reason) => console.log(`closed ${code} ${reason.toString()}`.trimEnd()));
    return;
  }
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('close', (code) => console.log(`closed ${code}`));
});

server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
