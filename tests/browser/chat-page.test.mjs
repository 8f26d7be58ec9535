// The chat page in a real browser: Debian's chromium, headless, driven by playwright-core (never a
// downloaded browser). Two tabs at phone size join `wslab-cli serve --mode chat` as two users; markup
// sent by one arrives as literal text at the other; the member list and the unread count follow; then the
// server restarts on the same port with its history file and both pages resume without losing or
// repeating a message, including one typed while the server was down.
//
//   WSLAB_CLI=build/release/app/wslab-cli/wslab-cli node tests/browser/chat-page.test.mjs
//   WSLAB_SCREENSHOT_DIR=docs/screenshots ... also writes chat-phone.png there.
//
// Exit code 77 (ctest: skipped) when chromium or playwright-core is not installed.

import { join } from 'node:path';

import { BrowserTest, check, chromiumPath } from './support.mjs';

const stepTimeoutMs = 20000;
const test = new BrowserTest({ scratchPrefix: 'wslab-browser-', stepTimeoutMs, wholeTestMs: 100000 });
const historyFile = join(test.scratch, 'history.jsonl');

// The chat server on 127.0.0.1; resolves with the child and its port once it prints its listening line.
function startServer(port) {
  return test.startServer(['--port', String(port), '--mode', 'chat', '--history', historyFile]);
}

const stopServer = (child) => test.stopServer(child);

const texts = (page) => page.$$eval('#messages li.message .text', (nodes) => nodes.map((n) => n.textContent));
const seqs = (page) => page.$$eval('#messages li.message', (nodes) => nodes.map((n) => Number(n.dataset.seq)));
const members = (page) => page.$$eval('#members li', (nodes) => nodes.map((n) => n.textContent));

function waitForStatus(page, state, text) {
  return page.waitForFunction(([s, t]) => {
    const status = document.getElementById('status');
    return status.dataset.state === s && (!t || status.textContent === t);
  }, [state, text], { timeout: stepTimeoutMs });
}

function waitForTexts(page, expected) {
  return page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('#messages li.message .text')].map((n) => n.textContent);
    return JSON.stringify(got) === JSON.stringify(want);
  }, expected, { timeout: stepTimeoutMs });
}

// In any order: the server lists members in the order they (re)joined.
function waitForMembers(page, expected) {
  return page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('#members li')].map((n) => n.textContent).sort();
    return JSON.stringify(got) === JSON.stringify(want);
  }, expected, { timeout: stepTimeoutMs });
}

async function joinAs(page, nick) {
  await page.fill('#nick', nick);
  await page.click('#join-button');
  await waitForStatus(page, 'online', `Online as ${nick}`);
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

async function main() {
  const userDataDir = join(test.scratch, 'chromium-profile');
  let server = await startServer(0);
  const port = server.port;
  const url = `http://127.0.0.1:${port}/`;

  const context = await test.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    timeout: stepTimeoutMs,
  });
  try {
    const problems = [];
    const watch = (page, who) => {
      page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text()))
          problems.push(`${who}: ${message.text()}`);
      });
      // Nothing but the page itself and its WebSocket: every other request is a failure.
      page.on('request', (request) => {
        const target = request.url();
        if (target !== url && !target.startsWith('data:'))
          problems.push(`${who}: unexpected request ${target}`);
      });
    };
    const alice = context.pages()[0] ?? await context.newPage();
    const bob = await context.newPage();
    watch(alice, 'alice');
    watch(bob, 'bob');
    for (const page of [alice, bob]) {
      const response = await page.goto(url, { timeout: stepTimeoutMs });
      check(response.status() === 200, 'the page loads with 200');
    }
    check(await alice.evaluate(() => document.documentElement.scrollWidth <= 360),
      'nothing is wider than a 360 px phone');

    await joinAs(alice, 'alice');
    await joinAs(bob, 'bob');
    await waitForMembers(alice, ['alice', 'bob']);
    await waitForMembers(bob, ['alice', 'bob']);
    check(JSON.stringify(await members(alice)) === '["alice","bob"]', 'both tabs list both members, in the order they joined');
    check(await alice.evaluate(() => localStorage.getItem('wslab.chat.nick')) !== null, 'the nickname is remembered');

    // Bob's tab is hidden while Alice writes: his title counts the unread message.
    await bob.evaluate(() => Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }));
    const markup = '<b>not bold</b>';
    await say(alice, markup);
    await waitForTexts(bob, [markup]);
    await waitForTexts(alice, [markup]);
    check(await bob.locator('#messages b').count() === 0, 'markup from another user is shown as literal text');
    check(await bob.locator('#messages li.message .nick').first().textContent() === 'alice', 'the message names its sender');
    check((await bob.locator('#messages li.message time').first().textContent()).length > 0, 'the message shows its time');
    await bob.waitForFunction(() => document.title === '(1) WsLab chat', null, { timeout: stepTimeoutMs });
    check(true, 'a hidden tab counts the unread message in its title');
    await bob.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await bob.waitForFunction(() => document.title === 'WsLab chat', null, { timeout: stepTimeoutMs });
    check(true, 'the count goes when the tab is seen');

    await say(bob, 'hello from bob');
    await waitForTexts(alice, [markup, 'hello from bob']);

    if (process.env.WSLAB_SCREENSHOT_DIR) {
      const path = join(process.env.WSLAB_SCREENSHOT_DIR, 'chat-phone.png');
      await alice.screenshot({ path });
      console.log(`wrote ${path}`);
    }

    // The server goes away and comes back on the same port with the same history file.
    for (const page of [alice, bob])
      await page.evaluate(() => { document.querySelector('#messages li.message').dataset.keptAcrossRestart = 'yes'; });
    await stopServer(server.child);
    await waitForStatus(alice, 'offline');
    await waitForStatus(bob, 'offline');
    check(true, 'both pages notice the server is gone');
    await say(bob, 'typed while offline');
    check(await bob.locator('#pending li').count() === 1, 'a message typed offline waits in the page');

    server = await startServer(port);
    await waitForStatus(alice, 'online', 'Online as alice');
    await waitForStatus(bob, 'online', 'Online as bob');
    check(true, 'both pages reconnect by themselves');
    const expected = [markup, 'hello from bob', 'typed while offline'];
    await waitForTexts(alice, expected);
    await waitForTexts(bob, expected);
    await bob.locator('#pending li').waitFor({ state: 'detached', timeout: stepTimeoutMs });
    for (const [who, page] of [['alice', alice], ['bob', bob]]) {
      const numbers = await seqs(page);
      check(JSON.stringify(numbers) === JSON.stringify([1, 2, 3]), `${who} has every message once, in order: ${numbers}`);
      check(JSON.stringify(await texts(page)) === JSON.stringify(expected), `${who} lost nothing across the restart`);
      // A resume adds what was missed; it does not throw the list away and start over.
      check(await page.locator('#messages li[data-kept-across-restart]').count() === 1
        && await page.locator('#messages li.notice').count() === 0, `${who} resumed rather than reloaded the history`);
    }
    await waitForMembers(alice, ['alice', 'bob']);
    await waitForMembers(bob, ['alice', 'bob']);
    check(true, 'both members are listed again');

    check(problems.length === 0, `no script errors, policy violations or stray requests${problems.length ? `: ${problems.join('; ')}` : ''}`);
  } finally {
    await context.close();
  }
  await stopServer(server.child);
}

test.run(main);
