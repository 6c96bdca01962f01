#!/usr/bin/env node
// End-to-end test of the chat room (examples/chat/) in headless Chromium.
//
//   node tests/e2e/chat.spec.mjs [--tls]
//
// Uses Debian's /usr/bin/chromium (SALON_CHROMIUM overrides) through npm
// playwright-core, and only the page's data-testid hooks. It starts
// examples/chat/server.php itself (`php -n -d extension=SALON_SO` plus PDO
// sqlite; SALON_PHP and SALON_SO override php and modules/salon.so) on a free
// port with a fresh database, then:
//   two browser contexts join the same room, see each other in the user
//   list and exchange messages both ways; every WebSocket handshake's 101
//   answer carried Sec-WebSocket-Extensions: permessage-deflate (seen through
//   a CDP session: Network.webSocketHandshakeResponseReceived), and messages
//   of 1,500 characters (repetitive, and non-ASCII) arrive unchanged in the
//   other context; an <img onerror> message shows as
//   text; one closes its page and the other sees "... left"; the server is
//   restarted on the same port with the same database: the remaining page
//   reconnects and rejoins by itself, and a new context sees the earlier
//   messages in the history.
// With --tls, the same over https:// and wss://: a self-signed certificate
// for 127.0.0.1 is made with the openssl CLI into the temporary directory,
// the server gets --tls-cert/--tls-key and Chromium --ignore-certificate-errors.
// Screenshots go to tests/artifacts/ (SALON_ARTIFACTS overrides). Prints one
// "ok N - ..." line per step and ends with "e2e: N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const php = process.env.SALON_PHP || 'php';
const so = process.env.SALON_SO || join(root, 'modules', 'salon.so');
const chromiumPath = process.env.SALON_CHROMIUM || '/usr/bin/chromium';
const artifacts = process.env.SALON_ARTIFACTS || join(root, 'tests', 'artifacts');
const scale = Math.max(1, Number(process.env.SALON_TIMEOUT_SCALE) || 1);
const T = 10000 * scale;   // per-step timeout, ms
const tls = process.argv.includes('--tls');
const http = tls ? 'https' : 'http', ws = tls ? 'wss' : 'ws';
const shots = tls ? 'chat-e2e-tls' : 'chat-e2e';   // screenshot names

// The flags the project uses for Chromium everywhere. Playwright adds
// --headless and a fresh temporary --user-data-dir of its own (launch()
// refuses a --user-data-dir argument), removed when the browser closes.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...(tls ? ['--ignore-certificate-errors'] : [])];

let passed = 0, failed = 0, step = 0;
const ok = (what) => { passed++; console.log(`ok ${++step} - ${what}`); };

// `php -n` loads nothing: PDO and pdo_sqlite are added when they are shared
// modules in PHP's extension_dir, as `make chat` does.
function pdoFlags() {
  const loaded = execFileSync(php, ['-n', '-m'], { encoding: 'utf8' }).toLowerCase().split('\n');
  const dir = execFileSync(php, ['-n', '-r', 'echo ini_get("extension_dir");'], { encoding: 'utf8' });
  const flags = [];
  for (const ext of ['pdo', 'pdo_sqlite']) {
    if (loaded.includes(ext)) continue;
    if (!existsSync(join(dir, ext + '.so'))) throw new Error(`${ext}.so is not in ${dir} (Debian: apt-get install php-sqlite3)`);
    flags.push('-d', 'extension=' + ext);
  }
  return flags;
}

// A self-signed certificate for 127.0.0.1 in `dir`: ['--tls-cert=...', '--tls-key=...'].
function makeCert(dir) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return ['--tls-cert=' + join(dir, 'cert.pem'), '--tls-key=' + join(dir, 'key.pem')];
}

// Starts server.php on `port` (0: a free one) with the `extra` arguments;
// resolves with {proc, port} once it printed its URL.
function startServer(port, db, extra) {
  const args = ['-n', '-d', 'extension=' + so, ...pdoFlags(), join(root, 'examples', 'chat', 'server.php'), String(port), ...extra];
  const proc = spawn(php, args, { cwd: tmpdir(), env: { ...process.env, SALON_CHAT_DB: db }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start: ' + out + err)), T);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = new RegExp(`open ${http}://[^/]+:(\\d+)/`).exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, port: Number(m[1]), stderr: () => err }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${out}${err}`)); });
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) return resolve();
    server.proc.removeAllListeners('exit');
    server.proc.on('exit', () => resolve());
    server.proc.kill('SIGTERM');
  });
}

const tid = (page, id) => page.getByTestId(id);
const usersOf = (page) => tid(page, 'users').locator('li').allTextContents();
const messageTexts = (page) => tid(page, 'messages').locator('li').allTextContents();

async function joinRoom(page, nick, room) {
  await tid(page, 'nick').fill(nick);
  await tid(page, 'room').fill(room);
  await tid(page, 'join').click();
  await tid(page, 'users').locator('li', { hasText: nick }).first().waitFor({ timeout: T });
  await waitUntil(() => tid(page, 'message').isEnabled(), `${nick}'s message box enabled`);
}

async function say(page, text) {
  await tid(page, 'message').fill(text);
  await tid(page, 'send').click();
}

// Polls fn() until it returns true.
async function waitUntil(fn, what) {
  const deadline = Date.now() + T;
  let last;
  while (Date.now() < deadline) {
    try { if (await fn()) return; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for ' + what + (last ? ': ' + last.message : ''));
}

async function seesMessage(page, text, who) {
  await waitUntil(async () => (await messageTexts(page)).some((t) => t.includes(text)), `${who} to see "${text}"`);
}

// Whether some message's text is exactly `text` (the page shows it with textContent).
async function seesExactly(page, text, who) {
  await waitUntil(async () => (await tid(page, 'messages').locator('li .text').allTextContents()).includes(text),
    `${who} to see the ${text.length}-character message unchanged`);
}

// Records the page's WebSocket handshakes through a CDP session: the
// list fills with {url, status, extensions} as 101 answers arrive.
async function watchHandshakes(context, page) {
  const list = [], urls = new Map();
  const cdp = await context.newCDPSession(page);
  cdp.on('Network.webSocketCreated', (e) => urls.set(e.requestId, e.url));
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
    const h = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'sec-websocket-extensions');
    list.push({ url: urls.get(e.requestId), status: e.response.status, extensions: h ? h[1] : null });
  });
  await cdp.send('Network.enable');
  return list;
}

// Throws unless `who` made at least one WebSocket handshake, each to
// ws(s)://127.0.0.1:port/chat answered 101 with permessage-deflate.
function deflateNegotiated(handshakes, port, who) {
  if (!handshakes.length) throw new Error(`${who}: no WebSocket handshake seen`);
  for (const h of handshakes) {
    if (h.url !== `${ws}://127.0.0.1:${port}/chat` || h.status !== 101 || !/^permessage-deflate\b/i.test(h.extensions || '')) {
      throw new Error(`${who}: handshake ${JSON.stringify(h)}, not ${ws}:// with 101 and permessage-deflate`);
    }
  }
}

async function sameUsers(page, want, who) {
  let got;
  await waitUntil(async () => JSON.stringify(got = await usersOf(page)) === JSON.stringify(want),
    `${who}'s user list to be ${JSON.stringify(want)} (is ${JSON.stringify(got)})`);
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'salon-e2e-'));
  const db = join(tmp, 'chat.sqlite');
  const room = 'e2e';
  const extra = tls ? makeCert(tmp) : [];
  let server = await startServer(0, db, extra);
  const url = `${http}://127.0.0.1:${server.port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 30000 * scale });
  const problems = [];
  const watch = (page, who) => {
    page.on('pageerror', (e) => problems.push(`${who}: page error: ${e.message}`));
    page.on('dialog', (d) => { problems.push(`${who}: a dialog opened: ${d.message()}`); d.dismiss().catch(() => {}); });
  };
  try {
    const ctxA = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const ctxB = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const alice = await ctxA.newPage(), bob = await ctxB.newPage();
    watch(alice, 'alice');
    watch(bob, 'bob');
    const shakes = { alice: await watchHandshakes(ctxA, alice), bob: await watchHandshakes(ctxB, bob) };
    await Promise.all([alice.goto(url), bob.goto(url)]);
    await waitUntil(async () => (await tid(alice, 'state').textContent()) === 'connected', 'the page to say "connected"');
    if (alice.url() !== url) throw new Error(`the page is at ${alice.url()}, not ${url}`);
    ok(`the page loads over ${http}:// and shows the connection state`);

    await joinRoom(alice, 'alice', room);
    await joinRoom(bob, 'bob', room);
    await sameUsers(alice, ['alice', 'bob'], 'alice');
    await sameUsers(bob, ['alice', 'bob'], 'bob');
    await seesMessage(alice, 'bob joined', 'alice');
    ok('two contexts join the same room and see each other in the user list');

    await say(alice, 'hello from alice');
    await seesMessage(bob, 'hello from alice', 'bob');
    await say(bob, 'hi alice, bob here');
    await seesMessage(alice, 'hi alice, bob here', 'alice');
    ok('messages go both ways');

    await waitUntil(async () => shakes.bob.length > 0, "bob's handshake answer");
    deflateNegotiated(shakes.alice, server.port, 'alice');
    deflateNegotiated(shakes.bob, server.port, 'bob');
    ok(`both contexts' ${ws}:// handshakes were answered with Sec-WebSocket-Extensions: permessage-deflate (CDP)`);

    // Over the compression threshold (32 bytes) by far: compressed both ways.
    const long = Array.from({ length: 60 }, (_, i) => `line ${i % 10} of the same chat text; `).join('').slice(0, 1500);
    const accents = Array.from('Grüße aus Köln, ça va? Ωμέγα, 日本語のテキスト, 😀🎉 '.repeat(40)).slice(0, 1500).join('');
    await say(alice, long);
    await seesExactly(bob, long, 'bob');
    await say(bob, accents);
    await seesExactly(alice, accents, 'alice');
    await seesExactly(bob, accents, 'bob');
    ok(`a ${long.length}-character message and a ${Array.from(accents).length}-character non-ASCII one arrive unchanged in the other context`);

    const xss = '<img src=x onerror=alert(1)>';
    await say(alice, xss);
    for (const [page, who] of [[alice, 'alice'], [bob, 'bob']]) {
      await seesMessage(page, xss, who);
      const imgs = await page.locator('img').count();
      const last = await tid(page, 'messages').locator('li').last().locator('.text').textContent();
      if (imgs !== 0) throw new Error(`${who}: ${imgs} <img> element(s) in the page`);
      if (last !== xss) throw new Error(`${who}: the message text is ${JSON.stringify(last)}`);
    }
    ok('an <img onerror> message shows as text: no img element, textContent equal');

    await bob.screenshot({ path: join(artifacts, shots + '-phone.png') });
    await bob.close();
    await seesMessage(alice, 'bob left', 'alice');
    await sameUsers(alice, ['alice'], 'alice');
    ok('bob closes his page; alice sees "bob left" and the user list shrink');

    await stopServer(server);
    await waitUntil(async () => (await tid(alice, 'state').textContent()).startsWith('offline'), 'the page to say it is offline');
    if (await tid(alice, 'message').isEnabled()) throw new Error('the message box stays enabled while offline');
    server = await startServer(server.port, db, extra);
    await waitUntil(async () => (await tid(alice, 'state').textContent()) === 'connected', 'the page to reconnect');
    await sameUsers(alice, ['alice'], 'alice (rejoined)');
    await waitUntil(() => tid(alice, 'message').isEnabled(), "alice's message box enabled again");
    ok('after a server restart the page reconnects and rejoins the room by itself');

    const ctxC = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const carol = await ctxC.newPage();
    watch(carol, 'carol');
    shakes.carol = await watchHandshakes(ctxC, carol);
    await carol.goto(url);
    await joinRoom(carol, 'carol', room);
    const history = await messageTexts(carol);
    for (const text of ['hello from alice', 'hi alice, bob here', xss]) {
      if (!history.some((t) => t.includes(text))) throw new Error(`carol's history lacks "${text}": ${JSON.stringify(history)}`);
    }
    ok('a new context joining after the restart sees the earlier messages (SQLite history)');

    await say(alice, 'welcome carol');
    await seesMessage(carol, 'welcome carol', 'carol');
    await say(carol, 'thanks!');
    await seesMessage(alice, 'thanks!', 'alice');
    await sameUsers(carol, ['alice', 'carol'], 'carol');
    ok('the reconnected page and the new one talk');

    await alice.screenshot({ path: join(artifacts, shots + '.png') });
    if (problems.length) throw new Error(problems.join('; '));
    if (shakes.alice.length < 2) throw new Error(`alice's reconnect made no handshake: ${JSON.stringify(shakes.alice)}`);
    for (const who of ['alice', 'carol']) deflateNegotiated(shakes[who], server.port, who);
    ok(`no page errors, no dialogs; the reconnect and carol negotiated permessage-deflate too; screenshots ${shots}*.png in tests/artifacts/`);
    if (server.stderr()) throw new Error('server stderr: ' + server.stderr());
  } finally {
    await browser.close().catch(() => {});
    await stopServer(server);
    rmSync(tmp, { recursive: true, force: true });
  }
}

const guard = setTimeout(() => { console.log('not ok - the whole test took over 120 s'); process.exit(1); }, 120000 * scale);
main().catch((e) => {
  failed++;
  console.log(`not ok ${++step} - ${e.message.split('\n')[0]}`);
}).finally(() => {
  clearTimeout(guard);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
});
