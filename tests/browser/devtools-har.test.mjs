// The HAR WsLab writes, opened by Chrome's own DevTools: Debian's chromium, headless, driven by
// playwright-core (never a downloaded browser). `wslab-cli connect --log` records two connections to
// `wslab-cli serve --log` (text messages, then a binary one), `wslab-cli convert` makes a HAR of each
// side's log, and the DevTools front end bundled in chromium (served by its remote-debugging endpoint on
// 127.0.0.1) imports them into its Network panel, where we read what a user sees: the requests with our
// URL, status 101 and type websocket, each one's Messages tab, sent and received, in order, with their
// times, the binary one as binary with its bytes in the hex viewer, and the server's answer in Headers.
// Then the other way: a page in the same browser talks to the server, DevTools exports the HAR, and
// `wslab-cli convert` reads the messages back. Last, a broken HAR is refused without harm.
//
//   WSLAB_CLI=build/release/app/wslab-cli/wslab-cli node tests/browser/devtools-har.test.mjs
//   WSLAB_SCREENSHOT_DIR=docs/screenshots ... also writes devtools-har.png there.
//
// Exit code 77 (ctest: skipped) when chromium or playwright-core is not installed.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { BrowserTest, check, chromiumPath } from './support.mjs';

const stepTimeoutMs = 15000;
const test = new BrowserTest({ scratchPrefix: 'wslab-devtools-', stepTimeoutMs, wholeTestMs: 55000 });
const scratch = test.scratch;
const runCli = (args, input) => test.runCli(args, input);

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Chrome writes the port its remote-debugging endpoint took (we ask for 0: any free one) into the
// profile; it may land a moment after the browser answers playwright.
async function devToolsPort(userDataDir) {
  const file = join(userDataDir, 'DevToolsActivePort');
  if (!await until(() => existsSync(file), (found) => found))
    throw new Error('chromium wrote no DevToolsActivePort');
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

// What the Network panel's request list shows: one row per request, its cells as a user reads them.
function requestRows(devtools) {
  return devtools.locator('tr.data-grid-data-grid-node[data-network-request-id]').evaluateAll((rows) => rows.map((row) => ({
    url: row.querySelector('td.name-column')?.title,
    status: row.querySelector('td.status-column')?.innerText.trim(),
    type: row.querySelector('td.type-column')?.innerText.trim(),
  })));
}

// The Messages tab of the selected request: each row's direction (by its class, drawn as an up or
// down arrow), its Data, Length and Time cells. The grid renders only the rows in view, so the tests
// keep it tall enough for every message they count (no console drawer below it).
function messageRows(devtools) {
  return devtools.locator('tr.resource-chunk-view-row-send, tr.resource-chunk-view-row-receive').evaluateAll((rows) =>
    rows.map((row) => {
      // Lengths read "6\u00a0B": one plain space is what a user reads.
      const cells = [...row.querySelectorAll('td')].map((td) => td.textContent.trim().replace(/\s+/g, ' '));
      return {
        type: row.classList.contains('resource-chunk-view-row-send') ? 'send' : 'receive',
        data: cells[0],
        length: cells[1],
        time: cells[2], // whole: the narrow column only cuts it on screen
      };
    }));
}

async function showMessagesOf(devtools, rowIndex, expectedCount) {
  await devtools.locator('tr.data-grid-data-grid-node[data-network-request-id] td.name-column').nth(rowIndex).click();
  await devtools.getByRole('tab', { name: 'Messages', exact: true }).click();
  await devtools.waitForFunction((count) => {
    const rows = [];
    const walk = (root) => {
      rows.push(...root.querySelectorAll('tr.resource-chunk-view-row-send, tr.resource-chunk-view-row-receive'));
      for (const el of root.querySelectorAll('*'))
        if (el.shadowRoot)
          walk(el.shadowRoot);
    };
    walk(document);
    return rows.length === count;
  }, expectedCount, { timeout: stepTimeoutMs });
  return messageRows(devtools);
}

// Reads until accept() likes what it read or the step's time is up; returns the last reading.
async function until(read, accept) {
  const deadline = Date.now() + stepTimeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline)
      return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main() {
  // Both ends record: the server's log holds the same connections as the client's, seen from the other side.
  const serverLogPath = join(scratch, 'server.jsonl');
  const recorder = await test.startServer(['--port', '0', '--log', serverLogPath]);
  const wsUrl = `ws://127.0.0.1:${recorder.port}/`;

  // A recording as a user makes one: two connections of one client appended to one --log file.
  const logPath = join(scratch, 'session.jsonl');
  const harPath = join(scratch, 'session.har');
  const texts = ['hello DevTools', '{"n": 2, "ok": true}', 'ünïcödé ✓ <b>not bold</b>'];
  const binary = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]);
  const quietClient = ['--no-reconnect', '--ping-interval', '0', '--log', logPath];
  const echoed = await runCli(['connect', wsUrl, ...quietClient], `${texts.join('\n')}\n`);
  check(same(echoed.trimEnd().split('\n'), texts), 'the server echoed the text messages');
  await runCli(['connect', wsUrl, '--binary', ...quietClient], Buffer.concat([binary, Buffer.from('\n')]));
  await runCli(['convert', logPath, harPath]);
  const har = JSON.parse(readFileSync(harPath, 'utf8'));
  check(har.log.entries.length === 2, 'wslab-cli convert wrote one HAR entry per connection');
  await test.stopServer(recorder.child); // the whole log is on disk once it has exited
  const serverHarPath = join(scratch, 'server.har');
  await runCli(['convert', serverLogPath, serverHarPath]);
  const serverHar = JSON.parse(readFileSync(serverHarPath, 'utf8'));
  check(serverHar.log.entries.length === 2, 'and one per connection from the server\'s log too');
  // The live exchange below needs a server again: the same one, without a log.
  const server = await test.startServer(['--port', '0']);
  const liveUrl = `ws://127.0.0.1:${server.port}/`;

  const userDataDir = join(scratch, 'chromium-profile');
  const context = await test.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    // The remote-debugging endpoint serves the DevTools front end bundled in chromium; it listens on
    // 127.0.0.1 only, a port of its choosing.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0'],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    timeout: stepTimeoutMs,
  });
  try {
    const inspected = context.pages()[0] ?? await context.newPage();
    const port = await devToolsPort(userDataDir);
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const target = targets.find((t) => t.type === 'page' && t.url === 'about:blank');
    check(target !== undefined, 'chromium lists the blank page as a target to inspect');

    const devtools = await context.newPage();
    const problems = [];
    devtools.on('pageerror', (error) => problems.push(error.message));
    devtools.on('crash', () => problems.push('the DevTools page crashed'));
    // DevTools in a tab mirrors the inspected page beside itself (the screencast); without it the
    // Network panel has the whole tab, as in a docked DevTools window.
    await devtools.addInitScript(() => localStorage.setItem('screencast-enabled', 'false'));
    const frontEnd = `http://127.0.0.1:${port}/devtools/inspector.html?ws=127.0.0.1:${port}/devtools/page/${target.id}&panel=network`;
    check((await devtools.goto(frontEnd, { timeout: stepTimeoutMs })).status() === 200, 'chromium serves its DevTools front end');

    // Network panel, "Import HAR file": the button opens this file input.
    const importHar = devtools.locator('input[type=file]');
    await importHar.setInputFiles(harPath, { timeout: stepTimeoutMs });
    await devtools.locator('tr.data-grid-data-grid-node[data-network-request-id]').nth(1).waitFor({ timeout: stepTimeoutMs });
    const rows = await requestRows(devtools);
    check(rows.length === 2, `the Network panel lists both connections: ${JSON.stringify(rows)}`);
    check(rows.every((row) => row.url === wsUrl), `each is our server's URL: ${rows.map((r) => r.url)}`);
    check(rows.every((row) => row.status === '101'), `each has status 101: ${rows.map((r) => r.status)}`);
    check(rows.every((row) => row.type === 'websocket'), `each has type websocket: ${rows.map((r) => r.type)}`);

    const textMessages = await showMessagesOf(devtools, 0, texts.length * 2);
    const sent = textMessages.filter((m) => m.type === 'send').map((m) => m.data);
    const received = textMessages.filter((m) => m.type === 'receive').map((m) => m.data);
    check(same(sent, texts), `Messages lists what we sent, in order: ${JSON.stringify(sent)}`);
    check(same(received, texts), `and what the server echoed, in order: ${JSON.stringify(received)}`);
    const recorded = har.log.entries[0]._webSocketMessages.map((m) => ({ type: m.type, data: m.data }));
    check(same(textMessages.map((m) => ({ type: m.type, data: m.data })), recorded),
      'both directions interleave as they were recorded');
    // DevTools counts a text's length in UTF-16 code units, as it does for live traffic.
    check(textMessages.every((m) => m.length === String(m.data.length)), 'each text message shows its length');
    const clock = (seconds) => {
      const t = new Date(seconds * 1000);
      const two = (n) => String(n).padStart(2, '0');
      return `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, '0')}`;
    };
    const recordedTimes = har.log.entries[0]._webSocketMessages.map((m) => clock(m.time));
    check(same(textMessages.map((m) => m.time), recordedTimes),
      `each shows the time it was recorded at, to the millisecond: ${textMessages.map((m) => m.time)}`);

    // Selected, a JSON text opens as a tree beside the list: the picture shows that too.
    await devtools.locator('tr.resource-chunk-view-row-receive').nth(1).click();
    if (process.env.WSLAB_SCREENSHOT_DIR) {
      const path = join(process.env.WSLAB_SCREENSHOT_DIR, 'devtools-har.png');
      await devtools.screenshot({ path });
      console.log(`wrote ${path}`);
    }

    const binaryMessages = await showMessagesOf(devtools, 1, 2);
    check(same(binaryMessages.map((m) => m.type), ['send', 'receive']), 'the binary connection sent one message and got it back');
    check(binaryMessages.every((m) => m.data === 'Binary message'), `both are shown as binary: ${binaryMessages.map((m) => m.data)}`);
    check(binaryMessages.every((m) => m.length === `${binary.length} B`), `both are ${binary.length} bytes long: ${binaryMessages.map((m) => m.length)}`);
    // Selected, a binary message opens DevTools' hex viewer on its bytes.
    await devtools.locator('tr.resource-chunk-view-row-send').first().click();
    const hex = [...binary].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
    const shownBytes = await until(async () => (await devtools.locator('span.byte-cell').allTextContents()).filter((b) => b !== ''),
      (bytes) => same(bytes, hex));
    check(same(shownBytes, hex), `its hex viewer shows our bytes: ${shownBytes.join(' ')}`);

    // The server's HAR: the same connections from the other side, with both heads of the handshake.
    await devtools.getByRole('button', { name: /^Clear network log/ }).first().click();
    await until(() => requestRows(devtools), (list) => list.length === 0);
    await importHar.setInputFiles(serverHarPath, { timeout: stepTimeoutMs });
    const serverRows = await until(() => requestRows(devtools), (list) => list.length === 2);
    check(serverRows.length === 2 && serverRows.every((row) => row.url === wsUrl && row.status === '101' && row.type === 'websocket'),
      `the server's HAR lists both connections with our URL, 101 and websocket: ${JSON.stringify(serverRows)}`);
    const served = await showMessagesOf(devtools, 0, texts.length * 2);
    check(same(served.filter((m) => m.type === 'receive').map((m) => m.data), texts)
      && same(served.filter((m) => m.type === 'send').map((m) => m.data), texts),
    'the server received our texts and sent them back');
    await devtools.getByRole('tab', { name: 'Headers', exact: true }).click();
    const accept = serverHar.log.entries[0].response.headers.find((h) => h.name === 'Sec-WebSocket-Accept')?.value;
    await devtools.getByText(accept ?? 'no Sec-WebSocket-Accept in the server\'s HAR').first().waitFor({ timeout: stepTimeoutMs });
    check(true, `its Headers tab shows the server's answer, Sec-WebSocket-Accept ${accept}`);

    // The other way: a page in this browser talks to the server while DevTools records, DevTools
    // exports the HAR, and wslab-cli reads the messages back.
    await devtools.getByRole('button', { name: /^Clear network log/ }).first().click();
    await until(() => requestRows(devtools), (list) => list.length === 0);
    const fromChrome = ['from Chrome 1', 'from Chrome 2'];
    const chromeBytes = [1, 2, 3, 250];
    const echoes = await inspected.evaluate(([url, texts, bytes]) => new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      const got = [];
      socket.onopen = () => {
        for (const text of texts)
          socket.send(text);
        socket.send(new Uint8Array(bytes));
      };
      socket.onmessage = (event) => {
        got.push(typeof event.data === 'string' ? event.data : [...new Uint8Array(event.data)]);
        if (got.length === texts.length + 1)
          socket.close(1000);
      };
      socket.onclose = () => resolve(got);
      socket.onerror = () => reject(new Error(`the page could not talk to ${url}`));
    }), [liveUrl, fromChrome, chromeBytes]);
    check(same(echoes, [...fromChrome, chromeBytes]), 'a page in the browser exchanged messages with wslab-cli serve');
    await devtools.locator('tr.data-grid-data-grid-node[data-network-request-id]').first().waitFor({ timeout: stepTimeoutMs });
    const live = await showMessagesOf(devtools, 0, 6);
    check(same(live.filter((m) => m.type === 'send').map((m) => m.data), [...fromChrome, 'Binary message']),
      'DevTools recorded them live');

    const download = devtools.waitForEvent('download', { timeout: stepTimeoutMs });
    await devtools.getByRole('button', { name: /^Export HAR \(sanitized\)/ }).first().click();
    const exportedPath = join(scratch, 'from-devtools.har');
    await (await download).saveAs(exportedPath);
    const exported = JSON.parse(readFileSync(exportedPath, 'utf8'));
    check(exported.log.entries.some((e) => e._resourceType === 'websocket'), 'DevTools exported a HAR with the WebSocket entry');

    const convertedPath = join(scratch, 'from-devtools.jsonl');
    await runCli(['convert', exportedPath, convertedPath]);
    const events = readFileSync(convertedPath, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const messagesOf = (dir) => events.filter((e) => e.dir === dir && (e.kind === 'text' || e.kind === 'binary'))
      .map((e) => (e.kind === 'text' ? e.text : [...Buffer.from(e.base64, 'base64')]));
    check(same(messagesOf('out'), [...fromChrome, chromeBytes]), `wslab-cli reads back what the page sent: ${JSON.stringify(messagesOf('out'))}`);
    check(same(messagesOf('in'), [...fromChrome, chromeBytes]), `and what it received: ${JSON.stringify(messagesOf('in'))}`);
    const handshake = events.find((e) => e.kind === 'handshake');
    check(handshake?.detail === liveUrl, `with the page's WebSocket URL: ${handshake?.detail}`);
    const now = Date.now();
    check(events.every((e) => Math.abs(e.wall_ms - now) < 10 * 60 * 1000),
      'and times on the wall clock: DevTools writes seconds since the epoch too');

    // A broken file: DevTools says so in its console and keeps what it had.
    const brokenPath = join(scratch, 'broken.har');
    writeFileSync(brokenPath, readFileSync(harPath, 'utf8').slice(0, 200));
    await importHar.setInputFiles(brokenPath, { timeout: stepTimeoutMs });
    await devtools.getByText('Failed to load HAR file', { exact: false }).first().waitFor({ timeout: stepTimeoutMs });
    check(true, 'a broken HAR is refused with "Failed to load HAR file" in the DevTools console');
    check((await requestRows(devtools)).length === 1, 'and the Network panel still lists the connection it had');

    check(problems.length === 0, `the DevTools page had no script errors${problems.length ? `: ${problems.join('; ')}` : ''}`);
  } finally {
    await context.close();
  }
  await test.stopServer(server.child);
}

test.run(main);
