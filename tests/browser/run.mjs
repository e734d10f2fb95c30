#!/usr/bin/env node
// padron's browser test. Starts its own padron server (free port, temporary data
// directory), opens every page of pages.mjs in headless Chromium at a phone
// viewport in Spanish and in English, and checks the HTTP status, <html lang>,
// the weight on the wire, reflow at 360 px, errors in the page, and axe-core
// (WCAG 2.1 A and AA); then walks the registration wizard (flows.mjs), the
// staff sign-in and person lookup (staff.mjs), booking and check-in at
// reception (reception.mjs), and the desk's emergencies, enrollment and figures
// (emergency.mjs, assisted.mjs, figures.mjs), and the review of a suspension
// (suspension.mjs).
// Screenshots go to build/browser/. Prints "browser: N passed, N failed, N skipped"
// and exits 1 when any check failed.
//
//   node tests/browser/run.mjs      (make browser-test installs the packages first)
//
// Environment: PADRON (binary, default build/padron), CHROMIUM (default
// /usr/bin/chromium), BROWSER_OUT (screenshots, default build/browser).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUDGET, LANGUAGES, PAGES } from './pages.mjs';
import { wizardFlow } from './flows.mjs';
import { issuedFlow } from './issued.mjs';
import { receptionFlow } from './reception.mjs';
import { staffFlow } from './staff.mjs';
import { referralsFlow } from './referrals.mjs';
import { emergencyFlow } from './emergency.mjs';
import { assistedFlow } from './assisted.mjs';
import { figuresFlow } from './figures.mjs';
import { suspensionFlow } from './suspension.mjs';

// Booking and check-in need daytime, whatever the hour the test runs at: node, padron and
// Chromium run in a fixed-offset zone where it is now about noon (the calendar date stays
// the UTC one). POSIX "PDR5" is five hours behind UTC, "PDR-5" five ahead.
process.env.TZ = `PDR${new Date().getUTCHours() - 12}`;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const PADRON = path.resolve(root, process.env.PADRON || 'build/padron');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = path.resolve(root, process.env.BROWSER_OUT || 'build/browser');

const VIEWPORT = { width: 360, height: 740 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// headless: true adds --headless; Playwright's launch() makes a fresh, empty
// --user-data-dir of its own for every run and deletes it on close (it refuses
// one in args). The other flags keep Chromium off the network, which is closed here.
const LAUNCH_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];
const STEP_TIMEOUT_MS = 15_000;
const SERVER_START_MS = 10_000;
const OVERALL_MS = 600_000;

const pkg = (name) => JSON.parse(readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8'));
const AXE_SOURCE = readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

// ---- the harness: each check is one line, counted once --------------------------

const counts = { passed: 0, failed: 0, skipped: 0 };
const weights = [];

function pass(name, detail) {
    counts.passed++;
    console.log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
}

function fail(name, lines = []) {
    counts.failed++;
    console.log(`FAIL ${name}`);
    for (const line of [].concat(lines)) console.log(`       ${line}`);
}

function skip(name, why) {
    counts.skipped++;
    console.log(`skip ${name}: ${why}`);
}

function note(text) {
    console.log(`     ${text}`);
}

// ---- the server -------------------------------------------------------------------

let server = null;

async function startServer() {
    const dir = await mkdtemp(path.join(tmpdir(), 'padron-browser-'));
    const log = createWriteStream(path.join(OUT, 'server.log'));
    const child = spawn(PADRON, ['serve', '--listen', '127.0.0.1:0', '--data', path.join(dir, 'var')], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group, so that stopping it stops all of it
    });
    server = { child, dir, log, url: null };
    let out = '';
    server.url = await new Promise((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`padron printed no address within ${SERVER_START_MS} ms:\n${out}`)),
            SERVER_START_MS,
        );
        const onData = (buf) => {
            log.write(buf);
            if (server.url) return;
            out += buf;
            const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+\/)/);
            if (m) {
                clearTimeout(timer);
                resolve(m[1]);
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('error', (e) => {
            clearTimeout(timer);
            reject(new Error(`cannot start ${PADRON}: ${e.message}`));
        });
        child.on('exit', (code, sig) => {
            clearTimeout(timer);
            reject(new Error(`padron exited (${code ?? sig}) before serving:\n${out}`));
        });
    });
    return server;
}

async function stopServer() {
    if (!server) return;
    const { child, dir, log } = server;
    if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        signal(child, 'SIGTERM');
        const timer = setTimeout(() => signal(child, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
    }
    signal(child, 'SIGKILL'); // whatever it left behind in its group
    child.stdout.destroy();
    child.stderr.destroy();
    log.end();
    await rm(dir, { recursive: true, force: true });
    server = null;
}

// Last resort on any way out (an exception, Ctrl-C, the overall timeout): the
// server never outlives the test.
function signal(child, sig) {
    try {
        process.kill(-child.pid, sig);
    } catch {}
}

function killServerNow() {
    if (!server) return;
    signal(server.child, 'SIGKILL');
    try {
        rmSync(server.dir, { recursive: true, force: true });
    } catch {}
}
process.on('exit', killServerNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
        console.log(`browser: stopped by ${sig}`);
        killServerNow();
        process.exit(1);
    });
}

// ---- the browser --------------------------------------------------------------------

let browser = null;

// A new context (its own cookies) in one language, and one page in it. Its
// tracker records what the page loads, for the weight and the error checks.
async function open(lang, { javaScript = true } = {}) {
    const context = await browser.newContext({
        baseURL: server.url,
        viewport: VIEWPORT,
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: lang.locale,
        extraHTTPHeaders: { 'Accept-Language': lang.acceptLanguage },
        javaScriptEnabled: javaScript,
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    return { context, page, tracker: track(page) };
}

const trackers = new WeakMap();

function track(page) {
    const t = {
        sizes: [],
        problems: [],
        inflight: 0,
        reset() {
            t.sizes = [];
            t.problems = [];
        },
    };
    page.on('request', () => t.inflight++);
    page.on('requestfailed', () => t.inflight--);
    page.on('requestfinished', (req) => {
        t.inflight--;
        t.sizes.push(
            req.sizes().then(
                (s) => ({ url: req.url(), body: s.responseBodySize }),
                () => ({ url: req.url(), body: 0 }),
            ),
        );
    });
    // A navigation answered with an attachment becomes a download, and Chromium reports the
    // navigation as aborted: that is the download working, not a failure.
    page.on('requestfailed', async (req) => {
        const text = req.failure()?.errorText;
        const res = text === 'net::ERR_ABORTED' ? await req.response().catch(() => null) : null;
        const attachment = /^attachment/.test((res && res.headers()['content-disposition']) || '');
        if (!attachment) t.problems.push(`request failed: ${req.url()}: ${text}`);
    });
    page.on('response', (res) => {
        if (!res.request().isNavigationRequest() && res.status() >= 400)
            t.problems.push(`${res.status()} for ${res.url()}`);
    });
    // Chromium also logs every 4xx/5xx and network failure as "Failed to load
    // resource": the handlers above report those for what a page loads, and the
    // status check judges the document itself (a form with errors answers 422).
    page.on('console', (msg) => {
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
            t.problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => t.problems.push(`script error: ${err.message}`));
    trackers.set(page, t);
    return t;
}

// After a navigation: the load event, then no request in flight (what loads late
// counts too).
async function settle(page) {
    await page.waitForLoadState('load');
    const t = trackers.get(page);
    for (let waited = 0; t && t.inflight > 0 && waited < 5000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
}

// Goes to path and returns the main document's response.
async function visit(page, target) {
    const res = await page.goto(target, { waitUntil: 'load' });
    await settle(page);
    return res;
}

// Clicks the submit button of the form that holds field and waits for the page
// that answers; returns the last main-frame document response (after redirects).
async function submit(page, field) {
    const form = field.locator('xpath=ancestor::form[1]');
    const button = form.locator('button[type="submit"], button:not([type]), input[type="submit"]').first();
    if ((await button.count()) === 0) throw new Error('the form has no submit button');
    const docs = [];
    const onResponse = (res) => {
        if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) docs.push(res);
    };
    page.on('response', onResponse);
    try {
        await Promise.all([page.waitForEvent('load'), button.click()]);
        await settle(page);
    } finally {
        page.off('response', onResponse);
    }
    return docs.at(-1) ?? null;
}

function slug(p) {
    const s = p.replace(/[?#].*$/, '').replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9]+/g, '-');
    return s || 'home';
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

// The checks every page gets: status, language, weight, reflow, errors, axe, and a
// screenshot. `res` is the document response; `expect.status` a number or a list.
async function audit(page, tracker, res, { label, lang, name, status = 200, budget = BUDGET, axe = true }) {
    const where = `${label} [${lang.code}]`;
    const statuses = [].concat(status);
    const got = res ? res.status() : null;
    if (statuses.includes(got)) pass(`${where} status`, `${got} ${new URL(page.url()).pathname}`);
    else fail(`${where} status`, [`expected ${statuses.join(' or ')}, got ${got} for ${page.url()}`]);

    const htmlLang = (await page.locator('html').getAttribute('lang')) ?? '';
    if (htmlLang.toLowerCase().split('-')[0] === lang.code) pass(`${where} <html lang>`, htmlLang);
    else fail(`${where} <html lang>`, [`expected "${lang.code}", found "${htmlLang}" (asked with Accept-Language: ${lang.acceptLanguage})`]);

    const items = await Promise.all(tracker.sizes);
    const total = items.reduce((a, b) => a + b.body, 0);
    weights.push({ where, total, count: items.length });
    const detail = `${total} B in ${items.length} response${items.length === 1 ? '' : 's'}, budget ${budget} B`;
    if (total < budget) pass(`${where} weight`, detail);
    else fail(`${where} weight`, [detail, ...items.map((i) => `${i.body} B ${i.url}`)]);

    if (axe) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width <= VIEWPORT.width) pass(`${where} fits ${VIEWPORT.width} px`, `scrollWidth ${width}`);
        else fail(`${where} fits ${VIEWPORT.width} px`, [`the page scrolls sideways: scrollWidth ${width} px`]);
    }

    if (tracker.problems.length === 0) pass(`${where} no errors`);
    else fail(`${where} no errors`, tracker.problems);

    if (axe) {
        const violations = await runAxe(page);
        if (violations.length === 0) pass(`${where} axe`, `no violations of ${AXE_TAGS.join(', ')}`);
        else fail(`${where} axe: ${violations.length} violation${violations.length === 1 ? '' : 's'}`, formatViolations(violations));
    }

    const file = path.join(OUT, `${name}.${lang.code}.png`);
    try {
        await page.screenshot({ path: file, fullPage: true });
        note(`screenshot ${path.relative(root, file)}`);
    } catch (e) {
        fail(`${where} screenshot`, [e.message.split('\n')[0]]);
    }
}

async function runAxe(page) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (tags) => {
        const r = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
        });
        return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(' ')),
        }));
    }, AXE_TAGS);
}

function formatViolations(violations) {
    const lines = [];
    for (const v of violations) {
        lines.push(`${v.id} (${v.impact}): ${v.help}`);
        for (const t of v.targets.slice(0, 10)) lines.push(`    target: ${t}`);
        if (v.targets.length > 10) lines.push(`    ... and ${v.targets.length - 10} more`);
    }
    return lines;
}

// A page from pages.mjs, in one language. When the page links to the other
// language (hreflang or ?lang=), that link must lead to a page in that language.
async function auditPage(entry, lang) {
    const label = entry.path;
    const name = entry.name ?? slug(entry.path);
    const { context, page, tracker } = await open(lang);
    try {
        const res = await visit(page, entry.path);
        await audit(page, tracker, res, { label, lang, name, status: entry.status ?? 200, budget: entry.budget ?? BUDGET });
        const other = LANGUAGES.find((l) => l.code !== lang.code);
        if (!other) return;
        const link = page.locator(`a[hreflang="${other.code}"], a[href*="lang=${other.code}"]`).first();
        if ((await link.count()) === 0) {
            note(`${label} [${lang.code}] has no link to the ${other.code} version; checked by Accept-Language only`);
            return;
        }
        await Promise.all([page.waitForEvent('load'), link.click()]);
        await settle(page);
        const switched = (await page.locator('html').getAttribute('lang')) ?? '';
        if (switched.toLowerCase().split('-')[0] === other.code) pass(`${label} [${lang.code}] language switch`, `to ${switched}`);
        else fail(`${label} [${lang.code}] language switch`, [`the link to ${other.code} led to <html lang="${switched}"> at ${page.url()}`]);
    } catch (e) {
        fail(`${label} [${lang.code}]`, [e.message.split('\n')[0]]);
    } finally {
        await context.close();
    }
}

// ---- main ---------------------------------------------------------------------------

async function main() {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: scripts/deps installs Debian's chromium`);
    if (!existsSync(PADRON)) throw new Error(`${PADRON} is not built: make browser-test builds it`);
    await mkdir(OUT, { recursive: true });
    for (const f of await readdir(OUT)) if (f.endsWith('.png')) await unlink(path.join(OUT, f));

    await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    console.log(
        `browser: Chromium ${browser.version()}, playwright-core ${pkg('playwright-core').version}, ` +
            `axe-core ${pkg('axe-core').version}, padron at ${server.url}`,
    );

    for (const entry of PAGES) for (const lang of LANGUAGES) await auditPage(entry, lang);

    await wizardFlow({
        url: server.url,
        dataDir: path.join(server.dir, 'var'), // the wizard reads the emailed code from its Maildir
        padron: PADRON, // computes CURP check digits
        languages: LANGUAGES,
        ...{ open, visit, submit, audit, pass, fail, skip, note },
    });

    await issuedFlow({
        url: server.url,
        dataDir: path.join(server.dir, 'var'),
        padron: PADRON, // imports the IMSS roll the letters are checked against
        languages: LANGUAGES,
        ...{ open, visit, submit, audit, pass, fail, skip, note },
    });

    await staffFlow({
        dataDir: path.join(server.dir, 'var'), // padron staff add works on the server's data
        padron: PADRON,
        languages: LANGUAGES,
        ...{ open, visit, submit, audit, pass, fail },
    });

    // referrals
    await referralsFlow({
        dataDir: path.join(server.dir, 'var'),
        padron: PADRON,
        languages: LANGUAGES,
        ...{ open, visit, submit, audit, pass, fail },
    });

    await receptionFlow({
        url: server.url,
        dataDir: path.join(server.dir, 'var'), // padron schedule set and staff add work on it
        padron: PADRON,
        languages: LANGUAGES,
        ...{ open, visit, submit, audit, pass, fail },
    });

    // The staff pages of emergencies, enrollment at the desk and figures (after
    // reception, so that the figures have appointments and encounters to count).
    for (const flow of [emergencyFlow, assistedFlow, figuresFlow, suspensionFlow]) {
        await flow({
            dataDir: path.join(server.dir, 'var'), // padron staff add works on the server's data
            padron: PADRON,
            languages: LANGUAGES,
            ...{ open, visit, submit, audit, pass, fail },
        });
    }
}

const overall = setTimeout(() => {
    fail('browser test', [`did not finish within ${OVERALL_MS / 1000} s`]);
    killServerNow();
    console.log(`browser: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    process.exit(1);
}, OVERALL_MS);

try {
    await main();
} catch (e) {
    fail('browser test', (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 20));
} finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer().catch((e) => fail('stopping the server', [e.message]));
    clearTimeout(overall);
}

if (weights.length) {
    console.log('weights on the wire (response bodies):');
    for (const w of weights) console.log(`  ${kb(w.total).padStart(8)}  ${w.count} response${w.count === 1 ? ' ' : 's'}  ${w.where}`);
}
console.log(`browser: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exitCode = counts.failed === 0 && counts.passed > 0 ? 0 : 1;
