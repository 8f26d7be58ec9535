// A small node-ws load client doing what `wslab-cli bench` does (N connections, W stamped messages
// in flight on each, every echo checked, every round trip timed), to check that wslab-cli bench is
// not the bottleneck: against the same server it must reach at least this client's rate.
// Usage: node node-load.js URL CONNECTIONS MESSAGES SIZE WINDOW [binary]   (prints one JSON line)
'use strict';
const WebSocket = require('/usr/share/nodejs/ws');

const [url, connections, messages, size, window] = [process.argv[2], ...process.argv.slice(3, 7).map(Number)];
const binary = process.argv[7] === 'binary';

function payloadFor(connection, sequence) {
  const stamp = `c${connection}:${sequence}:`;
  return stamp + String.fromCharCode(97 + (sequence % 26)).repeat(size - stamp.length);
}

let opened = 0, sent = 0, received = 0, mismatches = 0, errors = 0, firstSend = 0n, lastReceive = 0n;
const rtts = [];
const conns = [];
const timeout = setTimeout(() => { errors++; finish(); }, 120000);

function pump(c) {
  while (c.nextToSend - c.nextExpected < window && c.nextToSend < c.quota) {
    const p = payloadFor(c.index, c.nextToSend);
    c.sentAt[c.nextToSend % window] = process.hrtime.bigint();
    c.ws.send(binary ? Buffer.from(p, 'latin1') : p, { binary });
    c.nextToSend++;
    sent++;
  }
}

function finish() {
  clearTimeout(timeout);
  const seconds = Number(lastReceive - firstSend) / 1e9;
  rtts.sort((a, b) => a - b);
  const at = (q) => (rtts.length ? rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))] / 1e3 : 0);
  process.stdout.write(JSON.stringify({
    connections: opened, sent, received, mismatches, errors, seconds,
    messages_per_second: seconds > 0 ? received / seconds : 0,
    bytes_per_second: seconds > 0 ? received * size / seconds : 0,
    rtt_p50_us: at(0.5), rtt_p99_us: at(0.99),
    rtt_mean_us: rtts.length ? rtts.reduce((a, b) => a + b, 0) / rtts.length / 1e3 : 0,
  }) + '\n');
  for (const c of conns) c.ws.terminate();
  process.exit(errors || mismatches ? 1 : 0);
}

for (let i = 0; i < connections; i++) {
  const c = {
    index: i, nextToSend: 0, nextExpected: 0, sentAt: new Array(window).fill(0n),
    quota: Math.floor(messages / connections) + (i < messages % connections ? 1 : 0),
    ws: new WebSocket(url, { perMessageDeflate: false }),
  };
  conns.push(c);
  c.ws.on('open', () => {
    if (++opened < connections) return;
    firstSend = process.hrtime.bigint();
    for (const d of conns) pump(d);
  });
  c.ws.on('message', (data) => {
    const now = process.hrtime.bigint();
    if (c.nextExpected >= c.nextToSend || data.toString('latin1') !== payloadFor(c.index, c.nextExpected)) {
      mismatches++;
    } else {
      rtts.push(Number(now - c.sentAt[c.nextExpected % window]));
      received++;
    }
    c.nextExpected++;
    lastReceive = now;
    pump(c);
    if (received + mismatches >= messages) finish();
  });
  c.ws.on('error', () => { errors++; });
}
