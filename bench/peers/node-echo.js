// Debian's node-ws as an echo server: what a small, popular WebSocket server costs on this machine.
// Usage: node node-echo.js [PORT]   (prints "listening on ws://127.0.0.1:PORT")
// Heartbeat as the ws README shows it, at wslab-cli serve's default interval (20 s), so the idle
// load compares servers that all keep their connections checked.
'use strict';
const WebSocket = require('/usr/share/nodejs/ws');

const port = Number(process.argv[2] || 0);
const server = new WebSocket.WebSocketServer({
  host: '127.0.0.1',
  port,
  backlog: 4096,
  perMessageDeflate: false,
  maxPayload: 16 * 1024 * 1024,
  clientTracking: true,
});

server.on('connection', (ws) => {
  ws.isAlive = true;
  ws.on('pong', () => { ws.isAlive = true; });
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});

const heartbeat = setInterval(() => {
  for (const ws of server.clients) {
    if (!ws.isAlive) { ws.terminate(); continue; }
    ws.isAlive = false;
    ws.ping();
  }
}, 20000);
server.on('close', () => clearInterval(heartbeat));

server.on('listening', () => {
  process.stdout.write(`listening on ws://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
