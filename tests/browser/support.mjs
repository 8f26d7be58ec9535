// What the browser tests share: Debian's chromium and playwright-core (exit 77, ctest's "skipped", when
// either is missing), wslab-cli from WSLAB_CLI, a scratch folder removed at the end, a watchdog that
// ends a test that hangs, and wslab-cli processes that never outlive the test.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = '/usr/bin/chromium';

export function check(condition, what) {
  if (!condition)
    throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

export class BrowserTest {
  // Exits at once when something the test needs is missing; else starts the watchdog.
  constructor({ scratchPrefix, stepTimeoutMs, wholeTestMs }) {
    this.cli = process.env.WSLAB_CLI;
    if (!this.cli) {
      console.error('WSLAB_CLI must name the wslab-cli executable');
      process.exit(2);
    }
    if (!existsSync(chromiumPath)) {
      console.error(`skipped: ${chromiumPath} is missing (scripts/install-deps.sh installs it)`);
      process.exit(77);
    }
    try {
      ({ chromium: this.chromium } = createRequire(import.meta.url)('playwright-core'));
    } catch {
      console.error('skipped: playwright-core is missing (scripts/install-deps.sh runs npm ci in tests/browser)');
      process.exit(77);
    }
    this.stepTimeoutMs = stepTimeoutMs;
    this.scratch = mkdtempSync(join(tmpdir(), scratchPrefix));
    this.children = new Set();
    this.watchdog = setTimeout(() => {
      console.error(`FAIL: the test did not finish within ${wholeTestMs / 1000} s`);
      this.cleanUp();
      process.exit(1);
    }, wholeTestMs);
  }

  cleanUp() {
    for (const child of this.children)
      child.kill('SIGKILL');
    rmSync(this.scratch, { recursive: true, force: true });
  }

  // Runs the test's body: PASS and exit code 0, or FAIL with the reason and 1; cleans up either way.
  run(main) {
    main().then(() => {
      clearTimeout(this.watchdog);
      this.cleanUp();
      console.log('PASS');
    }, (error) => {
      clearTimeout(this.watchdog);
      console.error(`FAIL: ${error.stack || error}`);
      this.cleanUp();
      process.exit(1);
    });
  }

  spawnCli(args, stdin) {
    const child = spawn(this.cli, args, { stdio: [stdin, 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    child.stderrText = '';
    child.stderr.on('data', (chunk) => { child.stderrText += chunk; });
    return child;
  }

  // wslab-cli with `input` on stdin (none when null); resolves with its stdout once it exits with 0.
  runCli(args, input = null) {
    const child = this.spawnCli(args, input === null ? 'ignore' : 'pipe');
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    if (input !== null)
      child.stdin.end(input);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wslab-cli ${args[0]} did not finish: ${child.stderrText}`)),
        this.stepTimeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0)
          resolve(out);
        else
          reject(new Error(`wslab-cli ${args.join(' ')} exited with ${code}: ${child.stderrText}`));
      });
    });
  }

  // `wslab-cli serve` on 127.0.0.1 with these options (--port 0: a free one); resolves with the child and
  // its port once it prints its listening line.
  startServer(args) {
    const child = this.spawnCli(['serve', '--host', '127.0.0.1', ...args], 'ignore');
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${child.stderrText}`)), this.stepTimeoutMs);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve({ child, port: Number(match[1]) });
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited with ${code} before listening: ${child.stderrText}`));
      });
    });
  }

  // SIGTERM: the server asks every peer to leave (close 1001) and exits once they have answered.
  stopServer(child) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not exit after SIGTERM')), this.stepTimeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
