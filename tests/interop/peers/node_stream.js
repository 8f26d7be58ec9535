// node-ws streaming client for WsLab's interop tests: node node_stream.js URL N [BIG]
// Opens N connections at once; each sends 512-byte text messages without pause (and one of BIG bytes
// after the 200th) while reading whatever comes back. Prints "streaming" once each has sent 100, then
// "closed CODE REASON" as each connection ends. A reset instead of a close handshake shows as 1006.
'use strict';
const WebSocket = require('/usr/share/nodejs/ws');

const [url, countArg, bigArg] = process.argv.slice(2);
const count = Number(countArg);
const big = Number(bigArg || 0);
const message = 's'.repeat(512);
let started = 0;

for (let i = 0; i < count; i += 1) {
  const ws = new WebSocket(url, { maxPayload: 0 });
  let sent = 0;
  const pump = () => {
    // Keep the socket's queue short, so the messages keep flowing rather than piling up in node.
    for (let burst = 0; burst < 50 && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 64 * 1024; burst += 1) {
      if (big && sent === 200)
        ws.send('B'.repeat(big));
      ws.send(message);
      sent += 1;
      if (sent === 100 && ++started === count)
        console.log('streaming');
    }
    if (ws.readyState === WebSocket.OPEN)
      setImmediate(pump);
  };
  ws.on('open', pump);
  ws.on('message', () => {});
  ws.on('error', () => {}); // reported by the close event that follows
  ws.on('close', (code, reason) => console.log(`closed ${code} ${reason.toString()}`.trimEnd()));
}
